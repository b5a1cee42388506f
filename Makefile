# Impact Briefs: `make` lists the targets. Only python3 and make are needed.
.DEFAULT_GOAL := help
SHELL := /bin/bash
# A failing command anywhere in a pipe fails its recipe (lint-imports | tail must not hide it).
.SHELLFLAGS := -o pipefail -ec

VENV := .venv
PY := $(VENV)/bin/python
#: What `make report` needs: the runtime packages only (requirements.lock).
STAMP := $(VENV)/.installed
#: What the developer targets add: tests, linters, the standards' own validators (requirements-dev.lock).
DEV_STAMP := $(VENV)/.dev-installed
PIP_FLAGS := --quiet --disable-pip-version-check --no-input
# Two workers on two cores; each test file (or test class) stays in one worker, so module and
# class fixtures build once (pytest-xdist's loadscope; no file here has a class but test_layout).
# Python keeps its compiled modules (__pycache__, which make clean removes) even where the
# environment says not to: each worker, CLI subprocess and build worker otherwise compiles
# pipeline/ and the tests afresh (about 2 s of collection each; 1 s of a subprocess's start).
PYTEST := PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist loadscope
COVERAGE_FLAGS := --cov=pipeline --cov-branch --cov-report=term:skip-covered --cov-fail-under=95

$(STAMP): pyproject.toml requirements.lock
	@echo "Setting up $(VENV) (first run only)…"
	@python3 -m venv $(VENV)
	@# Every package is pinned and hash-checked (requirements.lock); then the project itself,
	@# built with the locked setuptools. pip's chatter goes to a log shown only on failure.
	@( $(PY) -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements.lock && \
	   $(PY) -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e . \
	 ) > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	@echo "Adding the development tools to $(VENV) (first run only)…"
	@$(PY) -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements-dev.lock \
	   > $(VENV)/install-dev.log 2>&1 || { cat $(VENV)/install-dev.log; exit 1; }
	@touch $(DEV_STAMP)

#: The optional Dask extra (`--scheduler`), from its own lock (requirements-dask.lock).
DASK_STAMP := $(VENV)/.dask-installed

$(DASK_STAMP): $(STAMP) requirements-dask.lock
	@echo "Adding Dask (the dask extra, for --scheduler) to $(VENV)…"
	@$(PY) -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r requirements-dask.lock \
	   > $(VENV)/install-dask.log 2>&1 || { cat $(VENV)/install-dask.log; exit 1; }
	@touch $(DASK_STAMP)

.PHONY: help
help: ## Show this list of targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: setup
setup: $(STAMP) ## Create .venv and install the pinned runtime dependencies

.PHONY: setup-dev
setup-dev: $(DEV_STAMP) ## Also install the pinned development tools (tests, linters)

.PHONY: dask
dask: $(DASK_STAMP) ## Also install Dask (the dask extra), to build on a cluster with --scheduler

.PHONY: report
report: $(STAMP) ## Validate data/raw; build the briefs whose data changed, and reports/overview.pdf
	@$(PY) -m pipeline report

.PHONY: validate
validate: $(STAMP) ## Check data/raw without building briefs; findings in reports/validation.html
	@$(PY) -m pipeline validate

FIXES ?= reports/fixes.csv
.PHONY: fix
fix: $(STAMP) ## Apply the rows marked x in reports/fixes.csv (or FIXES=list): copies in reports/fixes/
	@$(PY) -m pipeline fix "$(FIXES)"

.PHONY: template
template: $(STAMP) ## Write a blank workbook: make template COUNTRY=kenya [HEADERS=fr] [PERIODS="2004 2005-Q1"]
	@test -n "$(COUNTRY)" || { echo "Say which country: make template COUNTRY=kenya"; exit 2; }
	@$(PY) -m pipeline template "$(COUNTRY)" $(if $(HEADERS),--lang $(HEADERS)) $(if $(PERIODS),--periods $(PERIODS))

.PHONY: test
# The cluster tests need the dask extra, and the coverage floor counts its code: installed here.
test: $(DEV_STAMP) $(DASK_STAMP) ## Run every test, with the branch-coverage floor of pipeline/ (95%)
	@$(PYTEST) $(COVERAGE_FLAGS)

