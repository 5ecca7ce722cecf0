"""Report options of a scenario (``report:`` block)."""

from __future__ import annotations

from pydantic import Field

from ..model import StrictModel


class ReportConfig(StrictModel):
    """How the report judges and presents the results."""

    thin_margin_db: float = Field(
        1.0,
        ge=0.0,
        le=20.0,
        description="End-of-life margin [dB] below which the recommended design is flagged as "
        "thin. 1 dB by default: about the spread of the GSNR models against GNPy and of the "
        "ageing/repair allowances themselves, so a smaller margin is within the model's own "
        "uncertainty.",
    )
