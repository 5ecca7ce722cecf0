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

Covariates. The quantiles may be conditioned on stated covariates of a pair, each a few fixed
classes chosen before looking at any score:

- ``distance``: the fibre-bound RTT, a proxy for distance: regional < 20 ms (about 2,000 km of
  fibre at 10 ms RTT per 1,000 km), continental 20-60 ms, intercontinental >= 60 ms;
- ``hubs``: the interconnection hubs the as-routed path meets: 0 (local exchange), 1, 2 or more.

Each class of the chosen set gets its own factors, estimated from its pairs when it has at least
``MIN_GROUP`` of them, else the pooled factors. The set (none, distance, hubs, both) is chosen
*inside the calibration file* by K-fold cross-validation: the one with the lowest cross-validated
mean interval score, ties to the fewer covariates (:func:`select_covariates`). The choice and
every candidate's score are recorded in the file's provenance; the cross-validated figures of
:func:`calibrate` are nested (the choice is re-made inside every training fold), so they score
the whole procedure on data it did not see.

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
    "over the placed pairs, per class of the covariates chosen by K-fold cross-validation "
    "(lowest mean interval score)"
)
COVARIATES = ("distance", "hubs")
CANDIDATE_SETS: tuple[tuple[str, ...], ...] = ((), ("distance",), ("hubs",), ("distance", "hubs"))
DISTANCE_EDGES_MS = (20.0, 60.0)  # fibre-bound RTT class edges [ms] (module notes)
DISTANCE_CLASSES = ("<20ms", "20-60ms", ">=60ms")
HUB_CLASSES = ("0", "1", "2+")
MIN_GROUP = 10  # a class with fewer calibration pairs takes the pooled factors
BUNDLED = "latency_calibration.yaml"
MODELS = ("routed", "fibre")


@dataclass(frozen=True)
class Factors:
    """Measured / model RTT at the 10 %, 50 % and 90 % quantiles [-]."""

    p10: float
    p50: float
    p90: float

    def apply(self, rtt_ms: Any, covariates: Covariates | None = None) -> tuple[Any, Any, Any]:
        """P10, P50, P90 of the RTT for a model RTT (scalar or array) [ms]; ``covariates``
        is not used (pooled factors)."""
        return self.p10 * rtt_ms, self.p50 * rtt_ms, self.p90 * rtt_ms

    @property
    def width(self) -> float:
        """P90 / P10: the interval's width as a ratio."""
        return self.p90 / self.p10

    def to_dict(self) -> dict[str, float]:
        return {"p10": self.p10, "p50": self.p50, "p90": self.p90}


def hubs_met(labels: Any) -> np.ndarray:
    """Number of interconnection hubs in meeting labels (``""``: 0, ``"h"``: 1, ``"h>k"`` or
    ``"h|k"``: 2; :func:`.routed_latency.meeting_labels`)."""
    arr = np.asarray(labels, dtype=object).ravel()
    out = np.array(
        [len({h for h in str(x).replace("|", ">").split(">") if h}) for x in arr], dtype=int
    )
    return out.reshape(np.shape(labels))


@dataclass(frozen=True)
class Covariates:
    """The stated covariates of a set of pairs (module notes): fibre-bound RTT [ms] and the
    number of hubs met [-], arrays of one shape."""

    fibre_rtt_ms: np.ndarray
    hubs: np.ndarray

    @classmethod
    def of(cls, fibre_rtt_ms: Any, meeting: Any) -> Covariates:
        """From fibre-bound RTTs [ms] and meeting labels."""
        return cls(np.asarray(fibre_rtt_ms, dtype=float), hubs_met(meeting))

    @classmethod
    def of_routed(cls, fibre_rtt_ms: Any, hub_a: np.ndarray, hub_b: np.ndarray) -> Covariates:
        """From fibre-bound RTTs [ms] and the meeting hubs' indices of a routed matrix (-1:
        none; :class:`.routed_latency.RoutedRtt`), without building labels."""
        a, b = np.asarray(hub_a), np.asarray(hub_b)
        hubs = (a >= 0).astype(int) + ((b >= 0) & (b != a)).astype(int)
        return cls(np.asarray(fibre_rtt_ms, dtype=float), hubs)

    def subset(self, mask: np.ndarray) -> Covariates:
        return Covariates(self.fibre_rtt_ms[mask], self.hubs[mask])

    def codes(self, names: tuple[str, ...]) -> np.ndarray:
        """Each pair's class under the covariate set ``names`` as an index into
        :func:`group_keys` (mixed radix, the first covariate most significant)."""
        code = np.zeros(np.shape(self.hubs), dtype=int)
        for name in names:
            if name == "distance":
                f = np.where(np.isfinite(self.fibre_rtt_ms), self.fibre_rtt_ms, np.inf)
                code = code * len(DISTANCE_CLASSES) + np.digitize(f, DISTANCE_EDGES_MS)
            elif name == "hubs":
                code = code * len(HUB_CLASSES) + np.clip(self.hubs, 0, len(HUB_CLASSES) - 1)
            else:
                raise ValueError(f"unknown covariate {name!r}")
        return code

    def keys(self, names: tuple[str, ...]) -> np.ndarray:
        """Each pair's class label under the covariate set ``names`` (``"all"`` for none)."""
        return np.array(group_keys(names), dtype=object)[self.codes(names)]


