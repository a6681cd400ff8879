# Every target does its own set-up: a virtual environment with the locked
# Python dependencies, the pinned npm assets and, for browser tests in CI,
# Debian's chromium. Set-up is skipped when its inputs have not changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
OFFLINE_DIR := build/offline
ZIP := site/downloads/handbook-offline.zip
LINT_PATHS := snippets scripts tests
# Material 9.8 prints an end-of-life notice on every build; it is not a warning.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup serve site test lint check check-external-links browser-deps lock clean bench bench-lighthouse
.PHONY: labs broker-deps
.PHONY: engines test-engines

help:
	@echo "make serve   live preview at http://127.0.0.1:8000"
	@echo "make test    lint, type checks, all tests and the strict build"
	@echo "make site    online build in site/ plus the offline zip"
	@echo "make lint    ruff check, ruff format --check, mypy --strict"
	@echo "make check   validate the content (front matter, sections, snippets)"
	@echo "make lock    re-resolve requirements.lock from pyproject.toml"
	@echo "make bench   benchmarks: build time, snippets, Lighthouse (figures)"
	@echo "make labs    run the labs against local RabbitMQ, Redis and NATS"
	@echo "make test-engines  parity tests against Beam, Flink SQL, bytewax (Java 17)"
	@echo "make clean   remove builds, caches and the environments"

$(PY_STAMP): requirements.lock
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(PY_STAMP) $(NPM_STAMP)

serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: setup
	$(BIN)/mkdocs build --strict --clean
	OFFLINE=true $(BIN)/mkdocs build --strict --clean --site-dir $(OFFLINE_DIR)
	$(BIN)/python scripts/make_zip.py $(OFFLINE_DIR) $(ZIP)

lint: $(PY_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy snippets/streamlab scripts

check: $(PY_STAMP)
	$(BIN)/python scripts/check_content.py

# Outbound links of the built site: needs the network, so not part of `test`.
check-external-links: site
	$(BIN)/python scripts/check_external_links.py site

# In CI the browser tests must run: install Debian's chromium when missing.
browser-deps:
	@if [ -n "$$CI" ] && [ "$$CI" != "false" ] && ! command -v chromium >/dev/null 2>&1; then \
	  echo "CI: installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# In CI the broker tests must run: install the missing servers from Debian.
broker-deps: $(PY_STAMP)
	@if [ -n "$$CI" ] && [ "$$CI" != "false" ]; then \
	  pkgs="$$($(BIN)/python scripts/brokers.py missing)"; \
	  if [ -n "$$pkgs" ]; then \
	    echo "CI: installing Debian packages for the broker tests: $$pkgs"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; \
	  fi; \
	fi

# Servers run as our own processes on 127.0.0.1 with fresh data in build/labs.
labs: $(PY_STAMP) broker-deps
	$(BIN)/python scripts/brokers.py labs

# The engine parity tests (tests/engines) run Beam, Flink SQL and bytewax in
# their own environment, never in $(VENV); Flink needs Java 17 on PATH.
ENGINES_VENV := .venv-engines
ENGINES_STAMP := $(ENGINES_VENV)/.installed
$(ENGINES_STAMP): requirements-engines.lock
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required") if sys.version_info < (3, 11) else None'
	test -x $(ENGINES_VENV)/bin/python || $(PYTHON) -m venv $(ENGINES_VENV)
	$(ENGINES_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-engines.lock
	touch $@

# Without java: an error in CI, elsewhere a notice (the tests then skip loudly).
engines:
	@if command -v java >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory $(ENGINES_STAMP); \
	elif [ -n "$$CI" ] && [ "$$CI" != "false" ]; then \
	  echo "CI: Java 17 is required for the engine tests: java is not on PATH" >&2; exit 1; \
	else \
	  echo "!!! no java on PATH: $(ENGINES_VENV) not set up, the engine tests will not run (install Java 17)"; \
	fi

test-engines: $(PY_STAMP)
	@command -v java >/dev/null 2>&1 || { echo "Java 17 is required: java is not on PATH" >&2; exit 1; }
	@$(MAKE) --no-print-directory $(ENGINES_STAMP)
	$(BIN)/python -m pytest tests/engines

test: setup browser-deps broker-deps engines lint
	$(BIN)/python -m pytest --cov --cov-report=term-missing:skip-covered

# Benchmarks print figures (README, Performance); no test asserts a time.
bench: setup bench-lighthouse
	$(BIN)/python scripts/bench_build.py
	$(BIN)/python scripts/bench_snippets.py

# Lighthouse lives in its own npm folder, installed only for this target.
LIGHTHOUSE_STAMP := tools/lighthouse/node_modules/.installed
$(LIGHTHOUSE_STAMP): tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench-lighthouse: setup $(LIGHTHOUSE_STAMP)
	$(BIN)/python scripts/bench_lighthouse.py

lock: $(PY_STAMP)
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
	  --no-emit-find-links --output-file requirements.lock pyproject.toml

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov $(VENV) $(ENGINES_VENV) node_modules
