"""The README's Python examples run as written (issue 8, finding 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_readme_line_case_example_runs_and_meets_gnpy(capsys) -> None:
    block = next(b for b in _python_blocks() if "example_line_case_path" in b)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    line = namespace["line"]
    # GNPy 3.0.1 gn_model_analytic on this case: minimum GSNR 22.03 dB at -2 dBm/ch
    # (tests/validation/data/gnpy_3_0_1_reference.csv); the print shows the same value
    assert abs(float(line.min_gsnr_db[0]) - 22.03) <= 0.015  # type: ignore[attr-defined]
    assert "22.03" in capsys.readouterr().out


def test_example_line_case_names_are_checked() -> None:
    from transcaspian.errors import OpticsError
    from transcaspian.optics import example_line_case_path

    with pytest.raises(OpticsError, match=r"no example line case 'nope' \(examples: gnpy_L5_50G"):
        example_line_case_path("nope")


@pytest.mark.slow
def test_readme_plan_example_runs() -> None:
    block = next(b for b in _python_blocks() if "transcaspian.plan(" in b)
    exec(compile(block, "README.md", "exec"), {})


def test_package_plan_is_the_function_after_importing_the_module() -> None:
    """``transcaspian.plan`` stays the function however the submodule was imported."""
    import importlib

    import transcaspian

    importlib.import_module("transcaspian.plan")
    assert callable(transcaspian.plan) and transcaspian.plan.__name__ == "plan"
