"""How numbers and their units read in text: `18`, not `18.0`; `18%`, not `18 %`; `5 meetings`; a share as `46%`."""

from __future__ import annotations

from typing import Any

# Units written straight after the number, as a person writes them.
_ATTACHED = frozenset({"%", "‰", "°", "x", "×"})


def number(value: Any) -> str:
    """18.0 -> 18, 2.50 -> 2.5: numbers as a person writes them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def measure(value: Any, unit: str) -> str:
    """18, "%" -> 18%; 5, "meetings" -> 5 meetings."""
    return f"{number(value)}{'' if unit in _ATTACHED else ' '}{unit}"


def whole_percent(share: float) -> int:
    """0.4615 -> 46: a share (0..1) as a whole percentage, as every table and chart rounds it."""
    return round(share * 100)


def percent(share: float) -> str:
    """0.4615 -> 46%."""
    return f"{whole_percent(share)}%"
