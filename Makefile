# The only way to run the project's tasks; CI calls the same targets.
# Everything installs itself into .venv from the hash-locked requirements.txt.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AS_OF ?=
N ?= 1000
ADDR ?= 127.0.0.1:8000

.PHONY: setup serve site check render test test-fast browser bench lock clean golden

setup: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

## serve: validate every record, build the sample portal and serve it with live reload
serve: $(STAMP)
	$(PY) -m generator check
	$(PY) -m mkdocs serve --dev-addr $(ADDR) --livereload

## site: build the portal into site/ (atomically: a failed build leaves site/ as it was)
site: $(STAMP)
	$(PY) -m generator build $(if $(AS_OF),--as-of $(AS_OF))

## check: validate records and settings only
check: $(STAMP)
	$(PY) -m generator check

## render: write the generated Markdown into build/docs only
render: $(STAMP)
	$(PY) -m generator render $(if $(AS_OF),--as-of $(AS_OF))

## browser: make sure Debian's Chromium is there for the browser tests
browser:
	@bash tests/browser/ensure-chromium.sh

## test: every test, browser tests included
test: $(STAMP) browser
	$(PY) -m pytest

## test-fast: every test except the browser and full-build ones
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser and not slow"

## bench: benchmark the build at N synthetic decisions (make bench N=5000)
bench: $(STAMP)
	$(PY) benchmarks/run.py --n $(N)

## lock: re-resolve requirements.txt from pyproject.toml
lock: $(STAMP)
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.txt

clean:
	rm -rf build site .pytest_cache
