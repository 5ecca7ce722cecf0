"""Base of every input model, shared by the scenario and each stage's configuration.

Kept apart from :mod:`transcaspian.scenario` so that stage configurations (optics, network…)
can derive from it while the scenario imports them.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationInfo


class StrictModel(BaseModel):
    """Base of every input model: unknown keys refused, values immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )


def resolve_path(value: Path | None, info: ValidationInfo) -> Path | None:
    """Resolve a relative path against the scenario file's folder (validation context)."""
    if value is None:
        return None
    path = Path(value).expanduser()
    base = (info.context or {}).get("base_dir") if info.context else None
    if not path.is_absolute() and base is not None:
        path = Path(base) / path
    return path
