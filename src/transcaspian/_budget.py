"""Memory budget: estimate what a grid or a sweep needs *before* allocating it.

A scenario can ask for more than the machine holds (a global 15″ grid, a launch-power search
with a 0.001 dB step over 2000 channels). Rather than swapping for minutes and dying, each
heavy step estimates its peak memory from the sizes it is about to use and refuses with one
line naming the size (:func:`require_memory`). A sweep driver can size its chunks with
:func:`variants_that_fit`.

The per-item costs are measured (``tracemalloc`` peak of the real code path, numbers in the
constants' comments) and rounded up; they are estimates for a go/no-go decision, not a
memory profile.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .errors import TranscaspianError

#: Peak bytes per grid cell of the route stage (cost raster, hazard rasters, least-cost
#: search). Measured: 103 B/cell (tracemalloc peak, bundled ETOPO1 grid resampled to 0.1 and
#: 0.4 Mcell); 160 leaves room for allocations tracemalloc does not see.
ROUTE_BYTES_PER_CELL = 160
#: Peak bytes per grid cell while reading a NetCDF/GeoTIFF window (raw block, masked array,
#: float32 copy, re-ordered copy).
READ_BYTES_PER_CELL = 24
#: Line evaluation (:func:`transcaspian.optics.evaluate_line`) of V variants × n channels:
#: peak ≈ 8 B × (A n² + B V n). Measured (ISRS GN, Raman + ROPA line, tracemalloc): ≈ 10 n²
#: and ≈ 16 V n doubles for n = 96…384, V = 10…400; rounded up.
LINE_PAIRWISE_DOUBLES = 12
LINE_PER_VARIANT_DOUBLES = 20
#: Share of the available memory a single step may plan to use.
USABLE_FRACTION = 0.8


#: Decimal byte units, each 1000 times the one before.
BYTE_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB")


def format_bytes(n_bytes: float) -> str:
    """A byte count in the largest decimal unit that keeps the number at least 1.

    Two significant digits below 10 of the unit, whole units from 10 up (never an exponent);
    a count that rounds to 1000 of a unit is written as 1 of the next.

    Parameters
    ----------
    n_bytes : float
        Bytes, ≥ 0.

    Returns
    -------
    str
        e.g. ``'1.5 GB'``.

    >>> format_bytes(3.2e9), format_bytes(512e3), format_bytes(999.7e3), format_bytes(64)
    ('3.2 GB', '512 kB', '1 MB', '64 B')
    """
    value = float(n_bytes)
    for unit in BYTE_UNITS:
        whole = unit == "B" or value >= 9.95
        text = f"{value:.0f}" if whole else f"{value:.1f}".removesuffix(".0")
        if float(text) < 1000 or unit == BYTE_UNITS[-1]:
            break
        value /= 1000
    return f"{text} {unit}"


def _cgroup_limit_bytes() -> int | None:
    """Memory left under the cgroup (v2) limit of this process, if one is set."""
    try:
        raw = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
        if raw == "max":
            return None
        used = int(Path("/sys/fs/cgroup/memory.current").read_text(encoding="ascii"))
        return max(int(raw) - used, 0)
    except (OSError, ValueError):
        return None


def available_memory_bytes() -> int | None:
    """Memory this process can still allocate [B]: the smaller of the kernel's
    ``MemAvailable`` and the cgroup limit; ``None`` when the platform tells neither."""
    found: list[int] = []
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
                break
    except (OSError, ValueError, IndexError):
        with contextlib.suppress(ValueError, OSError, AttributeError):
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    cg = _cgroup_limit_bytes()
    if cg is not None:
        found.append(cg)
    return min(found) if found else None


def require_memory(
    n_bytes: float,
    what: str,
    *,
    error: type[TranscaspianError] = TranscaspianError,
    hint: str = "",
    available: int | None = None,
) -> None:
    """Refuse (``error``, one line) when ``what`` needs more than the usable memory.

    Parameters
    ----------
    n_bytes : float
        Estimated peak memory of the step [B].
    what : str
        The step and its size, e.g. ``"routing on the 4800 x 5700 grid"``.
    error : TranscaspianError subclass
        Raised with ``"<what> needs ≈ X of memory, Y available; <hint>"``.
    hint : str
        What the user can change (a coarser step, a smaller window...).
    available : int, optional
        Available memory [B]; default :func:`available_memory_bytes`. When unknown, nothing
        is refused.
    """
    avail = available_memory_bytes() if available is None else available
    if avail is None or n_bytes <= USABLE_FRACTION * avail:
        return
    tail = f"; {hint}" if hint else ""
    raise error(
        f"{what} needs ≈ {format_bytes(n_bytes)} of memory, {format_bytes(avail)} "
        f"available{tail}"
    )


def grid_route_bytes(n_rows: int, n_cols: int) -> int:
    """Peak memory of routing on an ``n_rows × n_cols`` grid [B]."""
    return int(n_rows) * int(n_cols) * ROUTE_BYTES_PER_CELL


def grid_read_bytes(n_rows: int, n_cols: int) -> int:
    """Peak memory of reading an ``n_rows × n_cols`` window of a grid file [B]."""
    return int(n_rows) * int(n_cols) * READ_BYTES_PER_CELL


def line_sweep_bytes(n_variants: int, n_channels: int) -> int:
    """Peak memory of evaluating one line for ``n_variants`` designs at once [B].

    The channel-pair terms of the GN/ISRS model are shared by the variants (n²); per-channel
    powers, SNRs and NLI are per variant (V n).
    """
    n, v = int(n_channels), int(n_variants)
    return 8 * (LINE_PAIRWISE_DOUBLES * n * n + LINE_PER_VARIANT_DOUBLES * v * n)


def variants_that_fit(n_channels: int, *, available: int | None = None) -> int | None:
    """How many design variants one :func:`line_sweep_bytes` chunk may hold (≥ 1), or
    ``None`` when the available memory is unknown: the chunk size for a sweep driver."""
    avail = available_memory_bytes() if available is None else available
    if avail is None:
        return None
    n = int(n_channels)
    room = USABLE_FRACTION * avail / 8 - LINE_PAIRWISE_DOUBLES * n * n
    return max(int(room // (LINE_PER_VARIANT_DOUBLES * n)), 1)
