# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make demo   - create .venv, install, run the default scenario, write out/trans-caspian/
#   make test   - create .venv with the test extras, run pytest
# and one to read about it:
#   make docs   - build the documentation site offline into docs/_build/html
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= out/trans-caspian

.PHONY: demo test fuzz lint bench clean venv kill-test docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test,dask]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test,dask,bench]"
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[docs]"
	touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/transcaspian run --out $(OUT)
	@echo "report: $(OUT)/report.html"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m "not slow"

# loader fuzzing at scale: 10^4 generated inputs per loader, outcomes printed by class
# (make test runs a small sample of the same strategies)
FUZZ_EXAMPLES ?= 10000
fuzz: $(VENV)/.installed-test
	TRANSCASPIAN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -m fuzz

# the interrupted-run checks: `transcaspian run` killed at 20 seeded moments, and signalled
# with SIGINT/SIGTERM mid-run (exit 130/143, --out untouched, no child left) (a few minutes)
kill-test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -s -m slow tests/test_output_set_kill.py tests/test_cli.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks

# the documentation site, built from scratch every time (the gallery's examples run, and every
# figure the pages quote is computed from the code), warnings as errors, nothing fetched
DOCS_GENERATED = docs/_build docs/auto_examples docs/reference/generated docs/sg_execution_times.rst
docs: $(VENV)/.installed-docs
	rm -rf $(DOCS_GENERATED)
	$(BIN)/python -m sphinx -b html -W --keep-going -q docs docs/_build/html
	$(BIN)/python docs/_ext/check_offline.py docs/_build/html
	@echo "docs: docs/_build/html/index.html"

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache $(DOCS_GENERATED)
