"""Read GNPy's equipment library (``eqpt_config.json``) into transcaspian's models.

A GNPy user brings their equipment as is: fibre types, EDFA types with their noise-figure
models, and transceiver modes. The reader is stricter than GNPy's own
(``gnpy.tools.json_io``), which silently ignores a misspelt key and fills a missing one with a
default: here an unknown or missing field raises :class:`~transcaspian.errors.OpticsError`
with one line naming the file and the JSON path (``eqpt.json: $.Edfa[3].nf_mni: unknown key``).

What is mapped (GNPy 3.0.1 legacy JSON format; SI units in the file, ours in field names):

- ``Fiber`` / ``RamanFiber`` → :class:`GnpyFibreType`, convertible to
  :class:`transcaspian.optics.elements.FibreType` (the attenuation is not part of GNPy's
  equipment library, so it is asked for);
- ``Edfa`` → :class:`EdfaType` with :meth:`EdfaType.noise_figure_db`, for every GNPy
  ``type_def``: ``variable_gain`` (two-coil model from nf_min/nf_max), ``fixed_gain`` (nf0),
  ``dual_stage``, ``openroadm`` (polynomial OSNR vs input power), ``openroadm_preamp``,
  ``openroadm_booster``, ``advanced_model`` (polynomial NF fit read from the
  ``advanced_config_from_json`` file next to the library). ``multi_band`` entries are skipped
  and listed in :attr:`GnpyEquipment.skipped`. Gain and NF ripple and dynamic gain tilt are
  not read (our EDFA is flat);
- ``Transceiver`` → :class:`GnpyTransceiver` and a
  :class:`~transcaspian.optics.transceivers.TransceiverLibrary`;
- ``SI`` → :class:`GnpySpectrumInfo`; ``Span`` and ``Roadm`` are checked for unknown keys and
  kept as plain mappings (not used by transcaspian).

YANG-formatted GNPy JSON (namespaced keys) is refused with a hint to convert it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .._load import json_path, parse_json, read_text, validation_error
from ..errors import OpticsError
from .edfa_models import (
    _NF_MODELS,
    GNPY_DEFAULT_EDFA_BAND_THZ,
    EdfaType,
    EdfaTypeDef,
    GnpyFibreType,
    variable_gain_nf_coefficients,
    variable_gain_nf_db,
)
from .transceivers import TransceiverLibrary, TransceiverMode

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "EdfaType",
    "EdfaTypeDef",
    "GnpyEquipment",
    "GnpyFibreType",
    "GnpySpectrumInfo",
    "GnpyTransceiver",
    "read_gnpy_equipment",
    "variable_gain_nf_coefficients",
    "variable_gain_nf_db",
]

@dataclass(frozen=True)
class GnpyTransceiver:
    """A GNPy transceiver type: its band and its modes (as our :class:`TransceiverMode`)."""

    type_variety: str
    f_min_thz: float
    f_max_thz: float
    modes: tuple[TransceiverMode, ...]
    #: CD/PMD/PDL penalty tables per mode name: (impairment, impairment value, penalty dB);
    #: read and checked, not used by transcaspian's mode selection.
    penalties: Mapping[str, tuple[tuple[str, float, float], ...]] = field(default_factory=dict)
    #: GNPy ``cost`` per mode name (carried only).
    cost: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class GnpySpectrumInfo:
    """GNPy's ``SI`` entry (reference channel plan), in our units."""

    name: str
    f_min_thz: float
    f_max_thz: float
    symbol_rate_gbaud: float
    spacing_ghz: float
    power_dbm: float
    roll_off: float
    tx_osnr_db: float
    sys_margins_db: float
    power_range_db: tuple[float, ...] | None = None
    tx_power_dbm: float | None = None


