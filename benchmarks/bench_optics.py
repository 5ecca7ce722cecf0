"""Optics benchmark: transcaspian against GNPy 3.0.1 in the same process.

Line: 5 × 80 km SSMF (0.2 dB/km, D 16.7 ps/(nm km), A_eff 83 µm²), an EDFA after each span
(gain 16 dB, NF 5 dB), 96 channels × 50 GHz at 32 GBd, 0 dBm per channel (the project's L5_50G
reference case). Prints time ratios and the largest |ΔGSNR| over channels for

* GN closed form (GNPy ``gn_model_analytic``, SRS off) vs ``nli_model: gn_closed_form``, one
  call (target >= 20x);
* GNPy's fastest SRS-aware path (GN analytic + perturbative SRS solver) vs
  ``nli_model: isrs_gn_closed_form``, one call (target >= 5000x);
* batched evaluation: 256 and 4096 variants of the line (launch power x tilt on a leading
  axis) in one ``evaluate_line`` call, time per line (target <= 20 us at both sizes);
* GNPy's ``ggn_spectrally_separated`` + SRS solver on every channel vs ``nli_model:
  generalised_gn`` (target >= 100x; GNPy timed on 8 channels and scaled to 96 unless
  ``--ggn-full``; ``--skip-ggn`` leaves it out);
* a sweep of 100 000 uniform line designs (25 lengths x 40 launch powers x 10 repeater counts
  x 10 fibre types) through :func:`transcaspian.optics.sweep.uniform_line_gsnr_db`, against
  GNPy's GN time per line x 1e5; and 25 000 designs of it with ISRS (span by span), against
  GNPy's GN + SRS time per line.

Single-call timings are interleaved with GNPy's over several rounds (``--rounds``) and the
ratio printed is the median over rounds (the worst round in brackets), so that machine load
hits both sides alike. BLAS runs on one thread (``benchmarks/__init__.py``).

Run: ``python benchmarks/bench_optics.py [--skip-ggn]`` (needs the ``bench`` extra: gnpy).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see benchmarks/__init__.py

import argparse
import statistics
import time
from collections.abc import Callable
from copy import deepcopy
from typing import Any

import numpy as np

from transcaspian.optics import FibreType, line_case_from_dict
from transcaspian.optics.line import evaluate_line
from transcaspian.optics.sweep import uniform_line_gsnr_db

N_SPANS, SPAN_KM, GAIN_DB, NF_DB, LAUNCH_DBM = 5, 80.0, 16.0, 5.0, 0.0
GRID = {"f_min": 191.35e12, "f_max": 196.10e12, "spacing": 50e9, "baud_rate": 32e9,
        "roll_off": 0.15}
SSMF = {"loss_db_per_km": 0.2, "dispersion_ps_per_nm_km": 16.7, "effective_area_um2": 83.0,
        "n2_m2_per_w": 2.6e-20, "reference_wavelength_nm": 1550.0}


def our_line(nli_model: str) -> Any:
    elements: list[dict[str, Any]] = []
    for _ in range(N_SPANS):
        elements += [{"fibre": {"type": "SSMF", "length_km": SPAN_KM}},
                     {"amplifier": {"gain_db": GAIN_DB, "noise_figure_db": NF_DB}}]
    return line_case_from_dict({
        "name": "L5_50G",
        "spectrum": {"first_channel_thz": 191.35, "last_channel_thz": 196.10, "spacing_ghz": 50.0,
                     "symbol_rate_gbaud": 32.0, "roll_off": 0.15,
                     "launch_power_dbm_per_channel": LAUNCH_DBM},
        "fibres": {"SSMF": SSMF},
        "elements": elements,
        "nli_model": nli_model,
    })


# ------------------------------------------------------------------------------------ GNPy side


def _gnpy_elements() -> tuple[list[Any], Callable[[], Any]]:
    """GNPy Fiber/Edfa objects of the line and a factory of its input spectrum."""
    from gnpy.core.elements import Edfa, Fiber
    from gnpy.core.info import create_input_spectral_information
    from gnpy.core.utils import dbm2watt
    from gnpy.tools.json_io import Model_fg

    where = {"location": {"latitude": 0, "longitude": 0, "city": None, "region": None}}
    fibre_params = {"loss_coef": 0.2, "dispersion": 1.67e-05, "effective_area": 83e-12,
                    "pmd_coef": 1.265e-15, "att_in": 0, "con_in": 0, "con_out": 0,
                    "length": SPAN_KM, "length_units": "km"}
    amp_params = {
        "type_variety": "bench", "type_def": "fixed_gain", "f_min": 191.0e12, "f_max": 196.5e12,
        "f_ripple_ref": None, "multi_band": None, "bands": None, "gain_flatmax": 40.0,
        "gain_min": 0.0, "p_max": 40.0, "nf_model": Model_fg(NF_DB), "dual_stage_model": None,
        "preamp_variety": None, "booster_variety": None, "nf_min": None, "nf_max": None,
        "nf_coef": None, "nf0": NF_DB, "nf_fit_coeff": None, "nf_ripple": 0, "gain_ripple": 0,
        "tilt_ripple": 0, "dgt": [1.0, 1.0], "out_voa_auto": False, "allowed_for_design": False,
        "raman": False, "pmd": 0, "pdl": 0, "advance_configurations_from_json": None,
    }
    elements: list[Any] = []
    for k in range(N_SPANS):
        fibre = Fiber(uid=f"span{k}", type_variety="SSMF", params=dict(fibre_params),
                      metadata=where)
        fibre.ref_pch_in_dbm = LAUNCH_DBM
        amp = Edfa(uid=f"amp{k}", params=dict(amp_params),
                   operational={"gain_target": GAIN_DB, "delta_p": None, "out_voa": 0,
                                "in_voa": 0, "tilt_target": 0},
                   metadata=where)
        elements += [fibre, amp]

    def spectrum() -> Any:
        return create_input_spectral_information(tx_osnr=None, tx_power=dbm2watt(LAUNCH_DBM),
                                                 **GRID)

    return elements, spectrum


def _gnpy_run(elements: list[Any], spectrum: Callable[[], Any]) -> np.ndarray:
    si = spectrum()
    for el in elements:
        si = el(si)
    return np.asarray(si.gsnr_db, dtype=float)


def _set_sim(nli: dict[str, Any], srs: bool) -> None:
    from gnpy.core.parameters import SimParams

    raman: dict[str, Any] = {"flag": srs}
    if srs:
        raman.update({"method": "perturbative", "order": 2, "result_spatial_resolution": 10e3,
                      "solver_spatial_resolution": 50})
    SimParams.set_params(deepcopy({"nli_params": nli, "raman_params": raman}))


def _median_time(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    out = func()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _ratio(ours: Callable[[], Any], theirs: Callable[[], Any], *, rounds: int,
           ours_repeat: int, theirs_repeat: int) -> tuple[float, float, float, float, Any, Any]:
    """Interleaved timing, so both sides see the same machine load.

    Each round times ``ours`` (median of ``ours_repeat`` calls) and ``theirs`` (median of
    ``theirs_repeat``). Returns (our best time, their best time, median over rounds of the
    per-round ratio, smallest per-round ratio, our output, their output)."""
    t_ours, t_theirs, ratios = [], [], []
    out_ours = out_theirs = None
    for _ in range(rounds):
        a, out_ours = _median_time(ours, ours_repeat)
        b, out_theirs = _median_time(theirs, theirs_repeat)
        t_ours.append(a)
        t_theirs.append(b)
        ratios.append(b / a)
    return (min(t_ours), min(t_theirs), statistics.median(ratios), min(ratios), out_ours,
            out_theirs)


def _verdict(ratio: float, target: float) -> str:
    return f"target >= {target:g}x: {'met' if ratio >= target else 'NOT met'}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print ratios (transcaspian vs GNPy, same process)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-ggn", action="store_true",
                    help="skip GNPy's ggn_spectrally_separated runs (minutes)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved timing rounds")
    ap.add_argument("--ggn-full", action="store_true",
                    help="run GNPy's generalised GN on every channel (~5 minutes) instead of 8")
    args = ap.parse_args([] if argv is None else argv)  # `python -m benchmarks` passes nothing

    gn_line, isrs_line = our_line("gn_closed_form"), our_line("isrs_gn_closed_form")
    elements, spectrum = _gnpy_elements()
    print("5 x 80 km SSMF, 96 ch x 50 GHz @ 32 GBd, 0 dBm/ch; GNPy 3.0.1 in the same process")
    print(f"  timings interleaved over {args.rounds} rounds; ratio = median over rounds of "
          "(GNPy median / ours median), [worst round]")

    _set_sim({"method": "gn_model_analytic"}, srs=False)
    t_our_gn, t_gnpy_gn, r_gn, r_gn_lo, ours_gn, gnpy_gn = _ratio(
        lambda: evaluate_line(gn_line), lambda: _gnpy_run(elements, spectrum),
        rounds=args.rounds, ours_repeat=200, theirs_repeat=20)
    print(f"  GN    GNPy gn_model_analytic      {t_gnpy_gn * 1e3:9.3f} ms (best round)")
    print(f"        transcaspian gn_closed_form {t_our_gn * 1e3:9.3f} ms   ratio {r_gn:7.1f}x "
          f"[{r_gn_lo:.1f}x]   {_verdict(r_gn, 20)}   "
          f"max|dGSNR| = {np.abs(ours_gn.gsnr_db - gnpy_gn).max():.4f} dB")

    _set_sim({"method": "gn_model_analytic"}, srs=True)
    t_our_isrs, t_gnpy_srs, r_srs, r_srs_lo, ours_isrs, gnpy_gn_srs = _ratio(
        lambda: evaluate_line(isrs_line), lambda: _gnpy_run(elements, spectrum),
        rounds=args.rounds, ours_repeat=100, theirs_repeat=1)
    print(f"  SRS   GNPy GN + SRS solver        {t_gnpy_srs * 1e3:9.1f} ms (fastest SRS path)")
    print(f"        transcaspian isrs_gn_closed_form {t_our_isrs * 1e3:6.3f} ms   ratio "
          f"{r_srs:7.0f}x [{r_srs_lo:.0f}x]   {_verdict(r_srs, 5000)}   "
          f"max|dGSNR| vs it = {np.abs(ours_isrs.gsnr_db - gnpy_gn_srs).max():.3f} dB")

    _batched(gn_line, isrs_line)
    if not args.skip_ggn:
        _ggn(args.ggn_full)
    _sweeps(gn_line, t_gnpy_gn, t_gnpy_srs)
    _long_haul()
    return 0


def _long_haul() -> None:
    """Design search of 6,000-12,000 km cables (issue 20 §2): ``compare_designs`` with the
    repeater count searched (spans >= 40 km, up to 299 repeaters, library ``submarine``),
    against the exhaustive reference in the same process: every count designed in full (the
    launch x tilt grid of each), timed on 5 counts spread over the range and scaled to all.
    Target: the search <= 2 s."""
    from transcaspian.optics import design as dm
    from transcaspian.optics.config import DesignSpace, OpticsConfig

    cfg = OpticsConfig(transceivers="submarine", target_system_capacity_tbps=160.0,
                       design_space=DesignSpace(max_repeaters=None))
    lib = dm.design_library(cfg, None)
    sp = cfg.spectrum
    ramp = np.linspace(-0.5, 0.5, sp.n_channels)
    tilts = np.asarray(cfg.design_space.launch_tilts_db, dtype=float)
    print("  long-haul design search (8 fibre pairs, submarine modems, spans >= 40 km):")
    for length in (6000.0, 9000.0, 12000.0):
        t0 = time.perf_counter()
        res = dm.compare_designs(cfg, cable_length_km=length, fibre_pairs=8)
        t_search = time.perf_counter() - t0
        counts = dm.repeater_count_range(cfg, length)
        sample = np.unique(np.linspace(counts[0], counts[-1], 5).round().astype(int))
        t0 = time.perf_counter()
        for k in sample:
            case = dm.build_design_lines(cfg, length, repeater_counts=(int(k),))[f"repeatered_{k}"]
            dm._grid_search(cfg, case, lib, dm._launch_grid(cfg, case), tilts, ramp)
        t_full = (time.perf_counter() - t0) / sample.size * len(counts)
        best = max(res.designs, key=lambda d: d.capacity_tbps_per_fibre_pair)
        print(f"    {length:7.0f} km: search {t_search:5.2f} s over {len(counts)} repeater counts "
              f"({len(res.designs)} designed); exhaustive reference {t_full:6.1f} s -> ratio "
              f"{t_full / t_search:5.1f}x; target <= 2 s: "
              f"{'met' if t_search <= 2.0 else 'NOT met'}; best {best.repeaters} repeaters "
              f"{best.capacity_tbps_per_fibre_pair:.1f} Tb/s per pair")


def _batched(gn_line: Any, isrs_line: Any) -> None:
    """Many variants of the line in one call (launch power and tilt on leading axes)."""
    n = gn_line.spectrum.n_channels
    ramp = np.linspace(-0.5, 0.5, n)
    for batch in (256, 4096):
        launch = np.linspace(-4.0, 4.0, batch)
        tilt = np.linspace(-2.0, 2.0, batch)[:, None] * ramp
        for name, line in (("gn_closed_form", gn_line), ("isrs_gn_closed_form", isrs_line)):
            def call(line: Any = line, launch: Any = launch, tilt: Any = tilt) -> Any:
                return evaluate_line(line, launch, channel_offsets_db=tilt)

            t = min(_median_time(call, 5)[0] for _ in range(3))
            per = t / batch * 1e6
            flag = f"target <= 20 us: {'met' if per <= 20 else 'NOT met'}"
            print(f"  batch {batch:5d} lines {name:20s} {per:7.2f} us per line (96 ch x 5 spans)"
                  f"   {flag}")


def _ggn(full: bool) -> None:
    """Our ``generalised_gn`` on every channel against GNPy's ``ggn_spectrally_separated`` +
    SRS solver on every channel.

    GNPy needs ~0.6 s per computed channel per span (minutes per line): unless ``full``, it is
    timed on 8 evenly spread channels and its every-channel time is that x 96 / 8 (its cost is a
    loop over the computed channels, each over all interferers).
    """
    from transcaspian.optics.line import SpanCache

    elements, spectrum = _gnpy_elements()
    line = our_line("generalised_gn")
    t0 = time.perf_counter()
    ours = evaluate_line(line, span_cache=SpanCache())
    t_cold = time.perf_counter() - t0
    t_warm = min(_median_time(lambda: evaluate_line(line), 5)[0] for _ in range(3))
    n = line.spectrum.n_channels
    cut = None if full else [round(i * (n - 1) / 7) + 1 for i in range(8)]
    _set_sim({"method": "ggn_spectrally_separated", "dispersion_tolerance": 1,
              "phase_shift_tolerance": 0.1, "computed_channels": cut}, srs=True)
    si = spectrum()
    t0 = time.perf_counter()
    for el in elements:
        si = el(si)
    t_gnpy = time.perf_counter() - t0
    snr_nli = np.asarray(si.snr_nli_db, dtype=float)
    idx = np.arange(n) if cut is None else np.array(cut) - 1
    err = np.abs(ours.snr_nli_db[idx] - snr_nli[idx]).max()
    t_all = t_gnpy if cut is None else t_gnpy * n / len(cut)
    how = "every channel, one run" if cut is None else f"{len(cut)} channels x {n / len(cut):g}"
    print(f"  GGN   GNPy ggn_spectrally_separated + SRS, every channel: {t_all:8.1f} s ({how})")
    print(f"        transcaspian generalised_gn, every channel: {t_warm * 1e3:7.1f} ms "
          f"(first call, kernels built: {t_cold:.2f} s)   ratio {t_all / t_warm:7.0f}x "
          f"[{t_all / t_cold:.0f}x first call]   {_verdict(t_all / t_warm, 100)}   "
          f"max|dSNR_NLI| on GNPy's computed channels = {err:.4f} dB")


def _sweeps(gn_line: Any, t_gnpy_gn: float, t_gnpy_gn_srs: float) -> None:
    fibres = [FibreType(loss_db_per_km=float(loss), effective_area_um2=float(aeff))
              for loss in np.linspace(0.15, 0.22, 5) for aeff in (80.0, 125.0)]
    length = np.linspace(100.0, 600.0, 25)[:, None, None, None]
    launch = np.linspace(-5.0, 5.0, 40)[None, :, None, None]
    reps = np.arange(10)[None, None, :, None]
    idx = np.arange(10)[None, None, None, :]
    t0 = time.perf_counter()
    gsnr = uniform_line_gsnr_db(gn_line.spectrum, fibres, fibre_index=idx, length_km=length,
                                repeaters=reps, launch_power_dbm=launch, noise_figure_db=NF_DB)
    t_sweep = time.perf_counter() - t0
    print(f"  sweep {gsnr.size} line designs (length x launch x repeaters x fibre), 96 ch: "
          f"{t_sweep:.3f} s; GNPy GN per line x {gsnr.size} = {t_gnpy_gn * gsnr.size:.0f} s "
          f"-> ratio {t_gnpy_gn * gsnr.size / t_sweep:.0f}x")
    t0 = time.perf_counter()
    isrs = uniform_line_gsnr_db(gn_line.spectrum, fibres, fibre_index=idx,
                                length_km=length[:, :10], repeaters=reps,
                                launch_power_dbm=launch[:, :10], noise_figure_db=NF_DB,
                                nli_model="isrs_gn_closed_form")
    t_isrs = time.perf_counter() - t0
    print(f"  sweep {isrs.size} line designs with ISRS (span by span): {t_isrs:.2f} s; GNPy "
          f"GN + SRS per line x {isrs.size} = {t_gnpy_gn_srs * isrs.size:.0f} s -> ratio "
          f"{t_gnpy_gn_srs * isrs.size / t_isrs:.0f}x")


if __name__ == "__main__":  # pragma: no cover
    import sys

    raise SystemExit(main(sys.argv[1:]))
