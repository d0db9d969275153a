# Two commands on a fresh Debian machine with python3:
#   make demo   venv + install + sample data + the monthly close; prints the report's path
#   make test   the whole suite (unit tests, corpus, notebooks under nbval, browser tests)
# Also: make bench (speed and memory against the naive way), make lab, make clean.

SHELL      := /bin/bash
PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
PERIOD     ?= 2026-10
SAMPLE     := data/sample
SAMPLE_OK  := $(SAMPLE)/.complete
PYTEST_ARGS ?=
GENERATOR  := $(shell find backoffice_lib/sample_data -name '*.py' 2>/dev/null)

.PHONY: demo test bench install sample-data lab lint clean help

help:
	@echo "make demo   - install, generate sample data, run the close for $(PERIOD), print the report path"
	@echo "make test   - run the whole test suite"
	@echo "make bench  - benchmarks (ratios against the naive way, measured in the same run)"
	@echo "make lab    - open JupyterLab on the notebooks"

install: $(STAMP)

# Re-runs only when pyproject.toml changes: a second `make demo` skips the install.
$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    echo "python3 -m venv failed: installing Debian's python3-venv"; \
	    rm -rf $(VENV); \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	    else sudo apt-get install -y python3-venv; fi; \
	    $(PYTHON) -m venv $(VENV); }; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# An editable install leaves the package's bytecode to each process that imports it
	@# (with PYTHONDONTWRITEBYTECODE set, every kernel of a close compiles it again).
	$(BIN)/python -m compileall -q backoffice_lib
	@touch $(STAMP)

sample-data: $(SAMPLE_OK)

$(SAMPLE_OK): $(STAMP) $(GENERATOR)
	$(BIN)/backoffice sample-data --out $(SAMPLE)

demo: $(SAMPLE_OK)
	$(BIN)/backoffice close --period $(PERIOD) --params parameters/close.yaml --force
	@echo
	@echo "Report: $(abspath outputs/$(PERIOD)/index.html)"

test: $(SAMPLE_OK)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(SAMPLE_OK)
	$(BIN)/python -m compileall -q backoffice_lib
	$(BIN)/python -m benchmarks

lab: $(SAMPLE_OK)
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check backoffice_lib tests benchmarks

clean:
	rm -rf outputs/[0-9]* outputs/kpi_history.parquet data .cache .pytest_cache test-artifacts
