"""Latency calibration: an honest spread around the model's RTT, estimated from measurements.

No few-parameter model describes per-host routing, so the as-routed RTT is stated as a central
estimate with an interval. The calibration is the empirical distribution of

.. math::

   q = \\ln (\\mathrm{RTT}_{measured} / \\mathrm{RTT}_{model})

over the placed pairs of a measured-RTT file: its 10 %, 50 % and 90 % quantiles
(``numpy.quantile``, linear interpolation: Hyndman & Fan 1996 type 7) give the factors
:math:`f_{10}, f_{50}, f_{90} = e^{q_{10}}, e^{q_{50}}, e^{q_{90}}`, and every model RTT
:math:`R` then carries :math:`[f_{10} R, f_{50} R, f_{90} R]` (P10 / P50 / P90). The same is
done for two models: the as-routed RTT (``routed``) and the fibre bound alone (``fibre``, the
baseline that says how much the hub model adds).

Scores (:func:`score`), for measured :math:`y` and interval :math:`[l, u]`:

- coverage: the share of pairs with :math:`l \\le y \\le u` (nominal 80 %);
- MdAPE: the median of :math:`|P50 - y| / y`;
- the interval score of the central :math:`(1-\\alpha)` interval, :math:`\\alpha = 0.2`,
  Gneiting & Raftery (2007) eq. (43):
  :math:`S = (u - l) + \\tfrac{2}{\\alpha}(l - y)\\,1\\{y < l\\}
  + \\tfrac{2}{\\alpha}(y - u)\\,1\\{y > u\\}`
  [ms], lower is better. It is four lines of numpy; ``scoringrules`` (PyPI) has it too but would
  add a dependency (and numba) for one formula.

:func:`cross_validate` scores on data not used for the estimate: K folds, the factors estimated
on K-1 and scored on the held-out one, the held-out scores pooled.

The rule (issue 21): estimating the factors from a calibration set by this code, and checking
them on data not used for the estimate, is allowed; tuning anything to a check is not.

References
----------
.. [1] T. Gneiting and A. E. Raftery, "Strictly proper scoring rules, prediction, and
   estimation", JASA 102(477):359-378, 2007, doi:10.1198/016214506000001437.
.. [2] R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages", The American
   Statistician 50(4):361-365, 1996, doi:10.2307/2684934.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field, ValidationError, model_validator

from ..errors import DataError
from ..model import StrictModel

QUANTILES = (0.1, 0.5, 0.9)
ALPHA = 1.0 - (QUANTILES[2] - QUANTILES[0])  # 0.2: the [P10, P90] interval is central 80 %
KIND = "transcaspian latency calibration"
METHOD = (
    "empirical quantiles (numpy linear, Hyndman & Fan type 7) of ln(measured / model RTT) "
    "over the placed pairs; no covariates"
)
BUNDLED = "latency_calibration.yaml"
MODELS = ("routed", "fibre")


@dataclass(frozen=True)
class Factors:
    """Measured / model RTT at the 10 %, 50 % and 90 % quantiles [-]."""

    p10: float
    p50: float
    p90: float

    def apply(self, rtt_ms: Any) -> tuple[Any, Any, Any]:
        """P10, P50, P90 of the RTT for a model RTT (scalar or array) [ms]."""
        return self.p10 * rtt_ms, self.p50 * rtt_ms, self.p90 * rtt_ms

    @property
    def width(self) -> float:
        """P90 / P10: the interval's width as a ratio."""
        return self.p90 / self.p10

    def to_dict(self) -> dict[str, float]:
        return {"p10": self.p10, "p50": self.p50, "p90": self.p90}


def fit_factors(measured_ms: np.ndarray, model_ms: np.ndarray) -> Factors:
    """Log-space quantiles of measured / model (module notes); pairs with a non-finite or
    non-positive model RTT are left out. Raises :class:`DataError` with fewer than 2 pairs."""
    y = np.asarray(measured_ms, dtype=float)
    m = np.asarray(model_ms, dtype=float)
    ok = np.isfinite(m) & (m > 0.0) & np.isfinite(y) & (y > 0.0)
    if int(ok.sum()) < 2:
        raise DataError(
            f"latency calibration: {int(ok.sum())} usable pair(s); at least 2 are needed"
        )
    q = np.quantile(np.log(y[ok] / m[ok]), QUANTILES)
    return Factors(*(float(math.exp(x)) for x in q))


