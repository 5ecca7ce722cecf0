"""One way to print each kind of figure, everywhere in the report and the CLI summary.

The same quantity printed in two places must read the same; every headline figure goes
through these helpers. Precision follows what the model can claim: capacities to 0.1 Tb/s per
fibre pair and whole Tb/s per system, margins and GSNR to 0.1 dB, lengths to 0.1 km.
"""

from __future__ import annotations

import math


def _num(value: float | None, digits: int) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:,.{digits}f}"


def fmt_tbps(value: float | None, *, per_pair: bool = False) -> str:
    """A capacity: ``12.8 Tb/s`` per fibre pair, ``410 Tb/s`` for a system."""
    if value is not None and math.isfinite(value) and (per_pair or abs(value) < 100.0):
        return f"{_num(value, 1)} Tb/s"
    return f"{_num(value, 0)} Tb/s"


def fmt_db(value: float | None) -> str:
    """A ratio or margin in dB, to 0.1 dB."""
    return f"{_num(value, 1)} dB"


def fmt_km(value: float | None) -> str:
    """A length, to 0.1 km."""
    return f"{_num(value, 1)} km"


def fmt_ms(value: float | None) -> str:
    """A latency, to 0.1 ms."""
    return f"{_num(value, 1)} ms"


def fmt_percent(fraction: float | None, digits: int = 1) -> str:
    """A fraction shown in percent (``0.9973`` → ``99.73 %`` with ``digits=2``)."""
    if fraction is None or not math.isfinite(fraction):
        return "–"
    return f"{fraction * 100.0:.{digits}f} %"


def fmt_money(value: float | None, currency: str = "USD") -> str:
    """An amount in millions (``50.8 M USD``)."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value / 1e6:,.1f} M {currency}"
