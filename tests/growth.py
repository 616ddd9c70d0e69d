"""Linear work told apart from worse by how its cost grows with its input, never by a number of seconds.

A shared, busy machine makes any time limit fail at random; the ratio between the costs of one input and of
one eight times larger barely moves. Linear work costs about 8 times as much on the larger input, quadratic
work 64 times, and a regex that backtracks far more; the ceiling sits at three times linear, so that a busy
machine's noise stays below it. The cost is this process's CPU time, the best of a few
runs, so that other jobs on the machine hardly count. Absolute speed is measured in `benchmarks/`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

Input = TypeVar("Input")

FACTOR = 8  # the larger input is this many times the smaller
LINEAR = 24  # a generous ceiling for linear work's growth over FACTOR (quadratic work grows FACTOR ** 2, 64)


def cost(work: Callable[[Input], object], given: Input, repeats: int = 5) -> float:
    """The least CPU time of `repeats` runs of `work(given)`."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        work(given)
        best = min(best, time.process_time() - started)
    return best


def growth(work: Callable[[Input], object], make: Callable[[int], Input], size: int) -> float:
    """How many times more `work` costs on `make(FACTOR * size)` than on `make(size)` (inputs made untimed)."""
    small, large = make(size), make(FACTOR * size)
    return cost(work, large) / max(cost(work, small), 1e-6)
