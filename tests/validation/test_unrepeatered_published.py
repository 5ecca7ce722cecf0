"""Published unrepeatered results modelled with published facts and the toolkit's defaults.

Issue 19 §4. ``data/unrepeatered/published.yaml`` holds each result: its source, the published
facts, every assumption (written before the first run), the line or the design-search inputs,
and the published observables with their 1 dB tolerance. One parametrised test runs every check
of every case the same way, so a held-out case is one more YAML entry:

* ``kind: line`` -- the line is written element by element from the published facts; pump
  powers that are not published are solved from the published on-off gain
  (:func:`fit_pump_powers`: least squares on the per-channel on-off gain, i.e. as flat as the
  published pump wavelengths allow), then the line is evaluated at the published launch.
* ``kind: design`` -- only the headline is published; the toolkit's unrepeatered design search
  (:func:`transcaspian.optics.design.compare_designs` with ``max_repeaters: 0``, the default
  fibre and pump bounds, no end-of-life allowance: a laboratory or commissioning result) designs
  the line, and the best unrepeatered design's worst channel is compared with the SNR the
  published channel rate needs.

Required SNR of a channel: eqs. (3)-(4) of :class:`transcaspian.optics.transceivers.AdaptiveModem`
(GMI = 2 log2(1 + SNR/Γ), R_net = R_s GMI / ((1 + OH) NGMI_th)) with the modem defaults of the
YAML (the ``submarine`` library's stated planner assumptions) at the published symbol rate.

A case that misses by more than 1 dB carries ``miss`` in the YAML, with the measured gap and its
cause, and runs as a strict expected failure; where the cause can be measured it is checked too
(``cause_checks``, :func:`test_stated_cause_of_a_miss_holds`: a diagnostic, never the case's
reproduction). Results of the first run (2026-12-06, inputs unchanged since), modelled minus
published:

* Zhu et al. ECOC 2026, 303.4 km 2-core MCF, 33 x 800G: mean OSNR -1.36 dB, worst-channel
  margin -1.25 dB (the on-off-flat pump split leaves the 7.6 dB SRS tilt; a received-flat split
  gives -0.72 dB);
* Busson et al. ECOC 2025, 368.7 km, 52 x 700G (design search): worst channel -1.92 dB, mean
  channel -0.14 dB (the designed line's GSNR spread);
* Busson et al. ECOC 2025, 407.9 km, 80 x 400G (design search, ``slow``): worst channel -5.82
  dB, median channel -0.19 dB (band-edge ripple over the assumed 6 THz; unpublished fibre);
* OFC 2025, 403 km without ROPA, 10.3 Tb/s (design search): worst channel -3.38 dB, mean -2.6
  dB (cause not established: fibre, channel plan and pumps unpublished).

After the design search covers forward second-order pumping (a 13xx nm co pump with its seeds,
capped by the forward budget; same inputs, 2026-12-06): 407.9 km worst channel -0.38 dB (inside
the tolerance, no longer an expected failure); 368.7 km -1.34 dB (mean +0.76 dB); 403 km -2.12
dB (mean -1.18 dB).

After per-channel pre-emphasis in the design search (Chraplyvy et al. 1992: launch against
received GSNR at constant total power, :func:`transcaspian.optics.design._pre_emphasis`; same
inputs, 2026-12-07): 407.9 km worst channel +0.32 dB; 368.7 km -0.14 dB (inside the tolerance,
no longer an expected failure); 403 km -1.20 dB (mean -1.18 dB: still a miss).
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from scipy.optimize import least_squares

from transcaspian.optics import LineResult, evaluate_line, line_case_from_dict

DATA = Path(__file__).parent / "data" / "unrepeatered" / "published.yaml"


def _doc() -> dict[str, Any]:
    return dict(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def _cases() -> list[dict[str, Any]]:
    return list(_doc()["cases"])


def _case(name: str) -> dict[str, Any]:
    return next(c for c in _cases() if c["name"] == name)


def required_snr_db(net_rate_gbps: float, symbol_rate_gbaud: float) -> float:
    """SNR [dB] in the symbol bandwidth that eqs. (3)-(4) of ``AdaptiveModem`` need for a net
    rate at a symbol rate, with the YAML's modem defaults (gap Γ, FEC overhead, NGMI_th):
    SNR = Γ (2^(b/2) − 1), b = R_net (1 + OH) NGMI_th / R_s [bit per dual-pol. symbol]."""
    m = _doc()["modem_defaults"]
    bits = net_rate_gbps * (1.0 + m["fec_overhead"]) * m["ngmi_threshold"] / symbol_rate_gbaud
    return float(m["implementation_gap_db"] + 10.0 * np.log10(2.0 ** (bits / 2.0) - 1.0))


def _launch_per_channel_dbm(case: dict[str, Any]) -> float:
    sp = case["line"]["spectrum"]
    n = round((sp["last_channel_thz"] - sp["first_channel_thz"]) * 1e3 / sp["spacing_ghz"]) + 1
    return float(case["launch_total_dbm"] - 10.0 * np.log10(n))


def _on_off_gain_db(line: dict[str, Any], launch_dbm: float, element: int) -> np.ndarray:
    res = evaluate_line(line_case_from_dict(line), launch_dbm)
    spans = [s for s in res.raman_spans]
    assert spans, f"element {element}: no pumped fibre"
    return np.asarray(spans[0][1].on_off_gain_db, dtype=float)


def fit_pump_powers(case: dict[str, Any], mode: str = "on_off") -> dict[str, Any]:
    """The case's line with its pump powers solved from the published on-off gain.

    ``mode="on_off"`` (the case's stated assumption): least squares on (on-off gain of each
    channel − target) over the log of each pump's power, starting from the YAML's (equal)
    powers: the mean gain meets the published value and the on-off ripple is the smallest the
    published pump wavelengths allow. ``mode="received"`` (a diagnostic of a stated cause, never
    a case's input): the same mean gain, the pumps split to flatten the received power instead.
    Returns a new line dict.
    """
    fit = case["raman_fit"]
    line = copy.deepcopy(case["line"])
    pumps = line["elements"][fit["fibre_element"]]["fibre"]["raman_pumps"]
    launch = _launch_per_channel_dbm(case)
    target = float(fit["target_on_off_gain_db"])

    def resid(log_p: np.ndarray) -> np.ndarray:
        for p, lp in zip(pumps, log_p, strict=True):
            p["power_w"] = float(np.exp(lp))
        if mode == "received":
            res = evaluate_line(line_case_from_dict(line), launch)
            rx = np.asarray(res.signal_power_dbm, dtype=float)
            gain = np.asarray(res.raman_spans[0][1].on_off_gain_db, dtype=float)
            return np.append(rx - rx.mean(), 3.0 * (gain.mean() - target))
        return _on_off_gain_db(line, launch, fit["fibre_element"]) - target

    x0 = np.log([p["power_w"] for p in pumps])
    sol = least_squares(resid, x0, bounds=(np.log(0.01), np.log(2.0)), xtol=1e-6)
    for p, lp in zip(pumps, sol.x, strict=True):
        p["power_w"] = float(np.exp(lp))
    return line


@cache
def modelled_line(name: str, fit_mode: str = "on_off") -> tuple[LineResult, dict[str, Any]]:
    case = _case(name)
    line = fit_pump_powers(case, fit_mode) if "raman_fit" in case else case["line"]
    return evaluate_line(line_case_from_dict(line), _launch_per_channel_dbm(case)), line


def design_config(case: dict[str, Any]) -> Any:
    """The toolkit's defaults with a case's published channel plan (and the amplifier band it
    needs), no end-of-life allowance, no system margin, unrepeatered designs only."""
    from transcaspian.optics.config import OpticsConfig

    data: dict[str, Any] = {
        "end_of_life": {"ageing_db_per_span": 0.0, "repairs": 0, "terminal_loss_db": 0.0},
        "system_margin_db": 0.0,
        "target_system_capacity_tbps": None,
        "design_space": {"max_repeaters": 0,
                         "include_unrepeatered": list(case["include_unrepeatered"])},
    }
    if "spectrum" in case:
        data["spectrum"] = case["spectrum"]
    if "band" in case:
        defaults = OpticsConfig()
        for amp in ("booster", "preamplifier", "repeater"):
            data[amp] = {**getattr(defaults, amp).model_dump(), "band": case["band"]}
    return OpticsConfig.model_validate(data)


@cache
def modelled_design(name: str) -> Any:
    """The best unrepeatered design (highest worst-channel GSNR) the search finds."""
    from transcaspian.optics.design import compare_designs

    case = _case(name)
    res = compare_designs(design_config(case), cable_length_km=float(case["published"]
                                                                     ["length_km"]),
                          fibre_pairs=1)
    return max((d for d in res.designs if d.repeaters == 0),
               key=lambda d: (np.isfinite(d.min_gsnr_db), d.min_gsnr_db))


def observable(name: str, what: str, fit_mode: str = "on_off") -> float:
    """A modelled observable of a case (the names used in the YAML's ``checks``):
    ``mean_osnr_ase_0p1nm_db`` (mean over channels of the ASE OSNR in 0.1 nm), and
    ``min_margin_db`` / ``mean_margin_db`` / ``median_margin_db`` (worst / mean / median
    channel's GSNR minus the SNR the published channel rate needs)."""
    case = _case(name)
    if case["kind"] == "design":
        gsnr = np.asarray(modelled_design(name).gsnr_db, dtype=float)
        osnr = None
    else:
        res, _ = modelled_line(name, fit_mode)
        gsnr = np.asarray(res.gsnr_db, dtype=float)
        osnr = np.asarray(res.osnr_ase_0p1nm_db, dtype=float)
    if what == "mean_osnr_ase_0p1nm_db" and osnr is not None:
        return float(np.mean(osnr))
    reduced = {"min_margin_db": np.min(gsnr), "mean_margin_db": np.mean(gsnr),
               "median_margin_db": np.median(gsnr)}
    if what in reduced:
        ch = case["channel"]
        return float(reduced[what]) - required_snr_db(ch["net_rate_gbps"],
                                                      ch["symbol_rate_gbaud"])
    raise KeyError(what)


def _params() -> list[Any]:
    out = []
    for c in _cases():
        for chk in c["checks"]:
            cid = f"{c['name']}-{chk['observable']}"
            miss = (c.get("miss") or {}).get(chk["observable"])
            marks = [pytest.mark.xfail(strict=True, reason=miss)] if miss else []
            if c.get("slow"):
                marks.append(pytest.mark.slow)
            out.append(pytest.param(c["name"], chk, id=cid, marks=marks))
    return out


@pytest.mark.parametrize(("name", "check"), _params())
def test_published_result_reproduced_within_tolerance(name: str, check: dict[str, Any]) -> None:
    got = observable(name, check["observable"])
    want, tol = float(check["published"]), float(check["tolerance_db"])
    if check.get("one_sided"):
        assert got >= want - tol, f"{name}: {check['observable']} {got:.2f} vs >= {want - tol}"
    else:
        assert abs(got - want) <= tol, (
            f"{name}: {check['observable']} modelled {got:.2f} dB vs published {want} dB "
            f"(gap {got - want:+.2f} dB, tolerance {tol} dB)")


def _cause_params() -> list[Any]:
    out = []
    for c in _cases():
        for k, chk in enumerate(c.get("cause_checks") or ()):
            marks = [pytest.mark.slow] if c.get("slow") else []
            out.append(pytest.param(c["name"], chk, id=f"{c['name']}-cause{k}", marks=marks))
    return out


@pytest.mark.parametrize(("name", "check"), _cause_params())
def test_stated_cause_of_a_miss_holds(name: str, check: dict[str, Any]) -> None:
    """A miss's stated cause, where it can be measured, is checked: e.g. "the mean channel is
    inside the tolerance, the miss is the band's spread" or "the pump split closes it". These
    are diagnostics of the cause, never the case's reproduction (which stays an xfail)."""
    got = observable(name, check["observable"], check.get("fit_mode", "on_off"))
    want, tol = float(check["published"]), float(check["tolerance_db"])
    if check.get("one_sided"):
        assert got >= want - tol, f"{name}: {check['observable']} {got:.2f} dB ({check['why']})"
    else:
        assert abs(got - want) <= tol, (
            f"{name}: {check['observable']} {got:.2f} vs {want} dB ({check['why']})")


def test_every_case_names_its_source_facts_and_assumptions() -> None:
    for c in _cases():
        assert c["source"] and c["published"] and c["assumptions"], c["name"]
        assert c["kind"] in ("line", "design"), c["name"]
        assert c["checks"] and all(0.0 < k["tolerance_db"] <= 1.0 for k in c["checks"])
        for obs in (c.get("miss") or {}):
            assert obs in {k["observable"] for k in c["checks"]}, (c["name"], obs)


def test_required_snr_follows_the_modem_equations() -> None:
    """Eqs. (3)-(4) inverted: the net rate at the required SNR is the asked one."""
    from transcaspian.optics.transceivers import AdaptiveModem

    m = _doc()["modem_defaults"]
    modem = AdaptiveModem(name="check", family="check", max_symbol_rate_gbaud=138.0,
                          roll_off=0.0, fec_overhead=m["fec_overhead"],
                          ngmi_threshold=m["ngmi_threshold"],
                          implementation_gap_db=m["implementation_gap_db"],
                          min_net_rate_gbps=100.0, max_net_rate_gbps=1600.0,
                          rate_step_gbps=25.0, source="test", cited=False)
    snr = required_snr_db(800.0, 138.0)
    assert float(modem.net_rate_gbps(snr, 138.0)) == pytest.approx(800.0, rel=1e-9)


def test_pump_fit_meets_the_published_on_off_gain() -> None:
    """The solved pump powers give the published mean on-off gain (the fit's own target, a
    check of the procedure, not of the physics)."""
    for c in _cases():
        if "raman_fit" not in c:
            continue
        res, line = modelled_line(c["name"])
        gain = res.raman_spans[0][1].on_off_gain_db
        assert float(np.mean(gain)) == pytest.approx(c["raman_fit"]["target_on_off_gain_db"],
                                                     abs=0.3)
        pumps = line["elements"][c["raman_fit"]["fibre_element"]]["fibre"]["raman_pumps"]
        assert all(0.01 <= p["power_w"] <= 2.0 for p in pumps)
