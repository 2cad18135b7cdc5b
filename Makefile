# The only way to run the project's tasks; CI calls the same targets.
# Everything installs itself into .venv from the hash-locked requirements-test.txt (the site's
# runtime lock, requirements.txt, plus the test tools).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AS_OF ?=
N ?=
ADDR ?= 127.0.0.1:8000

.PHONY: setup serve site check render test test-fast lint browser bench lock clean golden

setup: $(STAMP)

$(STAMP): requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.txt
	touch $@

## serve: build the sample portal into site/ and serve it; edits rebuild and reload the page
# Call-in status is worked out for the moment the server started (or AS_OF): were it "now",
# every page's "as of" time would change and every page be made again on each edit; the page
# script still moves badges on as time passes. An edit remakes only the files it touches
# (the build cache, generator/cache.py).
serve: $(STAMP)
	$(PY) -m generator serve --addr $(ADDR) $(if $(AS_OF),--as-of $(AS_OF))

## site: build the portal into site/ (atomically: a failed build leaves site/ as it was)
site: $(STAMP)
	$(PY) -m generator build $(if $(AS_OF),--as-of $(AS_OF)) $(if $(ENGINE),--engine $(ENGINE))

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
test: $(STAMP) browser lint
	$(PY) -m pytest

## lint: ruff over the code and tests, mypy --strict over generator/ (settings in pyproject.toml)
lint: $(STAMP)
	$(PY) -m ruff check generator tests benchmarks
	$(PY) -m mypy

## test-fast: every test except the browser and full-build ones
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser and not slow"

## bench: benchmark the build at 1,000, 5,000 and 20,000 synthetic decisions and write
## benchmarks/RESULTS.md (about half an hour on 2 cores); `make bench N=5000` runs one size
bench: $(STAMP) browser
	$(PY) benchmarks/run.py $(if $(N),--n $(N))

## lock: re-resolve requirements.txt from pyproject.toml
## lock: regenerate both hash-pinned locks from pyproject.toml: requirements.txt (what a site
## build needs: the deploy and a council's content repository install it) and
## requirements-test.txt (that plus the test tools, for `make test`)
lock: $(STAMP)
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
	  --constraint requirements.txt -o requirements-test.txt

clean:
	rm -rf build site .pytest_cache
