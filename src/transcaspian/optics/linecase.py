"""The line-case format: one explicit optical line, element by element (YAML).

Documented in ``docs/line_case_format.md``. :func:`load_line_case` reads a file,
:func:`line_case_from_dict` validates a mapping; every problem is one
:class:`~transcaspian.errors.OpticsError` line naming the file and the field.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, ValidationError, model_validator

from .._load import Loc, document_kind_hint, load_yaml, read_text, validation_error
from ..errors import OpticsError
from ..model import StrictModel
from .elements import Edfa, FibreSection, FibreType, NliModel, Ropa, Spectrum, TransceiverNoise

__all__ = [
    "AmplifierElement",
    "FibreElement",
    "Gff",
    "GffElement",
    "LineCase",
    "RopaElement",
    "example_line_case_path",
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


class Gff(StrictModel):
    """A gain-flattening filter (passive, per-channel loss), e.g. at the receiver after a
    Raman-pumped fibre whose on-off gain has a ripple.

    ``mode: flatten`` attenuates every channel down to the weakest channel's signal power at the
    filter (per launch variant), at most ``max_depth_db``; ``mode: given`` applies ``loss_db``
    (one value per channel). A passive filter attenuates signal and noise alike: it changes the
    GSNR only through the noise added after it (a following amplifier's input power).
    """

    mode: Literal["flatten", "given"] = Field("flatten", description="How the loss is set.")
    loss_db: tuple[Annotated[float, Field(ge=0.0, le=40.0)], ...] | None = Field(
        None, description="Per-channel loss (mode given) [dB].")
    max_depth_db: float = Field(20.0, ge=0.0, le=40.0,
                                description="Largest flattening loss (mode flatten) [dB].")
    insertion_loss_db: float = Field(0.5, ge=0.0, le=10.0,
                                     description="Loss of the filter at every channel [dB].")

    @model_validator(mode="after")
    def _given(self) -> Gff:
        if self.mode == "given" and self.loss_db is None:
            raise ValueError("loss_db is required for mode given")
        return self


class GffElement(StrictModel):
    """``- gff: {mode: flatten, ...}``: a gain-flattening filter."""

    gff: Gff


_ELEMENT_KINDS: dict[type[StrictModel], str] = {
    FibreElement: "fibre",
    AmplifierElement: "amplifier",
    RopaElement: "ropa",
    GffElement: "gff",
}


def _element_kind(value: Any) -> str | None:
    """Which element a list entry is: its one key (``fibre``, ``amplifier``, ``ropa``)."""
    if isinstance(value, dict) and len(value) == 1:
        return str(next(iter(value)))  # an unknown kind is reported with the known ones
    return _ELEMENT_KINDS.get(type(value))


Element = Annotated[
    Annotated[FibreElement, Tag("fibre")]
    | Annotated[AmplifierElement, Tag("amplifier")]
    | Annotated[RopaElement, Tag("ropa")]
    | Annotated[GffElement, Tag("gff")],
    Discriminator(_element_kind),
]


def _check_bands(k: int, spectrum: Spectrum, bands: tuple[Any, ...]) -> None:
    """Every channel (± R_s/2) lies inside one of a multi-band amplifier's bands."""
    half = spectrum.symbol_rate_gbaud * 5e-4
    for i in spectrum.grid_indices:
        f = spectrum.first_channel_thz + i * spectrum.spacing_ghz * 1e-3
        if not any(b.low_thz <= f - half and f + half <= b.high_thz for b in bands):
            names = ", ".join(f"{b.low_thz}-{b.high_thz}" for b in bands)
            raise ValueError(f"elements.{k}.amplifier.extra_bands: the channel at {f:.4f} THz "
                             f"lies outside every amplifier band ({names} THz)")


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
                if not el.amplifier.extra_bands:
                    if lo < band.low_thz or hi > band.high_thz:
                        raise ValueError(
                            f"elements.{k}.amplifier.band: channels {lo:.4f}-{hi:.4f} THz lie "
                            f"outside the amplifier band {band.low_thz}-{band.high_thz} THz"
                        )
                else:
                    _check_bands(k, self.spectrum, (band, *el.amplifier.extra_bands))
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
            elif isinstance(el, GffElement):
                loss = el.gff.loss_db
                if loss is not None and len(loss) != self.spectrum.n_channels:
                    raise ValueError(f"elements.{k}.gff.loss_db: needs one value per channel "
                                     f"({self.spectrum.n_channels}, got {len(loss)})")
        if n_fibres == 0:
            raise ValueError("elements: the line has no fibre")
        return self


def line_case_from_dict(
    data: Any, *, source: str = "line case", lines: dict[Loc, int] | None = None
) -> LineCase:
    """Validate a mapping (parsed YAML) into a :class:`LineCase`.

    Raises
    ------
    OpticsError
        One line naming the source, the field's path and the problem; with several
        problems, a header line and one line per problem.
    """
    if not isinstance(data, dict):
        raise OpticsError(f"{source}: the top level must be a mapping of keys to values")
    hint = document_kind_hint(data, expected="line case")
    if hint:
        raise OpticsError(f"{source}: {hint}")
    try:
        return LineCase.model_validate(data)
    except ValidationError as err:
        raise validation_error(err, source, OpticsError, model=LineCase, lines=lines) from None


def load_line_case(path: str | Path) -> LineCase:
    """Read and validate a line-case YAML file (format: ``docs/line_case_format.md``).

    Raises
    ------
    OpticsError
        File missing or unreadable, YAML syntax error, or an invalid field.
    """
    text = read_text(path, what="line-case file", error=OpticsError)
    doc = load_yaml(text, source=str(Path(path)), error=OpticsError)
    return line_case_from_dict(doc.data, source=str(Path(path)), lines=dict(doc.lines))


def example_line_case_path(name: str = "gnpy_L5_50G") -> Path:
    """Path of a line case shipped with the package (``data/line_cases/<name>.yaml``).

    ``gnpy_L5_50G``: 5 x 80 km SSMF with an EDFA after each span, 96 x 50 GHz at 32 GBd, the
    GNPy reference case of the validation set (GNPy 3.0.1: minimum GSNR 22.03 dB at its best
    launch power, -2 dBm per channel).

    Raises
    ------
    OpticsError
        No example of that name (the message lists the examples).
    """
    folder = resources.files("transcaspian").joinpath("data", "line_cases")
    ref = folder.joinpath(f"{name}.yaml")
    if not ref.is_file():
        known = sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                       if p.name.endswith(".yaml"))
        raise OpticsError(f"no example line case {name!r} (examples: {', '.join(known)})")
    return Path(str(ref))
