"""``transcaspian data extract-bathymetry SRC --bbox W S E N --out FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_debug_argument


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("data", help="build bundled data from public datasets")
    inner = p.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    s = inner.add_parser(
        "extract-bathymetry",
        help="cut a lon/lat window out of an ETOPO/GEBCO NetCDF or GeoTIFF grid",
        description="Read ETOPO ('z') or GEBCO ('elevation') NetCDF, or a GeoTIFF, and write "
        "the window as NetCDF-4 (lon, lat, elevation).",
    )
    s.add_argument("src", type=Path, metavar="SRC")
    s.add_argument(
        "--bbox",
        nargs=4,
        type=float,
        required=True,
        metavar=("W", "S", "E", "N"),
        help="window in degrees: west south east north",
    )
    s.add_argument("--out", type=Path, required=True, help="output NetCDF file")
    add_debug_argument(s)
    s.set_defaults(func=_extract)


def _extract(args: argparse.Namespace) -> int:
    from ..geo.grid import extract_bathymetry

    w, s, e, n = args.bbox
    grid = extract_bathymetry(args.src, (w, s, e, n), args.out)
    ny, nx = grid.shape
    print(f"{args.out}: {ny} x {nx} cells, {grid.dlat_deg:.5g}° x {grid.dlon_deg:.5g}°")
    return 0
