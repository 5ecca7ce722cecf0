"""Unit conversions and physical constants.

SI and linear inside the physics; dB, dBm, km and THz only in names at the edges. Constants come
from :mod:`scipy.constants`, never typed by hand.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import constants

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]

#: Planck constant [J s]
PLANCK_J_S: float = constants.h
#: Speed of light in vacuum [m/s]
SPEED_OF_LIGHT_M_PER_S: float = constants.c

#: Group index of standard single-mode fibre near 1550 nm [-]. ITU-T G.652/G.654 fibres have
#: n_g ≈ 1.467-1.469 at 1550 nm (e.g. Corning SMF-28 ULL product information: 1.4670 at 1550 nm;
#: the design note uses 1.468), giving about 4.9 µs per km one way.
FIBRE_GROUP_INDEX: float = 1.468


def db_to_linear(value_db: ArrayLike) -> FloatArray:
    """Convert a power ratio from decibels to linear: ``10**(x/10)``."""
    return np.power(10.0, np.asarray(value_db, dtype=float) / 10.0)


def linear_to_db(value: ArrayLike) -> FloatArray:
    """Convert a linear power ratio to decibels: ``10*log10(x)``."""
    return 10.0 * np.log10(np.asarray(value, dtype=float))


def dbm_to_watt(power_dbm: ArrayLike) -> FloatArray:
    """Convert power from dBm to watts: ``1e-3 * 10**(P/10)``."""
    return 1e-3 * db_to_linear(power_dbm)


def watt_to_dbm(power_w: ArrayLike) -> FloatArray:
    """Convert power from watts to dBm: ``10*log10(P/1 mW)``."""
    return linear_to_db(np.asarray(power_w, dtype=float) / 1e-3)


def fibre_delay_s(length_km: ArrayLike, group_index: float = FIBRE_GROUP_INDEX) -> FloatArray:
    """One-way propagation delay of light in fibre [s].

    ``t = L * n_g / c``; with n_g = 1.468 that is 4.897 µs per km.

    >>> round(float(fibre_delay_s(1.0)) * 1e6, 3)
    4.897
    """
    return np.asarray(length_km, dtype=float) * 1e3 * group_index / SPEED_OF_LIGHT_M_PER_S
