# idmgraph task runner. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: help run build test check lint bench clean lock

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 10

# requirements.lock pins every package (and its version) the environment had when the tests last
# passed; installs are constrained to it, so `make run` installs the same versions tomorrow.
# `make lock` writes it again from the current environment.
# The query page's YASGUI comes from the npm registry, pinned by version and integrity hash in
# src/idmgraph/serve/vendor.py, into src/idmgraph/_vendor/ (git-ignored); without the registry
# the page falls back to its plain form.
# The package is compiled to bytecode once, as a wheel's install does: where PYTHONDONTWRITEBYTECODE
# is set, each command would otherwise compile its modules from source (0.15-0.4 s a command); a
# module edited since is compiled anew in memory, as Python does with any stale bytecode.
$(STAMP): pyproject.toml requirements.lock src/idmgraph/serve/vendor.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python src/idmgraph/serve/vendor.py src/idmgraph/_vendor
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[docs]'
	$(BIN)/python -m compileall -q src/idmgraph
	touch $@

$(TSTAMP): $(STAMP) pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,docs]'
	touch $@

lock: $(TSTAMP)  ## pin the environment's packages in requirements.lock (after updating them on purpose)
	( echo "# pinned by make lock: pip install -c requirements.lock -e '.[test,docs]'"; \
	  $(BIN)/python -m pip freeze --exclude-editable --all | grep -v '^pip==' ) > requirements.lock

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

# every benchmark runs, and the figures of each are printed, even after one misses a target;
# the exit status then says that one did
bench: $(TSTAMP)  ## speed and memory figures (see benchmarks/; RUDOF_PYTHON=a Python with pyrudof adds it to the SHACL engines)
	@missed=""; \
	for b in themes ingest run endpoint build; do \
	  echo "$(BIN)/python benchmarks/$$b.py"; $(BIN)/python benchmarks/$$b.py || missed="$$missed $$b"; \
	done; \
	echo "$(BIN)/python benchmarks/shacl_engines.py"; \
	$(BIN)/python benchmarks/shacl_engines.py $(if $(RUDOF_PYTHON),--rudof-python $(RUDOF_PYTHON)) \
	  || missed="$$missed shacl_engines"; \
	if [ -n "$$missed" ]; then echo "targets missed or failed in:$$missed"; exit 1; fi

clean:  ## remove the build and the environment
	rm -rf data/build data/.build.cache $(VENV)
