# One entry point for people and CI. Every target works on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: site setup tools test test-fast golden lint check fetch serve bench clean

## site: set up the virtual environment (if needed) and build the site into site/
site: setup
	$(BIN)/python build.py

## setup: create .venv and install the project with its development tools
setup: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## tools: the Nu Html Checker (vnu.jar, from the npm registry; runs on the machine's Java)
VNU := .tools/node_modules/vnu-jar/build/dist/vnu.jar
tools: $(VNU)
$(VNU):
	npm install --silent --no-audit --no-fund --prefix .tools vnu-jar@26.9.27

## test: run the whole test suite (the command CI runs)
test: setup tools
	$(BIN)/python -m pytest -n auto

## test-fast: the unit tests and the fast fixture's whole site, without the full snapshot (≈ 1.5 min)
test-fast: setup
	BAROMETER_FAST_TESTS=1 $(BIN)/python -m pytest -n auto -m "not slow"

## golden: rewrite tests/golden/site from the fast fixture's site (then review `git diff tests/golden`)
golden: setup
	$(BIN)/python -m pytest -n 0 tests/test_golden.py --update-golden

## bench: the full-site benchmark (3 runs) and Lighthouse (npm, on Debian's chromium) → bench/
LIGHTHOUSE := .tools/bench/node_modules/.bin/lighthouse
bench: setup $(LIGHTHOUSE)
	$(BIN)/python -m barometer.bench --lighthouse $(LIGHTHOUSE)
$(LIGHTHOUSE):
	npm install --silent --no-audit --no-fund --prefix .tools/bench lighthouse@13.5.0

## lint: ruff check and format check, mypy on the package
lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

## check: validate every input
check: setup
	$(BIN)/python build.py check

## fetch: download missing inputs into data/raw/
fetch: setup
	$(BIN)/python build.py fetch

clean:
	rm -rf site data/cache