def score(measured_ms: np.ndarray, model_ms: np.ndarray, factors: Factors) -> dict[str, Any]:
    """Coverage of [P10, P90], MdAPE of P50 and the mean interval score [ms] (module notes)."""
    y = np.asarray(measured_ms, dtype=float)
    m = np.asarray(model_ms, dtype=float)
    ok = np.isfinite(m) & np.isfinite(y) & (y > 0.0)
    y, m = y[ok], m[ok]
    if y.size == 0:
        return {"pairs": 0, "coverage": None, "mdape": None, "interval_score_ms": None,
                "width": factors.width}
    lo, mid, hi = factors.apply(m)
    return {
        "pairs": int(y.size),
        "coverage": float(np.mean((y >= lo) & (y <= hi))),
        "mdape": float(np.median(np.abs(mid - y) / y)),
        "interval_score_ms": float(np.mean(interval_score(y, lo, hi))),
        "width": factors.width,
    }


def interval_score(y: np.ndarray, lo: np.ndarray, hi: np.ndarray, alpha: float = ALPHA) -> Any:
    """Interval score of the central (1 - alpha) interval [lo, hi] for outcome y,
    Gneiting & Raftery (2007) eq. (43) [units of y]."""
    return (hi - lo) + (2.0 / alpha) * np.maximum(lo - y, 0.0) + (2.0 / alpha) * np.maximum(
        y - hi, 0.0
    )


def folds(n: int, k: int, seed: int = 0) -> np.ndarray:
    """Fold number (0..k-1) of each of n items: a fixed random permutation, dealt round."""
    if not 2 <= k <= n:
        raise DataError(f"--cv: K must be in [2, {n}] (the usable pairs), got {k}")
    fold = np.empty(n, dtype=int)
    fold[np.random.default_rng(seed).permutation(n)] = np.arange(n) % k
    return fold


def cross_validate(
    measured_ms: np.ndarray, models_ms: dict[str, np.ndarray], k: int, seed: int = 0
) -> dict[str, Any]:
    """K-fold cross-validated scores of each model: factors estimated on K-1 folds, P10 / P50 /
    P90 predicted for the held-out fold, the held-out predictions pooled and scored.

    Only pairs where every model is finite take part, so the models are scored on the same
    pairs. ``width`` is the mean over folds of P90 / P10.
    """
    y = np.asarray(measured_ms, dtype=float)
    ok = np.isfinite(y) & (y > 0.0)
    for m in models_ms.values():
        ok &= np.isfinite(m) & (np.asarray(m) > 0.0)
    y = y[ok]
    fold = folds(int(y.size), k, seed)
    out: dict[str, Any] = {"k": k, "seed": seed, "pairs": int(y.size)}
    for name, model in models_ms.items():
        m = np.asarray(model, dtype=float)[ok]
        lo, mid, hi = np.empty_like(y), np.empty_like(y), np.empty_like(y)
        widths = []
        for f in range(k):
            test = fold == f
            fac = fit_factors(y[~test], m[~test])
            lo[test], mid[test], hi[test] = fac.apply(m[test])
            widths.append(fac.width)
        out[name] = {
            "coverage": float(np.mean((y >= lo) & (y <= hi))),
            "mdape": float(np.median(np.abs(mid - y) / y)),
            "interval_score_ms": float(np.mean(interval_score(y, lo, hi))),
            "width": float(np.mean(widths)),
        }
    return out


# --------------------------------------------------------------------------------------------
# The calibration file


class _FactorsIn(StrictModel):
    p10: float = Field(gt=0.0, le=100.0)
    p50: float = Field(gt=0.0, le=100.0)
    p90: float = Field(gt=0.0, le=100.0)

    @model_validator(mode="after")
    def _ordered(self) -> _FactorsIn:
        if not self.p10 <= self.p50 <= self.p90:
            raise ValueError("factors must satisfy p10 <= p50 <= p90")
        return self


class _FactorSet(StrictModel):
    routed: _FactorsIn
    fibre: _FactorsIn


