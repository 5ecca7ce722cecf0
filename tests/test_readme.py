"""The README is one screen and every command in it works as written (issue 22).

The README's Python examples moved to the documentation (the gallery and the getting-started
page); ``tests/test_docs.py`` runs them. Here: the README's length, that each command line it
shows parses with the real parsers (``transcaspian ...``) or names a real make target, that the
paths it names exist, and (slow) that its taste of ``transcaspian run`` is what the run prints.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _text() -> str:
    return README.read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", _text(), re.DOTALL)


def _command_lines() -> list[list[str]]:
    """The README's shell commands, comments stripped, split as a shell would."""
    commands = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(words)
    return commands


def test_readme_is_one_screen() -> None:
    lines = _text().splitlines()
    assert len(lines) <= 40, f"README has {len(lines)} lines"
    assert max(len(line) for line in lines) <= 100


def test_readme_says_where_things_are() -> None:
    text = _text()
    for needed in ("make demo", "make test", "make docs", "docs/_build/html/index.html",
                   ".venv/bin/transcaspian", "source .venv/bin/activate"):
        assert needed in text, needed


def test_readme_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z][\w-]*):", makefile, re.MULTILINE))
    used = [words[1] for words in _command_lines() if words[0] == "make"]
    assert {"demo", "test"} <= set(used)
    assert set(used) <= targets, set(used) - targets
    docs = re.findall(r"`make (\w+)`", _text())
    assert set(docs) <= targets, set(docs) - targets


def test_readme_transcaspian_commands_parse_and_name_real_files() -> None:
    from transcaspian.cli import build_parser

    lines = [w for w in _command_lines() if Path(w[0]).name == "transcaspian"]
    assert len(lines) >= 3
    assert any(w[0] == ".venv/bin/transcaspian" for w in lines)
    for words in lines:
        args = words[1:]
        if "--help" in args:
            with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stdout(io.StringIO()):
                build_parser().parse_args(args)
            assert exit_info.value.code == 0
            continue
        ns = build_parser().parse_args(args)
        assert ns.command, words
        for arg in args:
            if arg.endswith((".yaml", ".csv")) and not arg.startswith("out/"):
                assert (ROOT / arg).is_file(), f"README names {arg}, which is not in the repo"


def test_readme_activate_path_is_the_venv_make_creates() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^VENV\s*\?=\s*\.venv$", makefile, re.MULTILINE)
    assert re.search(r"^BIN\s*=\s*\$\(VENV\)/bin$", makefile, re.MULTILINE)


@pytest.mark.slow
def test_readme_taste_is_what_run_prints(tmp_path, capsys) -> None:
    """Each line of the README's taste of ``transcaspian run`` is a line the run prints
    (its summary lines go to stderr, the files written to stdout)."""
    from transcaspian.cli import main

    taste = [line for line in _blocks("text")[0].splitlines() if line.strip()]
    assert len(taste) == 3
    assert main(["run", "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    printed = (captured.out + captured.err).splitlines()
    for line in taste:
        assert line in printed, f"README taste line not printed by `transcaspian run`: {line}"
    # the sentence after the taste quotes the unrepeatered best and the decision
    text = " ".join(_text().split())
    unrep = re.search(r"closes (\d+\.\d) Tb/s per fibre pair; the decision builds (\d+) "
                      r"repeaters at (\d+\.\d) Tb/s per pair", text)
    assert unrep, "README: the unrepeatered/decision sentence is missing"
    run_text = "\n".join(printed)
    assert f"the best closes {unrep.group(1)} Tb/s per fibre pair" in run_text
    assert (f"decision: build Repeatered: {unrep.group(2)} repeaters: {unrep.group(3)} Tb/s per "
            "fibre pair") in run_text


def test_example_line_case_names_are_checked() -> None:
    from transcaspian.errors import OpticsError
    from transcaspian.optics import example_line_case_path

    with pytest.raises(OpticsError, match=r"no example line case 'nope' \(examples: gnpy_L5_50G"):
        example_line_case_path("nope")


def test_package_plan_is_the_function_after_importing_the_module() -> None:
    """``transcaspian.plan`` stays the function however the submodule was imported."""
    import importlib

    import transcaspian

    importlib.import_module("transcaspian.plan")
    assert callable(transcaspian.plan) and transcaspian.plan.__name__ == "plan"