@dataclass(frozen=True)
class GnpyEquipment:
    """A GNPy equipment library mapped to transcaspian's models (keyed by ``type_variety``)."""

    path: str
    fibres: Mapping[str, GnpyFibreType]
    raman_fibres: Mapping[str, GnpyFibreType]
    edfas: Mapping[str, EdfaType]
    transceivers: Mapping[str, GnpyTransceiver]
    spectrum: Mapping[str, GnpySpectrumInfo]
    spans: tuple[Mapping[str, Any], ...] = ()
    roadms: tuple[Mapping[str, Any], ...] = ()
    #: Entries not mapped, one line each: JSON path and reason (e.g. multi_band amplifiers).
    skipped: tuple[str, ...] = ()

    def transceiver_library(self, type_varieties: list[str] | None = None) -> TransceiverLibrary:
        """The modes of the given transceiver types (all when None) as a library."""
        names = list(self.transceivers) if type_varieties is None else type_varieties
        modes: list[TransceiverMode] = []
        for n in names:
            if n not in self.transceivers:
                raise OpticsError(f"{self.path}: no transceiver type_variety {n!r}")
            modes.extend(self.transceivers[n].modes)
        if not modes:
            raise OpticsError(f"{self.path}: no transceiver modes")
        return TransceiverLibrary(
            name=f"GNPy equipment {Path(self.path).name}",
            description=f"Transceiver modes read from {self.path}",
            modes=tuple(modes),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (names and mapped values)."""
        return {
            "path": self.path,
            "fibres": {k: v.model_dump() for k, v in self.fibres.items()},
            "raman_fibres": {k: v.model_dump() for k, v in self.raman_fibres.items()},
            "edfas": {
                k: v.model_dump(exclude={"preamp", "booster"}) for k, v in self.edfas.items()
            },
            "transceivers": {
                k: [m.model_dump() for m in t.modes] for k, t in self.transceivers.items()
            },
            "spectrum": {k: vars(v) for k, v in self.spectrum.items()},
            "skipped": list(self.skipped),
        }


# --------------------------------------------------------------------------------------------
# Raw JSON schema (GNPy 3.0.1 legacy format): types, required and allowed keys only


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Num = float


class _RawRamanEfficiency(_Raw):
    cr: list[Num]
    frequency_offset: list[Num]


class _RawFiber(_Raw):
    type_variety: str
    dispersion: Num
    dispersion_slope: Num | None = None
    effective_area: Num | None = None
    gamma: Num | None = None
    pmd_coef: Num
    raman_efficiency: _RawRamanEfficiency | None = None


class _RawEdfa(_Raw):
    type_variety: str
    type_def: str = "variable_gain"  # GNPy's default for older files
    gain_flatmax: Num | None = None
    gain_min: Num | None = None
    p_max: Num | None = None
    nf_min: Num | None = None
    nf_max: Num | None = None
    nf0: Num | None = None
    nf_coef: list[Num] | None = None
    nf_fit_coeff: list[Num] | None = None
    advanced_config_from_json: str | None = None
    default_config_from_json: str | None = None
    preamp_variety: str | None = None
    booster_variety: str | None = None
    amplifiers: list[str] | None = None
    raman: bool = False
    out_voa_auto: bool = False
    allowed_for_design: bool = False
    f_min: Num | None = None
    f_max: Num | None = None
    pmd: Num = 0.0
    pdl: Num = 0.0
    other_name: list[str] | None = None
    nf_ripple: list[Num] | Num | None = None
    gain_ripple: list[Num] | Num | None = None
    tilt_ripple: list[Num] | Num | None = None
    f_ripple_ref: list[Num] | None = None
    dgt: list[Num] | None = None


class _RawAdvancedConfig(_Raw):
    nf_fit_coeff: list[Num]
    f_min: Num
    f_max: Num
    nf_ripple: list[Num] | None = None
    gain_ripple: list[Num] | None = None
    tilt_ripple: list[Num] | None = None
    f_ripple_ref: list[Num] | None = None
    dgt: list[Num] | None = None


class _RawPenalty(_Raw):
    chromatic_dispersion: Num | None = None
    pmd: Num | None = None
    pdl: Num | None = None
    penalty_value: Num

    @model_validator(mode="after")
    def _one(self) -> _RawPenalty:
        given = [k for k in ("chromatic_dispersion", "pmd", "pdl") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a penalty names exactly one of chromatic_dispersion, pmd, pdl")
        return self


class _RawMode(_Raw):
    format: str
    baud_rate: Num
    OSNR: Num
    bit_rate: Num
    roll_off: Num | None
    tx_osnr: Num
    min_spacing: Num
    cost: Num | None = None
    penalties: list[_RawPenalty] | None = None
    equalization_offset_db: Num | None = None
    detailed_rx: dict[str, Any] | None = None
    tx_channel_power_min_dbm: Num | None = Field(None, alias="tx-channel-power-min-dbm")
    tx_channel_power_max_dbm: Num | None = Field(None, alias="tx-channel-power-max-dbm")
    rx_channel_power_min_dbm: Num | None = Field(None, alias="rx-channel-power-min-dbm")
    rx_channel_power_max_dbm: Num | None = Field(None, alias="rx-channel-power-max-dbm")


class _RawFrequency(_Raw):
    min: Num
    max: Num


class _RawTransceiver(_Raw):
    type_variety: str
    frequency: _RawFrequency
    mode: list[_RawMode] = Field(min_length=1)
    other_name: list[str] | None = None


class _RawSI(_Raw):
    type_variety: str = "default"
    f_min: Num
    f_max: Num
    baud_rate: Num
    spacing: Num
    power_dbm: Num
    power_range_db: list[Num] | None = None
    roll_off: Num
    tx_osnr: Num
    sys_margins: Num
    tx_power_dbm: Num | None = None
    use_si_channel_count_for_design: bool | None = None


class _RawSpan(_Raw):
    power_mode: bool | None = None
    delta_power_range_db: list[Num] | None = None
    max_fiber_lineic_loss_for_raman: Num | None = None
    target_extended_gain: Num | None = None
    max_length: Num | None = None
    length_units: Literal["km", "m"] | None = None
    max_loss: Num | None = None
    padding: Num | None = None
    EOL: Num | None = None
    con_in: Num | None = None
    con_out: Num | None = None
    span_loss_ref: Num | None = None
    power_slope: Num | None = None
    voa_margin: Num | None = None
    voa_step: Num | None = None


class _RawRoadm(_Raw):
    type_variety: str = "default"
    target_pch_out_db: Num | None = None
    target_psd_out_mw_per_ghz: Num | None = Field(None, alias="target_psd_out_mWperGHz")
    target_out_mw_per_slot_width: Num | None = Field(None, alias="target_out_mWperSlotWidth")
    add_drop_osnr: Num | None = None
    pmd: Num | None = None
    pdl: Num | None = None
    restrictions: dict[str, list[str]] | None = None
    roadm_path_impairments: list[dict[str, Any]] | None = Field(
        None, alias="roadm-path-impairments"
    )


class _RawLibrary(_Raw):
    Edfa: list[_RawEdfa] = Field(default_factory=list)
    Fiber: list[_RawFiber] = Field(default_factory=list)
    RamanFiber: list[_RawFiber] = Field(default_factory=list)
    Span: list[_RawSpan] = Field(default_factory=list)
    Roadm: list[_RawRoadm] = Field(default_factory=list)
    SI: list[_RawSI] = Field(default_factory=list)
    Transceiver: list[_RawTransceiver] = Field(default_factory=list)
    library_information: Any = Field(None, alias="library-information")


# --------------------------------------------------------------------------------------------
# Reading


def _validation_message(err: ValidationError, source: str) -> OpticsError:
    """Every problem of a raw-JSON validation, one per line, located by JSONPath."""
    return cast(
        OpticsError, validation_error(err, source, OpticsError, loc_format=json_path)
    )


def _load_json(path: Path, what: str) -> Any:
    text = read_text(path, what=what, error=OpticsError)
    return parse_json(text, source=str(path), error=OpticsError)


def _model_error(source: str, where: str, exc: ValidationError) -> OpticsError:
    first = exc.errors()[0]
    msg = str(first["msg"]).removeprefix("Value error, ")
    loc = ".".join(str(p) for p in first["loc"])
    return OpticsError(f"{source}: {where}{'.' + loc if loc else ''}: {msg}")


def _fibre(raw: _RawFiber, *, raman: bool, source: str, where: str) -> GnpyFibreType:
    # GNPy 3.0.1 FiberParams: A_eff given → gamma from n2 unless gamma also given; only gamma →
    # A_eff = 2π n2 / (λ γ); neither → GNPy falls back to 83 µm² silently, we refuse.
    n2, lam = 2.6e-20, 1550e-9
    if raw.effective_area is None and raw.gamma is None:
        raise OpticsError(f"{source}: {where}: give effective_area or gamma")
    if raw.effective_area is not None:
        aeff_m2 = raw.effective_area
    else:
        assert raw.gamma is not None
        if raw.gamma <= 0:
            raise OpticsError(f"{source}: {where}.gamma: must be positive")
        aeff_m2 = 2 * math.pi * n2 / (lam * raw.gamma)
    cr = raw.raman_efficiency
    if cr is not None and len(cr.cr) != len(cr.frequency_offset):
        raise OpticsError(
            f"{source}: {where}.raman_efficiency: cr and frequency_offset differ in length"
        )
    try:
        return GnpyFibreType(
            type_variety=raw.type_variety,
            raman_fibre=raman,
            dispersion_ps_per_nm_km=raw.dispersion * 1e6,  # s/m² → ps/(nm km)
            dispersion_slope_ps_per_nm2_km=None
            if raw.dispersion_slope is None
            else raw.dispersion_slope * 1e-3,  # s/m³ → ps/(nm² km)
            effective_area_um2=aeff_m2 * 1e12,
            gamma_per_w_per_km=None if raw.gamma is None else raw.gamma * 1e3,
            pmd_coef_ps_per_sqrt_km=raw.pmd_coef * 1e12 * math.sqrt(1e3),  # s/√m → ps/√km
            raman_cr_per_w_per_km=None if cr is None else tuple(v * 1e3 for v in cr.cr),
            raman_frequency_offset_thz=None
            if cr is None
            else tuple(v * 1e-12 for v in cr.frequency_offset),
        )
    except ValidationError as exc:
        raise _model_error(source, where, exc) from None


def _advanced_config(name: str, search: list[Path], source: str, where: str) -> _RawAdvancedConfig:
    for folder in search:
        p = folder / name
        if p.is_file():
            data = _load_json(p, "EDFA advanced configuration")
            try:
                return _RawAdvancedConfig.model_validate(data)
            except ValidationError as exc:
                raise _validation_message(exc, str(p)) from None
    raise OpticsError(
        f"{source}: {where}.advanced_config_from_json: file {name!r} not found in "
        f"{', '.join(str(s) for s in search)}"
    )


def _edfa_single(raw: _RawEdfa, name: str, search: list[Path], source: str, where: str) -> EdfaType:
    td = raw.type_def
    fields: dict[str, Any] = {
        "type_variety": name,
        "type_def": td,
        "allowed_for_design": raw.allowed_for_design,
        "raman": raw.raman,
        "out_voa_auto": raw.out_voa_auto,
        "pmd_ps": raw.pmd * 1e12,
        "pdl_db": raw.pdl,
    }
    for key in ("gain_flatmax", "gain_min", "p_max"):
        if getattr(raw, key) is None:
            raise OpticsError(f"{source}: {where}.{key}: required field is missing")
    assert raw.gain_min is not None
    assert raw.gain_flatmax is not None
    assert raw.p_max is not None
    if not -20.0 <= raw.gain_min <= raw.gain_flatmax <= 100.0:
        raise OpticsError(
            f"{source}: {where}: need -20 <= gain_min <= gain_flatmax <= 100 dB, got gain_min "
            f"{raw.gain_min:g}, gain_flatmax {raw.gain_flatmax:g}"
        )
    fields.update(gain_min_db=raw.gain_min, gain_flatmax_db=raw.gain_flatmax, p_max_dbm=raw.p_max)
    f_min, f_max = raw.f_min, raw.f_max
    if td == "variable_gain":
        if raw.nf_min is None or raw.nf_max is None:
            raise OpticsError(f"{source}: {where}: variable_gain needs nf_min and nf_max")
        try:
            nf1, nf2, dp = variable_gain_nf_coefficients(
                raw.gain_min, raw.gain_flatmax, raw.nf_min, raw.nf_max
            )
        except ValueError as exc:
            raise OpticsError(f"{source}: {where}: {exc}") from None
        except ArithmeticError:  # e.g. nf_min/nf_max so far apart that the model overflows
            raise OpticsError(f"{source}: {where}: nf_min/nf_max admit no two-coil model") from None
        fields.update(
            nf_min_db=raw.nf_min, nf_max_db=raw.nf_max, nf1_db=nf1, nf2_db=nf2, delta_p_db=dp
        )
    elif td == "fixed_gain":
        if raw.nf0 is None:
            raise OpticsError(f"{source}: {where}.nf0: required for fixed_gain")
        fields["nf0_db"] = raw.nf0
    elif td == "openroadm":
        if raw.nf_coef is None:
            raise OpticsError(f"{source}: {where}.nf_coef: required for openroadm")
        fields["nf_coef"] = tuple(raw.nf_coef)
    elif td == "advanced_model":
        if raw.advanced_config_from_json is None:
            raise OpticsError(
                f"{source}: {where}.advanced_config_from_json: required for advanced_model"
            )
        cfg = _advanced_config(raw.advanced_config_from_json, search, source, where)
        fields["nf_fit_coeff"] = tuple(cfg.nf_fit_coeff)
        if f_min is None or f_max is None:
            f_min, f_max = cfg.f_min, cfg.f_max
    # GNPy takes the band from the entry, else from its (default or named) config file; the
    # default_config_from_json file only adds ripple/DGT, which we do not model.
    if f_min is None or f_max is None:
        f_min_thz, f_max_thz = GNPY_DEFAULT_EDFA_BAND_THZ
    else:
        f_min_thz, f_max_thz = f_min * 1e-12, f_max * 1e-12
    fields.update(f_min_thz=f_min_thz, f_max_thz=f_max_thz)
    try:
        return EdfaType(**fields)
    except ValidationError as exc:
        raise _model_error(source, where, exc) from None


_KNOWN_TYPE_DEFS = set(_NF_MODELS) | {"multi_band"}


def _transceiver(raw: _RawTransceiver, name: str, source: str, where: str) -> GnpyTransceiver:
    modes: list[TransceiverMode] = []
    penalties: dict[str, tuple[tuple[str, float, float], ...]] = {}
    cost: dict[str, float | None] = {}
    for j, m in enumerate(raw.mode):
        mode_name = f"{name}: {m.format}"
        try:
            modes.append(
                TransceiverMode(
                    name=mode_name,
                    family=name,
                    modulation="",
                    bit_rate_gbps=m.bit_rate * 1e-9,
                    symbol_rate_gbaud=m.baud_rate * 1e-9,
                    roll_off=m.roll_off,
                    min_spacing_ghz=m.min_spacing * 1e-9,
                    required_osnr_0p1nm_db=m.OSNR,
                    tx_osnr_0p1nm_db=m.tx_osnr,
                    fec="",
                    source=f"GNPy equipment file {source}, {where}.mode[{j}]",
                    cited=True,
                )
            )
        except ValidationError as exc:
            raise _model_error(source, f"{where}.mode[{j}]", exc) from None
        table: list[tuple[str, float, float]] = []
        for pen in m.penalties or []:
            for imp in ("chromatic_dispersion", "pmd", "pdl"):
                val = getattr(pen, imp)
                if val is not None:
                    table.append((imp, float(val), float(pen.penalty_value)))
        penalties[mode_name] = tuple(table)
        cost[mode_name] = m.cost
    names = [m.name for m in modes]
    if len(set(names)) != len(names):
        raise OpticsError(f"{source}: {where}.mode: two modes share a format name")
    if raw.frequency.max <= raw.frequency.min:
        raise OpticsError(f"{source}: {where}.frequency: max must be above min")
    return GnpyTransceiver(
        type_variety=name,
        f_min_thz=raw.frequency.min * 1e-12,
        f_max_thz=raw.frequency.max * 1e-12,
        modes=tuple(modes),
        penalties=penalties,
        cost=cost,
    )


def read_gnpy_equipment(
    path: str | Path, *, extra_config_dirs: list[str | Path] | None = None
) -> GnpyEquipment:
    """Read a GNPy equipment library (``eqpt_config.json``, legacy JSON format).

    Parameters
    ----------
    path : str or Path
        The equipment JSON file.
    extra_config_dirs : list of path, optional
        Folders searched (after the equipment file's own folder) for the files named by
        ``advanced_config_from_json``.

    Returns
    -------
    GnpyEquipment
        Fibre, EDFA, transceiver and SI entries mapped to our models.

    Raises
    ------
    OpticsError
        One line ``<file>: <JSON path>: <problem>`` for an unreadable file, a JSON syntax error,
        a duplicate, unknown or missing key, a wrong type, an unknown ``type_def`` or an
        NF model GNPy would also reject.

    """
    p = Path(path)
    source = str(p)
    data = _load_json(p, "GNPy equipment file")
    if not isinstance(data, dict):
        raise OpticsError(f"{source}: $: the top level must be a JSON object")
    namespaced = [k for k in data if ":" in k]
    if namespaced:
        raise OpticsError(
            f"{source}: $.{namespaced[0]}: YANG-formatted GNPy JSON is not supported; convert it "
            "with `gnpy-convert-yang --legacy` first"
        )
    try:
        lib = _RawLibrary.model_validate(data)
    except ValidationError as exc:
        raise _validation_message(exc, source) from None

    search = [p.parent, *(Path(d) for d in (extra_config_dirs or []))]
    skipped: list[str] = []

    fibres: dict[str, GnpyFibreType] = {}
    raman_fibres: dict[str, GnpyFibreType] = {}
    for section, target, raman in (("Fiber", fibres, False), ("RamanFiber", raman_fibres, True)):
        for i, rf in enumerate(getattr(lib, section)):
            where = f"$.{section}[{i}]"
            if rf.type_variety in target:
                raise OpticsError(f"{source}: {where}.type_variety: duplicate {rf.type_variety!r}")
            target[rf.type_variety] = _fibre(rf, raman=raman, source=source, where=where)
    for name in set(fibres) & set(raman_fibres):
        a = fibres[name].model_dump(
            exclude={"raman_fibre", "raman_cr_per_w_per_km", "raman_frequency_offset_thz"}
        )
        b = raman_fibres[name].model_dump(
            exclude={"raman_fibre", "raman_cr_per_w_per_km", "raman_frequency_offset_thz"}
        )
        if a != b:
            raise OpticsError(
                f"{source}: $.RamanFiber: {name!r} differs from the Fiber entry of that name"
            )

    # EDFAs: single-stage first, then dual_stage (which refer to them by name)
    edfas: dict[str, EdfaType] = {}
    entries: list[tuple[int, str, _RawEdfa]] = []
    for i, re_ in enumerate(lib.Edfa):
        if re_.type_def not in _KNOWN_TYPE_DEFS:
            raise OpticsError(
                f"{source}: $.Edfa[{i}].type_def: unknown type_def {re_.type_def!r} (expected one "
                f"of {', '.join(sorted(_KNOWN_TYPE_DEFS))})"
            )
        for name in [re_.type_variety, *(re_.other_name or [])]:
            entries.append((i, name, re_))
    seen: set[str] = set()
    for i, name, _ in entries:
        if name in seen:
            raise OpticsError(f"{source}: $.Edfa[{i}].type_variety: duplicate {name!r}")
        seen.add(name)
    for i, name, re_ in entries:
        where = f"$.Edfa[{i}]"
        if re_.type_def == "multi_band":
            skipped.append(f"{where} ({name}): multi_band amplifiers are not mapped")
        elif re_.type_def != "dual_stage":
            edfas[name] = _edfa_single(re_, name, search, source, where)
    for i, name, re_ in entries:
        if re_.type_def != "dual_stage":
            continue
        where = f"$.Edfa[{i}]"
        if re_.preamp_variety is None or re_.booster_variety is None:
            raise OpticsError(
                f"{source}: {where}: dual_stage needs preamp_variety and booster_variety"
            )
        stages = []
        for key, ref in (
            ("preamp_variety", re_.preamp_variety),
            ("booster_variety", re_.booster_variety),
        ):
            if ref not in edfas:
                raise OpticsError(f"{source}: {where}.{key}: no single-stage Edfa named {ref!r}")
            stages.append(edfas[ref])
        pre, boost = stages
        if re_.gain_min is None:
            raise OpticsError(f"{source}: {where}.gain_min: required field is missing")
        if re_.gain_min < pre.gain_min_db:
            raise OpticsError(f"{source}: {where}.gain_min: below its preamp's minimal gain")
        try:
            edfas[name] = EdfaType(
                type_variety=name,
                type_def="dual_stage",
                gain_min_db=re_.gain_min,
                gain_flatmax_db=pre.gain_flatmax_db + boost.gain_flatmax_db,  # as GNPy
                p_max_dbm=boost.p_max_dbm,
                f_min_thz=max(pre.f_min_thz, boost.f_min_thz),
                f_max_thz=min(pre.f_max_thz, boost.f_max_thz),
                allowed_for_design=re_.allowed_for_design,
                raman=re_.raman,
                out_voa_auto=re_.out_voa_auto,
                pmd_ps=re_.pmd * 1e12,
                pdl_db=re_.pdl,
                preamp=pre,
                booster=boost,
            )
        except ValidationError as exc:
            raise _model_error(source, where, exc) from None

    transceivers: dict[str, GnpyTransceiver] = {}
    for i, rt in enumerate(lib.Transceiver):
        for name in [rt.type_variety, *(rt.other_name or [])]:
            if name in transceivers:
                raise OpticsError(f"{source}: $.Transceiver[{i}].type_variety: duplicate {name!r}")
            transceivers[name] = _transceiver(rt, name, source, f"$.Transceiver[{i}]")

    spectrum: dict[str, GnpySpectrumInfo] = {}
    for i, si in enumerate(lib.SI):
        if si.type_variety in spectrum:
            raise OpticsError(f"{source}: $.SI[{i}].type_variety: duplicate {si.type_variety!r}")
        if si.f_max < si.f_min or si.spacing <= 0 or si.baud_rate <= 0:
            raise OpticsError(
                f"{source}: $.SI[{i}]: need f_min <= f_max, spacing > 0, baud_rate > 0"
            )
        spectrum[si.type_variety] = GnpySpectrumInfo(
            name=si.type_variety,
            f_min_thz=si.f_min * 1e-12,
            f_max_thz=si.f_max * 1e-12,
            symbol_rate_gbaud=si.baud_rate * 1e-9,
            spacing_ghz=si.spacing * 1e-9,
            power_dbm=si.power_dbm,
            roll_off=si.roll_off,
            tx_osnr_db=si.tx_osnr,
            sys_margins_db=si.sys_margins,
            power_range_db=None if si.power_range_db is None else tuple(si.power_range_db),
            tx_power_dbm=si.tx_power_dbm,
        )

    return GnpyEquipment(
        path=source,
        fibres=fibres,
        raman_fibres=raman_fibres,
        edfas=edfas,
        transceivers=transceivers,
        spectrum=spectrum,
        spans=tuple(s.model_dump(exclude_none=True) for s in lib.Span),
        roadms=tuple(r.model_dump(exclude_none=True, by_alias=True) for r in lib.Roadm),
        skipped=tuple(skipped),
    )
