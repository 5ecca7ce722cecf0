"""Generate the GNPy noise-figure reference numbers used by tests/optics/test_gnpy_equipment.py.

Run once with GNPy 3.0.1 installed (not by the test suite):

    python tests/optics/data/make_gnpy_nf_reference.py

It loads GNPy's own example equipment library with GNPy's own loader
(``gnpy.tools.json_io.load_equipment``) and evaluates GNPy's own NF code
(``gnpy.core.elements.Edfa._nf`` / ``_calc_nf``, average NF without ripple) on a few gains,
then prints a Python dict to paste into the test. GNPy is BSD-3-Clause (Telecom Infra Project).
"""

from __future__ import annotations

import functools
import types
from importlib.metadata import version
from pathlib import Path

from gnpy.core.elements import Edfa
from gnpy.tools.json_io import load_equipment

HERE = Path(__file__).parent
GAINS_DB = (10.0, 15.0, 20.0, 23.0, 26.0, 30.0)
PIN_DBM = -20.0  # input power per channel for the openroadm models (50 GHz slots, 1 channel)
AMPS = (
    "std_medium_gain",
    "std_low_gain",
    "std_high_gain",
    "high_power",
    "std_fixed_gain",
    "high_detail_model_example",
    "Juniper_BoosterHG",
    "openroadm_ila_low_noise",
    "openroadm_mw_mw_preamp",
    "medium+low_gain",
    "hybrid_4pumps_mediumgain",
)


def gnpy_nf(params: object, gain_db: float) -> float:
    ns = types.SimpleNamespace(
        params=params,
        effective_gain=gain_db,
        pin_db=PIN_DBM,
        nch=1,
        slot_width=50e9,
        uid="ref",
        interpol_nf_ripple=0.0,
        att_in=0.0,
    )
    ns._nf = functools.partial(Edfa._nf, ns)
    return float(Edfa._calc_nf(ns, avg=True))


def main() -> None:
    eqpt = load_equipment(HERE / "gnpy_eqpt_config.json")
    print(f"# GNPy {version('gnpy')}, gains {GAINS_DB} dB, P_in,ch = {PIN_DBM} dBm")
    print("GNPY_NF_DB = {")
    for name in AMPS:
        vals = ", ".join(f"{gnpy_nf(eqpt['Edfa'][name], g):.6f}" for g in GAINS_DB)
        print(f"    {name!r}: ({vals}),")
    print("}")
    vg = eqpt["Edfa"]["std_medium_gain"].nf_model
    print(f"# std_medium_gain nf1, nf2, delta_p = {vg.nf1:.6f}, {vg.nf2:.6f}, {vg.delta_p:.6f}")


if __name__ == "__main__":
    main()
