"""Electrical power and voltage drop of a submarine repeater from its optical output.

A repeater holds two amplifiers per fibre pair (one per direction). Each amplifier's pump light
is its signal output over the EDFA power conversion efficiency (PCE); each pump watt costs
1/η_pump electrical watts (laser diode, driver, regulation). A fixed load (supervisory / line
monitoring, control, converter) and a per-fibre-pair load come on top:

    P_el = P_fixed + N_fp·P_pair + 2·N_fp · P_out / (PCE · η_pump)            [W]

This is the electrical-to-optical budget of the power-constrained SDM design papers: Sinkin et
al., "SDM for power-efficient undersea transmission", JLT 36(2):361 (2018) (total optical power
of a cable = electrical power for the amplifiers × conversion efficiency); Krause Perin, Kahn,
Downie et al., "Importance of amplifier physics in maximizing the capacity of submarine links",
JLT 37(9):2076 (2019) (pump power from PCE, eq. of the power-feed constraint); Downie,
"Power-efficient undersea SDM systems", Proc. SPIE 12429 (2023) (pump-sharing and
electrical-to-optical efficiency). In a constant-current line the repeater's voltage drop is
its power over the line current, V_rep = P_el / I (its shunt regulator holds the drop).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .config import RepeaterPowerModel

FloatArray = npt.NDArray[np.float64]


def amplifier_pump_power_w(output_power_dbm: npt.ArrayLike,
                           model: RepeaterPowerModel) -> FloatArray:
    """Optical pump power of one amplifier for its total signal output [W].

    Parameters
    ----------
    output_power_dbm : array_like
        Total signal output of the amplifier [dBm].
    model : RepeaterPowerModel

    Returns
    -------
    ndarray
        P_pump = P_out / PCE [W] (Krause Perin et al. 2019, PCE definition).
    """
    p_out_w = 1e-3 * np.power(10.0, np.asarray(output_power_dbm, float) / 10.0)
    return np.asarray(p_out_w / model.edfa_power_conversion_efficiency, float)


def repeater_power_w(output_power_dbm: npt.ArrayLike, fibre_pairs: npt.ArrayLike,
                     model: RepeaterPowerModel) -> FloatArray:
    """Electrical power of one repeater [W] (broadcasts over its arguments).

    Parameters
    ----------
    output_power_dbm : array_like
        Total signal output of each amplifier [dBm].
    fibre_pairs : array_like
        Fibre pairs through the repeater (two amplifiers each) [count].
    model : RepeaterPowerModel

    Returns
    -------
    ndarray
        P_el = P_fixed + N_fp·P_pair + 2·N_fp·P_pump/η_pump [W] (module docstring).

    Examples
    --------
    8 pairs at 17 dBm (50 mW), PCE 0.5, η_pump 0.25, 5 W + 1 W per pair:
    5 + 8 + 16·0.0501/0.125 ≈ 19.4 W.

    >>> from transcaspian.power.config import RepeaterPowerModel
    >>> round(float(repeater_power_w(17.0, 8, RepeaterPowerModel())), 1)
    19.4
    """
    n = np.asarray(fibre_pairs, float)
    pump = amplifier_pump_power_w(output_power_dbm, model)
    return np.asarray(model.overhead_w + n * model.per_fibre_pair_w
                      + 2.0 * n * pump / model.pump_wall_plug_efficiency, float)


def repeater_voltage_v(power_w: npt.ArrayLike, current_a: float) -> FloatArray:
    """Voltage drop of a repeater drawing ``power_w`` at the line current [V]: V = P / I."""
    return np.asarray(np.asarray(power_w, float) / float(current_a), float)
