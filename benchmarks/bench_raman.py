"""Raman benchmark: transcaspian's coupled-equation solver against GNPy 3.0.1 ``RamanFiber``.

Span: the validation case R150_2P_0p5W (150 km ULL with a loss table and step-index A_eff,
counter-pumped 0.25 W @ 1450 nm + 0.25 W @ 1470 nm, 64 × 75 GHz at 64 GBd, 0 dBm/ch). Both
sides compute the pumped fibre with its pumps-off reference (the on-off gain) and the pump ASE;
GNPy with its ``RamanFiber`` (perturbative order 2, 50 m solver step, co/counter iteration),
and, to time its Raman solver rather than its generalised GN, the NLI method
``gn_model_analytic``; ours with :func:`transcaspian.optics.line.evaluate_line` (NLI included).
Prints the time ratio (target ≥ 100×) and the largest |Δ on-off gain| over channels.

Run: ``python -m benchmarks bench_raman`` (needs the ``bench`` extra: gnpy).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any

import numpy as np
from scipy import constants

from transcaspian.optics import load_line_case
from transcaspian.optics.line import evaluate_line

CASE = Path(__file__).resolve().parents[1] / "tests" / "validation" / "data" / \
    "gnpy_raman_R150_2P_0p5W.yaml"
META = {"location": {"latitude": 0, "longitude": 0, "city": None, "region": None}}


def _median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _gnpy_on_off(doc: Any) -> Callable[[], np.ndarray]:
    from gnpy.core.elements import Fiber, RamanFiber
    from gnpy.core.info import create_input_spectral_information
    from gnpy.core.parameters import SimParams

    SimParams.set_params({"nli_params": {"method": "gn_model_analytic"},
                          "raman_params": {"flag": True, "method": "perturbative", "order": 2,
                                           "result_spatial_resolution": 2e3,
                                           "solver_spatial_resolution": 50}})
    sp = doc.spectrum
    ft = doc.fibres["ULL"]
    sec = doc.elements[0].fibre
    assert ft.loss_table is not None
    params = dict(loss_coef={"value": list(ft.loss_table.loss_db_per_km),
                             "frequency": [f * 1e12 for f in ft.loss_table.frequency_thz]},
                  dispersion=ft.dispersion_ps_per_nm_km * 1e-6,
                  effective_area=ft.effective_area_um2 * 1e-12, ref_wavelength=1550e-9,
                  pmd_coef=1.265e-15, att_in=0, con_in=0, con_out=0, length=sec.length_km,
                  length_units="km")
    op = {"temperature": 300.0,
          "raman_pumps": [{"power": p.power_w, "frequency": constants.c / (p.wavelength_nm * 1e-9),
                           "propagation_direction": "counterprop"} for p in sec.raman_pumps]}

    def run() -> np.ndarray:
        si = create_input_spectral_information(
            f_min=sp.first_channel_thz * 1e12, f_max=sp.last_channel_thz * 1e12,
            roll_off=sp.roll_off, baud_rate=sp.symbol_rate_gbaud * 1e9,
            spacing=sp.spacing_ghz * 1e9, tx_osnr=None, tx_power=1e-3)
        off = Fiber(uid="off", type_variety="ULL", params=deepcopy(params), metadata=deepcopy(META))
        off.ref_pch_in_dbm = 0.0
        s_off = off(deepcopy(si)).signal.copy()
        on = RamanFiber(uid="on", type_variety="ULL", params=deepcopy(params), operational=op,
                        metadata=deepcopy(META))
        on.ref_pch_in_dbm = 0.0
        return np.asarray(10 * np.log10(on(si).signal / s_off))

    return run


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the ratio (transcaspian vs GNPy, same process)."""
    del argv
    case = load_line_case(CASE)
    t_ours, res = _median_time(lambda: evaluate_line(case, profile=False), 20)
    ours = res.raman_spans[0][1].on_off_gain_db
    try:
        run = _gnpy_on_off(case)
    except ModuleNotFoundError:
        print("  GNPy not installed (pip install -e '.[bench]'): Raman ratio skipped; "
              f"ours {t_ours * 1e3:.1f} ms per span")
        return 0
    t_gnpy, theirs = _median_time(run, 1)
    print(f"  RamanFiber 150 km, 2 counter pumps, 64 ch: GNPy {t_gnpy:.2f} s, ours "
          f"{t_ours * 1e3:.1f} ms -> {t_gnpy / t_ours:.0f}x faster (target >= 100x); "
          f"max |d on-off gain| {np.abs(ours - theirs).max():.3f} dB")
    return 0


if __name__ == "__main__":
    main()
