# The front door. `make demo` runs the main job; `make test` runs lint, types and all tests.
# Both install everything themselves into .venv (Python 3.11+ and the package registries only).
# `make eval` plays ~7,200 customer conversations through the real stack and scores the agent.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install browser demo up test lint typecheck pytest chaos fuzz bench bench-smoke eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,local]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/switchboard demo

up: $(STAMP)
	$(BIN)/switchboard up

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Headless Chromium for the console's browser test (tests/console), from Debian's packages: no
# browser download from anywhere else. Skipped when already there; needs root (CI runs as root).
browser:
	test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

pytest: $(STAMP) browser
	$(BIN)/pytest

test: lint typecheck pytest

# The long chaos run: many customers and callers, 60+ worker SIGKILLs, API restarts, Temporal and
# Postgres down mid-run, faults at the fake Twilio; prints the table and fails on any violation.
# (A short run is part of `make test`.)
chaos: $(STAMP)
	$(BIN)/python -m tests.chaos --customers 30 --kills 60 --api-restarts 3 \
		--temporal-restarts 3 --postgres-restarts 3 --callers 4

# Schemathesis against the OpenAPI schema on the embedded stack, with a key of each role; fails on
# any 5xx or undocumented answer. (A short run is part of `make test`: tests/api/test_fuzz.py.)
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --max-examples 100

# Benchmarks (bench/README.md): the four suites at full size, or a few seconds each (CI-style).
bench: $(STAMP)
	$(BIN)/python -m bench

bench-smoke: $(STAMP)
	$(BIN)/python -m bench --smoke

# The agent's evaluation (evals/README.md): scenarios played with signed webhooks, scored from
# the outside; prints the table and writes .data/eval/report.json. Reports, never fails.
eval: $(STAMP)
	$(BIN)/python -m evals

clean:
	rm -rf .data .pytest_cache .mypy_cache .ruff_cache
