"""The line-case format: one explicit optical line, element by element (YAML).

Documented in ``docs/line_case_format.md``. :func:`load_line_case` reads a file,
:func:`line_case_from_dict` validates a mapping; every problem is one
:class:`~transcaspian.errors.OpticsError` line naming the file and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from .._load import parse_yaml, read_text
from ..errors import OpticsError
from ..model import StrictModel
from .elements import Edfa, FibreSection, FibreType, NliModel, Ropa, Spectrum, TransceiverNoise

__all__ = [
    "AmplifierElement",
    "FibreElement",
    "LineCase",
    "RopaElement",
    "line_case_from_dict",
    "load_line_case",
]


class FibreElement(StrictModel):
    """``- fibre: {type: SSMF, length_km: 80.0, ...}``"""

    fibre: FibreSection


class AmplifierElement(StrictModel):
    """``- amplifier: {gain_db: 16.0, noise_figure_db: 5.0, ...}`` (an EDFA)."""

    amplifier: Edfa


class RopaElement(StrictModel):
    """``- ropa: {pump_power_w: 2.0, ...}``: remote amplifier pumped from the receive end."""

    ropa: Ropa


Element = FibreElement | AmplifierElement | RopaElement


class LineCase(StrictModel):
    """An explicit optical line: spectrum, fibre types and elements from transmitter to receiver."""

    name: str = Field(min_length=1, description="Case name.")
    description: str = Field("", description="Free text.")
    spectrum: Spectrum = Field(description="Channel plan and launch power.")
    fibres: dict[str, FibreType] = Field(min_length=1, description="Named fibre types.")
    elements: tuple[Element, ...] = Field(
        min_length=1, description="Elements in order, transmitter to receiver."
    )
    nli_model: NliModel = Field("gn_closed_form", description="NLI model.")
    transceiver: TransceiverNoise = Field(
        default_factory=TransceiverNoise, description="Back-to-back transceiver noise."
    )

    @model_validator(mode="after")
    def _check(self) -> LineCase:
        n_fibres = 0
        lo = self.spectrum.first_channel_thz - self.spectrum.symbol_rate_gbaud * 5e-4
        hi = self.spectrum.last_channel_thz + self.spectrum.symbol_rate_gbaud * 5e-4
        for k, el in enumerate(self.elements):
            if isinstance(el, FibreElement):
                n_fibres += 1
                if el.fibre.type not in self.fibres:
                    known = ", ".join(sorted(self.fibres))
                    raise ValueError(
                        f"elements.{k}.fibre.type: unknown fibre type {el.fibre.type!r} "
                        f"(known: {known})"
                    )
            elif isinstance(el, AmplifierElement):
                band = el.amplifier.band
                if lo < band.low_thz or hi > band.high_thz:
                    raise ValueError(
                        f"elements.{k}.amplifier.band: channels {lo:.4f}-{hi:.4f} THz lie "
                        f"outside the amplifier band {band.low_thz}-{band.high_thz} THz"
                    )
                if el.amplifier.gain_db is None and n_fibres == 0:
                    raise ValueError(
                        f"elements.{k}.amplifier.gain_db: an amplifier before the first fibre "
                        "(booster) needs gain_db"
                    )
            elif isinstance(el, RopaElement):
                after = self.elements[k + 1:]
                if not after or not isinstance(after[0], FibreElement):
                    raise ValueError(
                        f"elements.{k}.ropa: a ROPA must be followed by the fibre that carries "
                        "its pump from the receive end"
                    )
                if n_fibres == 0:
                    raise ValueError(f"elements.{k}.ropa: a ROPA needs a fibre before it")
        if n_fibres == 0:
            raise ValueError("elements: the line has no fibre")
        return self


def _format_error(err: ValidationError, source: str, prefix: tuple[str, ...] = ()) -> str:
    first = err.errors()[0]
    loc_parts = list(prefix) + [str(p) for p in first["loc"]]
    # drop pydantic's union-branch names (FibreElement, ...) from the path
    loc_parts = [p for p in loc_parts if not p.endswith("Element")]
    loc = ".".join(loc_parts) or "(top level)"
    msg = str(first["msg"])
    if first["type"] == "extra_forbidden":
        msg = "unknown key"
    elif first["type"] == "missing":
        msg = "required field is missing"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    value = first.get("input")
    shown = ""
    if first["type"] not in ("missing", "value_error") and isinstance(value, int | float | str):
        shown = f" (got {value!r})"
    if first["type"] == "value_error" and loc == "(top level)" and ":" in msg:
        loc, msg = msg.split(":", 1)
        msg = msg.strip()
    return f"{source}: {loc}: {msg}{shown}".replace("\n", " ")


_ELEMENT_MODELS: dict[str, type[StrictModel]] = {
    "fibre": FibreElement,
    "amplifier": AmplifierElement,
    "ropa": RopaElement,
}


def _check_element_shapes(data: dict[str, Any], source: str) -> None:
    """Clear messages for element entries that are not a one-key mapping of a known kind."""
    elements = data.get("elements")
    if elements is None:
        return
    if not isinstance(elements, list):
        raise OpticsError(f"{source}: elements: must be a list of elements")
    if not elements:
        raise OpticsError(f"{source}: elements: the line is empty")
    for k, el in enumerate(elements):
        if not isinstance(el, dict) or len(el) != 1:
            raise OpticsError(
                f"{source}: elements.{k}: each element is a mapping with one key "
                "(fibre, amplifier or ropa)"
            )
        kind = next(iter(el))
        model = _ELEMENT_MODELS.get(kind)
        if model is None:
            raise OpticsError(
                f"{source}: elements.{k}: unknown element {kind!r} (fibre, amplifier or ropa)"
            )
        try:
            model.model_validate(el)
        except ValidationError as err:
            raise OpticsError(_format_error(err, source, ("elements", str(k)))) from None


def line_case_from_dict(data: Any, *, source: str = "line case") -> LineCase:
    """Validate a mapping (parsed YAML) into a :class:`LineCase`.

    Raises
    ------
    OpticsError
        One line naming the source, the field's path and the problem.
    """
    if not isinstance(data, dict):
        raise OpticsError(f"{source}: the top level must be a mapping of keys to values")
    _check_element_shapes(data, source)
    try:
        return LineCase.model_validate(data)
    except ValidationError as err:
        raise OpticsError(_format_error(err, source)) from None


def load_line_case(path: str | Path) -> LineCase:
    """Read and validate a line-case YAML file (format: ``docs/line_case_format.md``).

    Raises
    ------
    OpticsError
        File missing or unreadable, YAML syntax error, or an invalid field.
    """
    text = read_text(path, what="line-case file", error=OpticsError)
    data = parse_yaml(text, source=str(Path(path)), error=OpticsError)
    return line_case_from_dict(data, source=str(Path(path)))