class _CalibrationIn(StrictModel):
    kind: str = Field(description=f"Always {KIND!r}.")
    version: int = Field(ge=1, le=1)
    method: str
    quantiles: tuple[float, float, float]
    factors: _FactorSet
    provenance: dict[str, Any]
    in_sample: dict[str, Any] = Field(default_factory=dict)
    cross_validated: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class LatencyCalibration:
    """Factors for the as-routed RTT and the fibre-only baseline, with their provenance."""

    routed: Factors
    fibre: Factors
    provenance: dict[str, Any]
    method: str = METHOD
    in_sample: dict[str, Any] | None = None
    cross_validated: dict[str, Any] | None = None
    source: str = ""
    """Where this calibration was read from (a path, or 'bundled'); not written."""

    def factors(self, model: str) -> Factors:
        return self.routed if model == "routed" else self.fibre

    def to_dict(self) -> dict[str, Any]:
        """The calibration file's content; factors to 6 decimals, scores to 4 (their
        precision is far below that of the data)."""
        d: dict[str, Any] = {
            "kind": KIND,
            "version": 1,
            "method": self.method,
            "quantiles": list(QUANTILES),
            "factors": {
                "routed": _rounded(self.routed.to_dict(), 6),
                "fibre": _rounded(self.fibre.to_dict(), 6),
            },
            "provenance": dict(self.provenance),
        }
        if self.in_sample:
            d["in_sample"] = _rounded(self.in_sample, 4)
        if self.cross_validated:
            d["cross_validated"] = _rounded(self.cross_validated, 4)
        return d

    def to_yaml(self) -> str:
        import yaml

        head = (
            "# Latency calibration made by `transcaspian network calibrate` (do not edit by hand:\n"
            "# rerun the command). Factors are measured / model RTT at P10 / P50 / P90.\n"
        )
        return head + yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


def _rounded(d: Any, digits: int) -> Any:
    if isinstance(d, dict):
        return {k: _rounded(v, digits) for k, v in d.items()}
    return round(d, digits) if isinstance(d, float) else d


def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def parse_calibration(text: str, source: str) -> LatencyCalibration:
    """A calibration from YAML text; :class:`DataError` naming the file and field."""
    from .._load import parse_yaml, validation_message

    data = parse_yaml(text, source=source, error=DataError)
    try:
        c = _CalibrationIn.model_validate(data)
    except ValidationError as err:
        raise DataError(validation_message(err, source)) from None
    if c.kind != KIND:
        raise DataError(f"{source}: kind: expected {KIND!r}, got {c.kind!r}")
    if tuple(c.quantiles) != QUANTILES:
        raise DataError(f"{source}: quantiles: expected {list(QUANTILES)}, got {list(c.quantiles)}")

    def fac(x: _FactorsIn) -> Factors:
        return Factors(x.p10, x.p50, x.p90)

    return LatencyCalibration(
        routed=fac(c.factors.routed),
        fibre=fac(c.factors.fibre),
        provenance=dict(c.provenance),
        method=c.method,
        in_sample=dict(c.in_sample) or None,
        cross_validated=dict(c.cross_validated) or None,
        source=source,
    )


def load_calibration(path: str | Path | None = None) -> LatencyCalibration:
    """The calibration at ``path``, or the bundled one (``data/latency_calibration.yaml``,
    made by ``transcaspian network calibrate`` from WonderProxy's 2020 pings; SOURCES.md)."""
    from .._load import read_text

    if path is None:
        text = resources.files("transcaspian").joinpath("data", BUNDLED).read_text("utf-8")
        return parse_calibration(text, "bundled " + BUNDLED)
    text = read_text(path, what="latency calibration", error=DataError)
    return parse_calibration(text, str(path))


def calibrate(
    measured_ms: np.ndarray,
    routed_ms: np.ndarray,
    fibre_ms: np.ndarray,
    provenance: dict[str, Any],
    *,
    cv: int = 5,
) -> LatencyCalibration:
    """Estimate the factors of both models from one set of placed pairs (module notes), with
    their in-sample scores and, when ``cv`` >= 2, their ``cv``-fold cross-validated scores.

    Only pairs where both models are finite are used, so the two are estimated on the same
    pairs; ``provenance`` gets ``n_pairs``.
    """
    y = np.asarray(measured_ms, dtype=float)
    r = np.asarray(routed_ms, dtype=float)
    f = np.asarray(fibre_ms, dtype=float)
    ok = np.isfinite(y) & np.isfinite(r) & np.isfinite(f) & (r > 0) & (f > 0)
    y, r, f = y[ok], r[ok], f[ok]
    routed, fibre = fit_factors(y, r), fit_factors(y, f)
    cvd = cross_validate(y, {"routed": r, "fibre": f}, cv) if cv >= 2 else None
    return LatencyCalibration(
        routed=routed,
        fibre=fibre,
        provenance={**provenance, "n_pairs": int(y.size)},
        in_sample={"routed": score(y, r, routed), "fibre": score(y, f, fibre)},
        cross_validated=cvd,
    )