def group_keys(names: tuple[str, ...]) -> tuple[str, ...]:
    """Every class label of the covariate set ``names``."""
    classes = {"distance": DISTANCE_CLASSES, "hubs": HUB_CLASSES}
    keys = [""]
    for name in names:
        keys = [f"{k};{name}={c}" if k else f"{name}={c}" for k in keys for c in classes[name]]
    return tuple(keys) if names else ("all",)


@dataclass(frozen=True)
class ConditionalFactors:
    """Factors per class of a covariate set, the pooled factors for the rest (module notes).

    With no covariates it is the pooled :class:`Factors`; ``p10`` / ``p50`` / ``p90`` /
    ``width`` are always the pooled ones (what one sentence can state)."""

    pooled: Factors
    covariates: tuple[str, ...] = ()
    groups: tuple[tuple[str, Factors], ...] = ()

    @property
    def p10(self) -> float:
        return self.pooled.p10

    @property
    def p50(self) -> float:
        return self.pooled.p50

    @property
    def p90(self) -> float:
        return self.pooled.p90

    @property
    def width(self) -> float:
        return self.pooled.width

    def factor_arrays(self, covariates: Covariates | None, shape: tuple[int, ...]) -> np.ndarray:
        """P10 / P50 / P90 factors per pair, shape ``(3, *shape)`` [-]."""
        if not self.covariates:
            return np.broadcast_to(
                np.array([self.p10, self.p50, self.p90]).reshape((3,) + (1,) * len(shape)),
                (3, *shape),
            )
        if covariates is None:
            raise ValueError(
                f"this calibration is conditioned on {', '.join(self.covariates)}: "
                "pass the pairs' covariates"
            )
        table = dict(self.groups)
        lut = np.array([
            [g.p10, g.p50, g.p90]
            for g in (table.get(k, self.pooled) for k in group_keys(self.covariates))
        ])
        return np.moveaxis(lut[covariates.codes(self.covariates)], -1, 0)

    def apply(self, rtt_ms: Any, covariates: Covariates | None = None) -> tuple[Any, Any, Any]:
        """P10, P50, P90 of the RTT [ms] for model RTTs (scalar or array) and, when the
        factors are conditioned, the pairs' covariates."""
        if not self.covariates:
            return self.pooled.apply(rtt_ms)
        r = np.asarray(rtt_ms, dtype=float)
        fac = self.factor_arrays(covariates, r.shape)
        lo, mid, hi = fac[0] * r, fac[1] * r, fac[2] * r
        if r.ndim == 0:
            return float(lo), float(mid), float(hi)
        return lo, mid, hi

    def mean_width(self, covariates: Covariates | None, n: int) -> float:
        """Mean P90 / P10 over the pairs."""
        if not self.covariates:
            return self.width
        fac = self.factor_arrays(covariates, (n,))
        return float(np.mean(fac[2] / fac[0])) if n else self.width

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = self.pooled.to_dict()
        if self.covariates:
            d["covariates"] = list(self.covariates)
            d["groups"] = {k: f.to_dict() for k, f in self.groups}
        return d


def fit_conditional(
    measured_ms: np.ndarray,
    model_ms: np.ndarray,
    covariates: Covariates | None,
    names: tuple[str, ...],
) -> ConditionalFactors:
    """Pooled factors, and factors per class of ``names`` with at least ``MIN_GROUP`` usable
    pairs (module notes)."""
    pooled = fit_factors(measured_ms, model_ms)
    if not names or covariates is None:
        return ConditionalFactors(pooled)
    y = np.asarray(measured_ms, dtype=float)
    m = np.asarray(model_ms, dtype=float)
    ok = np.isfinite(m) & (m > 0.0) & np.isfinite(y) & (y > 0.0)
    codes = covariates.codes(names)
    groups = []
    for n, key in enumerate(group_keys(names)):
        sel = ok & (codes == n)
        if int(sel.sum()) >= MIN_GROUP:
            groups.append((key, fit_factors(y[sel], m[sel])))
    return ConditionalFactors(pooled, tuple(names), tuple(groups))


def set_label(names: tuple[str, ...]) -> str:
    return "+".join(names) if names else "none"


