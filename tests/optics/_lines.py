"""Small line cases built in code for the optics tests (no files outside the repository)."""

from __future__ import annotations

from typing import Any

from transcaspian.optics import LineCase, line_case_from_dict

SSMF: dict[str, Any] = {
    "loss_db_per_km": 0.2,
    "dispersion_ps_per_nm_km": 16.7,
    "effective_area_um2": 83.0,
    "n2_m2_per_w": 2.6e-20,
    "reference_wavelength_nm": 1550.0,
}


def spectrum(n: int = 8, launch_dbm: float = 0.0) -> dict[str, Any]:
    """n channels, 50 GHz, 32 GBd, centred near 193.7 THz."""
    first = 193.7 - 0.025 * (n - 1)
    return {
        "first_channel_thz": round(first, 6),
        "last_channel_thz": round(first + 0.05 * (n - 1), 6),
        "spacing_ghz": 50.0,
        "symbol_rate_gbaud": 32.0,
        "roll_off": 0.15,
        "launch_power_dbm_per_channel": launch_dbm,
    }


def repeatered(total_km: float, spans: int, *, nf_db: float = 5.0, n: int = 8,
               nli_model: str = "gn_closed_form", fibre: dict[str, Any] | None = None,
               launch_dbm: float = 0.0, fixed_gain: bool = False) -> LineCase:
    """``spans`` equal spans of SSMF, each followed by an EDFA restoring the launch power (or,
    with ``fixed_gain``, with a gain equal to the span loss, as in GNPy's reference cases)."""
    elements: list[dict[str, Any]] = []
    loss = (fibre or SSMF)["loss_db_per_km"] * total_km / spans
    for _ in range(spans):
        elements.append({"fibre": {"type": "F", "length_km": total_km / spans}})
        amp: dict[str, Any] = {"noise_figure_db": nf_db}
        if fixed_gain:
            amp["gain_db"] = loss
        elements.append({"amplifier": amp})
    return line_case_from_dict({
        "name": "test",
        "spectrum": spectrum(n, launch_dbm),
        "fibres": {"F": fibre or SSMF},
        "elements": elements,
        "nli_model": nli_model,
    })