.PHONY: test-fast
test-fast: $(DEV_STAMP) ## Run the fast tier (tests/tier.py): no real PDF, browser or cluster; a fifth of the examples
	@TEST_TIER=fast $(PYTEST) -m "not slow"

.PHONY: coverage
coverage: $(DEV_STAMP) $(DASK_STAMP) ## Run every test and list the lines of pipeline/ no test reaches
	@$(PYTEST) $(COVERAGE_FLAGS) --cov-report=term-missing:skip-covered

.PHONY: goldens
goldens: $(DEV_STAMP) ## Rewrite the golden texts from the current code, and show what changed
	@$(PY) -m tests.goldens
	@git --no-pager diff --stat -- tests/golden; git --no-pager diff -- tests/golden | sed -n '1,200p'

.PHONY: mutation
mutation: $(DEV_STAMP) ## Mutation-test read/, check/, compute/ and the sentences [MODULES="pipeline/read/cells.py …"]; writes docs/mutation.md
	@$(PY) -m tests.mutation $(MODULES)

LOCALES := pipeline/locales
BABEL_KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k say:2 -k say_n:2,3

.PHONY: translations
translations: $(DEV_STAMP) ## Extract text to translate, update the .po catalogs, compile them to .mo
	@# Babel lists every file it reads; show that only if a step fails.
	@out=$$($(VENV)/bin/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location \
	   --omit-header --sort-output -o $(LOCALES)/messages.pot . 2>&1) || { echo "$$out"; exit 1; }
	@out=$$($(VENV)/bin/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) \
	   --no-fuzzy-matching --ignore-obsolete --width 100 2>&1) || { echo "$$out"; exit 1; }
	@$(VENV)/bin/pybabel compile -d $(LOCALES) --statistics

.PHONY: bench
bench: $(DEV_STAMP) ## Measure build speed and memory on a synthetic portfolio; writes docs/benchmarks.md
	@$(PY) -m bench.run

.PHONY: gallery
gallery: $(DEV_STAMP) ## Render the layout scenarios to page images and contact sheets in reports/gallery/
	@$(PY) -m tests.gallery

.PHONY: lint
lint: $(DEV_STAMP) ## Check style (ruff), the stage order of imports (import-linter) and types (mypy --strict)
	@$(VENV)/bin/ruff check pipeline tests bench
	@$(VENV)/bin/ruff format --check pipeline tests bench
	@# The contract's one-line verdict when kept; its whole report when broken.
	@out=$$($(VENV)/bin/lint-imports --no-cache 2>&1) || { echo "$$out"; exit 1; }; echo "$$out" | tail -n 1
	@$(VENV)/bin/mypy

.PHONY: format
format: $(DEV_STAMP) ## Reformat the code with ruff
	@$(VENV)/bin/ruff check --fix pipeline tests bench
	@$(VENV)/bin/ruff format pipeline tests bench

.PHONY: lock
lock: $(DEV_STAMP) ## Re-resolve pyproject.toml into requirements.lock, requirements-dev.lock and requirements-dask.lock
	@# The development lock is resolved first, as a superset; the runtime lock is then held to
	@# its pins, so both install the same version of every package they share. setuptools
	@# builds the project itself. uv keeps existing pins unless pyproject.toml needs others.
	@printf 'setuptools>=77\n' | $(VENV)/bin/uv pip compile pyproject.toml - --extra dev \
	   --generate-hashes --universal --python-version 3.11 --quiet -o requirements-dev.lock
	@printf 'setuptools>=77\n' | $(VENV)/bin/uv pip compile pyproject.toml - \
	   --constraint requirements-dev.lock \
	   --generate-hashes --universal --python-version 3.11 --quiet -o requirements.lock
	@# The dask extra: the runtime packages and those it adds, held to the runtime pins.
	@$(VENV)/bin/uv pip compile pyproject.toml --extra dask --constraint requirements.lock \
	   --generate-hashes --universal --python-version 3.11 --quiet -o requirements-dask.lock

.PHONY: clean
clean: ## Delete generated files (never touches data/raw)
	@rm -rf data/processed/* reports/* .pytest_cache .ruff_cache
	@find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
	@touch data/processed/.gitkeep reports/.gitkeep

.PHONY: distclean
distclean: clean ## Also delete the virtual environment
	@rm -rf $(VENV)
