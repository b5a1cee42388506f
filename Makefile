# Impact Briefs: `make` lists the targets. Only python3 and make are needed.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check --no-input

$(STAMP): pyproject.toml constraints.txt
	@echo "Setting up $(VENV) (first run only)…"
	@python3 -m venv $(VENV)
	@# pip's chatter goes to a log that is shown only if the install fails.
	@( $(PY) -m pip install $(PIP_FLAGS) --upgrade "pip>=24" && \
	   $(PY) -m pip install $(PIP_FLAGS) -c constraints.txt -e ".[dev]" \
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
test: $(STAMP) ## Run the test suite
	@$(PY) -m pytest

LOCALES := pipeline/locales
BABEL_KEYWORDS := -k _ -k ngettext:1,2

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
lint: $(STAMP) ## Check style and common bugs (ruff) and the stage order of imports (import-linter)
	@$(VENV)/bin/ruff check pipeline tests bench
	@$(VENV)/bin/ruff format --check pipeline tests bench
	@$(VENV)/bin/lint-imports --no-cache | tail -n 1

.PHONY: format
format: $(STAMP) ## Reformat the code with ruff
	@$(VENV)/bin/ruff check --fix pipeline tests bench
	@$(VENV)/bin/ruff format pipeline tests bench

.PHONY: lock
lock: $(STAMP) ## Re-pin constraints.txt to what is installed in .venv
	@$(PY) -m pip freeze --exclude-editable > constraints.txt

.PHONY: clean
clean: ## Delete generated files (never touches data/raw)
	@rm -rf data/processed/* reports/* .pytest_cache .ruff_cache
	@find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
	@touch data/processed/.gitkeep reports/.gitkeep

.PHONY: distclean
distclean: clean ## Also delete the virtual environment
	@rm -rf $(VENV)
