# Impact Briefs: `make` lists the targets. Only python3 and make are needed.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check --no-input

$(STAMP): pyproject.toml requirements.lock
	@echo "Setting up $(VENV) (first run only)…"
	@python3 -m venv $(VENV)
	@# Every package is pinned and hash-checked (requirements.lock); then the project itself,
	@# built with the locked setuptools. pip's chatter goes to a log shown only on failure.
	@( $(PY) -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements.lock && \
	   $(PY) -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e . \
	 ) > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

.PHONY: help
help: ## Show this list of targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: setup
setup: $(STAMP) ## Create .venv and install the pinned dependencies

.PHONY: report
report: $(STAMP) ## Validate data/raw; build the briefs whose data changed, and reports/overview.pdf
	@$(PY) -m pipeline report

.PHONY: validate
validate: $(STAMP) ## Check data/raw without building briefs; findings in reports/validation.html
	@$(PY) -m pipeline validate

.PHONY: test
test: $(STAMP) ## Run the test suite (two worker processes)
	@$(PY) -m pytest -n 2 --dist loadfile

.PHONY: coverage
coverage: $(STAMP) ## Run the test suite and report branch coverage of pipeline/ (95% at least)
	@$(PY) -m pytest -n 2 --dist loadfile --cov=pipeline --cov-branch \
	   --cov-report=term-missing:skip-covered --cov-fail-under=95

LOCALES := pipeline/locales
BABEL_KEYWORDS := -k _ -k N_ -k ngettext:1,2

.PHONY: translations
translations: $(STAMP) ## Extract text to translate, update the .po catalogs, compile them to .mo
	@# Babel lists every file it reads; show that only if a step fails.
	@out=$$($(VENV)/bin/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location \
	   --omit-header --sort-output -o $(LOCALES)/messages.pot . 2>&1) || { echo "$$out"; exit 1; }
	@out=$$($(VENV)/bin/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) \
	   --no-fuzzy-matching --ignore-obsolete --width 100 2>&1) || { echo "$$out"; exit 1; }
	@$(VENV)/bin/pybabel compile -d $(LOCALES) --statistics

.PHONY: bench
bench: $(STAMP) ## Measure build speed and memory on a synthetic portfolio; writes docs/benchmarks.md
	@$(PY) -m bench.run

.PHONY: lint
lint: $(STAMP) ## Check style (ruff), the stage order of imports (import-linter) and types (mypy)
	@$(VENV)/bin/ruff check pipeline tests bench
	@$(VENV)/bin/ruff format --check pipeline tests bench
	@$(VENV)/bin/lint-imports --no-cache | tail -n 1
	@$(VENV)/bin/mypy

.PHONY: format
format: $(STAMP) ## Reformat the code with ruff
	@$(VENV)/bin/ruff check --fix pipeline tests bench
	@$(VENV)/bin/ruff format pipeline tests bench

.PHONY: lock
lock: $(STAMP) ## Re-resolve pyproject.toml into requirements.lock (pins and hashes)
	@# setuptools builds the project itself; uv keeps existing pins unless pyproject needs others.
	@printf 'setuptools>=77\n' | $(VENV)/bin/uv pip compile pyproject.toml - --extra dev \
	   --generate-hashes --universal --python-version 3.11 --quiet -o requirements.lock

.PHONY: clean
clean: ## Delete generated files (never touches data/raw)
	@rm -rf data/processed/* reports/* .pytest_cache .ruff_cache
	@find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
	@touch data/processed/.gitkeep reports/.gitkeep

.PHONY: distclean
distclean: clean ## Also delete the virtual environment
	@rm -rf $(VENV)
