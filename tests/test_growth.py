"""growth.py tells linear work from quadratic work by how its cost grows, on a machine busy or not."""

from __future__ import annotations

from growth import LINEAR, growth


def linear(n: int) -> int:
    return sum(range(n))


def quadratic(n: int) -> int:
    return sum(i ^ j for i in range(n) for j in range(n))


def test_linear_work_grows_within_the_ceiling():
    assert growth(linear, lambda n: n, 200_000) < LINEAR


def test_quadratic_work_grows_past_it():
    assert growth(quadratic, lambda n: n, 300) > LINEAR
