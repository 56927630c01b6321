# idmgraph task runner. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: help run build test check lint bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 10

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(STAMP)  ## create the environment, build the graph from data/sources/, print the headline, networks, views
	$(BIN)/idmgraph build
	$(BIN)/idmgraph analyze
	$(BIN)/idmgraph viz

build: run  ## same as run

test: $(TSTAMP)  ## install the test extras and run every test
	$(BIN)/python -m pytest

check: $(TSTAMP)  ## lint (ruff) and validate the built graph
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/idmgraph validate

bench: $(TSTAMP)  ## speed and memory figures (see benchmarks/; needs the test extras for Chromium and oxigraph)
	$(BIN)/python benchmarks/themes.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/endpoint.py

clean:  ## remove the build and the environment
	rm -rf data/build $(VENV)
