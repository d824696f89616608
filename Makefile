# Every target bootstraps what it needs from nothing but Python >= 3.10 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BASE_STAMP := $(VENV)/.apigen-base
DEV_STAMP  := $(VENV)/.apigen-dev

.PHONY: generate check lint test bench venv clean docs

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("apigen needs Python >= 3.10, found " + sys.version.split()[0] if sys.version_info < (3, 10) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(BASE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@# byte-compile the generator as pip does for a wheel (an editable install is not compiled, and with
	@# PYTHONDONTWRITEBYTECODE set nothing would ever be: every run would compile it again)
	$(BIN)/python -m compileall -q generator
	@touch $@

$(DEV_STAMP): pyproject.toml generated/client/pyproject.toml $(BASE_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]' -e generated/client
	@touch $@

venv: $(DEV_STAMP)

## Regenerate generated/ (client and docs) from spec/.
generate: $(BASE_STAMP)
	$(BIN)/apigen generate

## Rebuild only the API reference (generated/docs: Markdown and the static HTML site in html/).
docs: $(BASE_STAMP)
	$(BIN)/apigen docs

## Exit 1 with a diff when generated/ is out of step with spec/ and templates/.
check: $(BASE_STAMP)
	$(BIN)/apigen check

lint: $(BASE_STAMP)
	$(BIN)/apigen lint

## axe-core (npm) for the accessibility checks of the docs browser test; they skip without npm.
AXE_VERSION := 4.10.2
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js

$(AXE): | $(BIN)/python
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@$(AXE_VERSION) \
		|| echo "make: npm could not install axe-core; the docs accessibility checks will skip" >&2; \
	else echo "make: npm not found; the docs accessibility checks will skip" >&2; fi

## Everything: drift check, then every test.
test: $(DEV_STAMP) $(AXE)
	$(BIN)/apigen check
	$(BIN)/python -m pytest

BENCH_STAMP := $(VENV)/.apigen-bench

$(BENCH_STAMP): pyproject.toml $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@

## Benchmarks (not tests): generator speed against openapi-python-client (Twilio and the large corpus
## specs: cold, warm, one edit, peak RSS, and a doubling check); client call overhead against raw httpx
## and Huawei's official SDK. Both print ratios measured in the same run.
## BENCH_ARGS passes options, e.g. make bench BENCH_ARGS='--runs 5 --large-runs 3 --spec openai'
BENCH_ARGS ?=
bench: $(BENCH_STAMP)
	$(BIN)/python tests/bench/bench_generate.py $(BENCH_ARGS)
	$(BIN)/python -m tests.bench.bench_client

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