def _held_out(
    y: np.ndarray, m: np.ndarray, cov: Covariates | None, names: tuple[str, ...],
    fold: np.ndarray, k: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo, mid, hi = np.empty_like(y), np.empty_like(y), np.empty_like(y)
    for f in range(k):
        test = fold == f
        fac = fit_conditional(
            y[~test], m[~test], None if cov is None else cov.subset(~test), names
        )
        lo[test], mid[test], hi[test] = fac.apply(
            m[test], None if cov is None else cov.subset(test)
        )
    return lo, mid, hi


def select_covariates(
    measured_ms: np.ndarray, model_ms: np.ndarray, covariates: Covariates, k: int, seed: int = 0
) -> tuple[tuple[str, ...], dict[str, float]]:
    """The covariate set of ``CANDIDATE_SETS`` with the lowest K-fold cross-validated mean
    interval score (ties: the earlier, fewer covariates), and every candidate's score [ms].
    The inputs must be usable pairs only (finite, positive). With fewer than ``MIN_GROUP`` x
    2 pairs nothing can be conditioned: no covariates, no scores."""
    y = np.asarray(measured_ms, dtype=float)
    m = np.asarray(model_ms, dtype=float)
    if y.size < 2 * MIN_GROUP or y.size < 2 * k:
        return (), {}
    fold = folds(int(y.size), k, seed)
    scores: dict[str, float] = {}
    best: tuple[str, ...] = ()
    for names in CANDIDATE_SETS:
        lo, _, hi = _held_out(y, m, covariates, names, fold, k)
        scores[set_label(names)] = float(np.mean(interval_score(y, lo, hi)))
        if scores[set_label(names)] < scores[set_label(best)] - 1e-9:
            best = names
    return best, scores


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


def score(
    measured_ms: np.ndarray,
    model_ms: np.ndarray,
    factors: Factors | ConditionalFactors,
    covariates: Covariates | None = None,
) -> dict[str, Any]:
    """Coverage of [P10, P90], MdAPE of P50 and the mean interval score [ms] (module notes);
    ``width`` is the mean P90 / P10 over the pairs."""
    y = np.asarray(measured_ms, dtype=float)
    m = np.asarray(model_ms, dtype=float)
    ok = np.isfinite(m) & np.isfinite(y) & (y > 0.0)
    y, m = y[ok], m[ok]
    cov = None if covariates is None else covariates.subset(ok)
    if y.size == 0:
        return {"pairs": 0, "coverage": None, "mdape": None, "interval_score_ms": None,
                "width": factors.width}
    lo, mid, hi = factors.apply(m, cov)
    return {
        "pairs": int(y.size),
        "coverage": float(np.mean((y >= lo) & (y <= hi))),
        "mdape": float(np.median(np.abs(mid - y) / y)),
        "interval_score_ms": float(np.mean(interval_score(y, lo, hi))),
        "width": float(np.mean(hi / lo)),
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
    measured_ms: np.ndarray,
    models_ms: dict[str, np.ndarray],
    k: int,
    seed: int = 0,
    covariates: Covariates | None = None,
) -> dict[str, Any]:
    """K-fold cross-validated scores of each model: factors estimated on K-1 folds, P10 / P50 /
    P90 predicted for the held-out fold, the held-out predictions pooled and scored.

    With ``covariates`` the whole procedure is cross-validated: inside every training fold the
    covariate set is chosen by its own K-fold cross-validation (:func:`select_covariates`), then
    fitted; ``chosen`` lists each fold's choice. Without, the factors are pooled.

    Only pairs where every model is finite take part, so the models are scored on the same
    pairs. ``width`` is the mean over the held-out pairs of P90 / P10.
    """
    y = np.asarray(measured_ms, dtype=float)
    ok = np.isfinite(y) & (y > 0.0)
    for m in models_ms.values():
        ok &= np.isfinite(m) & (np.asarray(m) > 0.0)
    y = y[ok]
    cov = None if covariates is None else covariates.subset(ok)
    fold = folds(int(y.size), k, seed)
    out: dict[str, Any] = {"k": k, "seed": seed, "pairs": int(y.size)}
    for name, model in models_ms.items():
        m = np.asarray(model, dtype=float)[ok]
        lo, mid, hi = np.empty_like(y), np.empty_like(y), np.empty_like(y)
        chosen = []
        for f in range(k):
            test = fold == f
            names: tuple[str, ...] = ()
            if cov is not None:
                names, _ = select_covariates(y[~test], m[~test], cov.subset(~test), k, seed)
            chosen.append(set_label(names))
            fac = fit_conditional(
                y[~test], m[~test], None if cov is None else cov.subset(~test), names
            )
            lo[test], mid[test], hi[test] = fac.apply(
                m[test], None if cov is None else cov.subset(test)
            )
        out[name] = {
            "coverage": float(np.mean((y >= lo) & (y <= hi))),
            "mdape": float(np.median(np.abs(mid - y) / y)),
            "interval_score_ms": float(np.mean(interval_score(y, lo, hi))),
            "width": float(np.mean(hi / lo)),
            **({"chosen": chosen} if cov is not None else {}),
        }
    return out


# --------------------------------------------------------------------------------------------
# The calibration file


class _TripleIn(StrictModel):
    p10: float = Field(gt=0.0, le=100.0)
    p50: float = Field(gt=0.0, le=100.0)
    p90: float = Field(gt=0.0, le=100.0)

    @model_validator(mode="after")
    def _ordered(self) -> _TripleIn:
        if not self.p10 <= self.p50 <= self.p90:
            raise ValueError("factors must satisfy p10 <= p50 <= p90")
        return self


class _FactorsIn(_TripleIn):
    covariates: list[str] = Field(default_factory=list)
    groups: dict[str, _TripleIn] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known(self) -> _FactorsIn:
        if tuple(self.covariates) not in CANDIDATE_SETS:
            raise ValueError(
                f"covariates: {self.covariates} is not one of "
                f"{[list(c) for c in CANDIDATE_SETS]}"
            )
        unknown = set(self.groups) - set(group_keys(tuple(self.covariates)))
        if unknown:
            raise ValueError(f"groups: unknown class(es) {sorted(unknown)}")
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

    routed: ConditionalFactors
    fibre: ConditionalFactors
    provenance: dict[str, Any]
    method: str = METHOD
    in_sample: dict[str, Any] | None = None
    cross_validated: dict[str, Any] | None = None
    source: str = ""
    """Where this calibration was read from (a path, or 'bundled'); not written."""

    def factors(self, model: str) -> ConditionalFactors:
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

    def fac(x: _FactorsIn) -> ConditionalFactors:
        return ConditionalFactors(
            Factors(x.p10, x.p50, x.p90),
            tuple(x.covariates),
            tuple((k, Factors(g.p10, g.p50, g.p90)) for k, g in x.groups.items()),
        )

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
    covariates: Covariates | None = None,
) -> LatencyCalibration:
    """Estimate the factors of both models from one set of placed pairs (module notes), with
    their in-sample scores and, when ``cv`` >= 2, their ``cv``-fold cross-validated scores.

    With ``covariates`` (and ``cv`` >= 2), each model's covariate set is chosen by ``cv``-fold
    cross-validation (:func:`select_covariates`); ``provenance["covariate_selection"]`` records
    every candidate's cross-validated mean interval score and the choice, and the
    cross-validated scores are nested (:func:`cross_validate`).

    Only pairs where both models are finite are used, so the two are estimated on the same
    pairs; ``provenance`` gets ``n_pairs``.
    """
    y = np.asarray(measured_ms, dtype=float)
    r = np.asarray(routed_ms, dtype=float)
    f = np.asarray(fibre_ms, dtype=float)
    ok = np.isfinite(y) & np.isfinite(r) & np.isfinite(f) & (r > 0) & (f > 0) & (y > 0)
    y, r, f = y[ok], r[ok], f[ok]
    cov = None if covariates is None else covariates.subset(ok)
    prov: dict[str, Any] = {**provenance, "n_pairs": int(y.size)}
    chosen: dict[str, tuple[str, ...]] = {"routed": (), "fibre": ()}
    if cov is not None and cv >= 2:
        selection: dict[str, Any] = {
            "rule": f"lowest {cv}-fold cross-validated mean interval score [ms] (seed 0); "
            f"classes with fewer than {MIN_GROUP} pairs take the pooled factors",
            "classes": {"distance": "fibre-bound RTT " + ", ".join(DISTANCE_CLASSES),
                        "hubs": "hubs met " + ", ".join(HUB_CLASSES)},
        }
        for name, model in (("routed", r), ("fibre", f)):
            chosen[name], scores = select_covariates(y, model, cov, cv)
            selection[name] = {
                "chosen": set_label(chosen[name]),
                "cv_interval_score_ms": {k: round(v, 2) for k, v in scores.items()},
            }
        prov["covariate_selection"] = selection
    routed = fit_conditional(y, r, cov, chosen["routed"])
    fibre = fit_conditional(y, f, cov, chosen["fibre"])
    cvd = cross_validate(y, {"routed": r, "fibre": f}, cv, covariates=cov) if cv >= 2 else None
    return LatencyCalibration(
        routed=routed,
        fibre=fibre,
        provenance=prov,
        in_sample={"routed": score(y, r, routed, cov), "fibre": score(y, f, fibre, cov)},
        cross_validated=cvd,
    )
