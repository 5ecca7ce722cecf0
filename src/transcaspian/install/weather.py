"""Weather windows: the workable fraction of each calendar month for an Hs limit.

From the monthly mean Hs table: Hs in a month is Weibull with the table's mean and shape *k*,
scale :math:`\\lambda = \\bar H_s / \\Gamma(1 + 1/k)`, and the workable fraction is
:math:`P(H_s \\le L) = 1 - \\exp(-(L/\\lambda)^k)` (a common fit of Hs marginals, e.g. DNV-RP-C205
§3.4.11; shape ~1.5 is the reference's placeholder [U]). From a hindcast CSV (``time, hs_m``):
the share of records in each month at or below the limit. Persistence (a window must last as long
as the operation) is not modelled: the fraction is a time share, which makes long operations
optimistic in storm seasons (documented in ``docs/install.md``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .._load import read_text
from ..errors import InstallError
from .config import MONTHS, Weather


def workable_fraction(cfg: Weather, hs_limit_m: float) -> npt.NDArray[np.float64]:
    """Share of each month (Jan..Dec) with Hs ≤ ``hs_limit_m`` [-], shape (12,).

    Raises
    ------
    InstallError
        The hindcast CSV is unreadable or misses a month.
    """
    if cfg.hindcast_csv is not None:
        return _from_hindcast(cfg.hindcast_csv, hs_limit_m)
    missing = [m for m in MONTHS if m not in cfg.monthly_mean_hs_m]
    if missing:
        raise InstallError(f"install.weather.monthly_mean_hs_m: wave table is missing month(s) "
                           f"{', '.join(missing)}")
    mean = np.array([cfg.monthly_mean_hs_m[m] for m in MONTHS], float)
    if not np.all(mean > 0):
        raise InstallError("install.weather.monthly_mean_hs_m: every month must be > 0 m")
    k = cfg.weibull_shape
    scale = mean / math.gamma(1.0 + 1.0 / k)
    return np.asarray(1.0 - np.exp(-np.power(hs_limit_m / scale, k)), float)


def _from_hindcast(path: Path, hs_limit_m: float) -> npt.NDArray[np.float64]:
    field = "install.weather.hindcast_csv"
    text = read_text(path, what=f"{field} (Hs hindcast)", error=InstallError)
    ok = np.zeros(12)
    tot = np.zeros(12)
    for i, row in enumerate(csv.DictReader(io.StringIO(text))):
        try:
            t = dt.datetime.fromisoformat(str(row["time"]).strip())
            hs = float(row["hs_m"])
        except (KeyError, ValueError, TypeError) as exc:
            raise InstallError(f"{field}: {path.name} row {i + 2}: {exc} "
                               "(need columns time, hs_m)") from None
        if not (hs >= 0 and math.isfinite(hs)):
            raise InstallError(f"{field}: {path.name} row {i + 2}: hs_m must be >= 0")
        tot[t.month - 1] += 1
        ok[t.month - 1] += hs <= hs_limit_m
    if np.any(tot == 0):
        gone = [MONTHS[j] for j in np.flatnonzero(tot == 0)]
        raise InstallError(f"{field}: {path.name} has no record in month(s) {', '.join(gone)}")
    return np.asarray(ok / tot, float)
