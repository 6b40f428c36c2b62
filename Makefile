# qa-bot — two commands on a fresh machine:  make run   |   make test
# Everything installs into .venv; each target does its own set-up.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip
QA     := $(BIN)/qa-bot
# Re-install when the project definition changes.
RUN_STAMP  := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: run test lint install install-test install-st extras index serve eval bench soak browser-deps fonts-deps postgres-deps clean help

help:
	@echo "make run    — install, build index/ if missing or stale, serve on $${QA_BOT_HOST:-127.0.0.1}:$${QA_BOT_PORT:-8000}"
	@echo "make test   — install test dependencies (and Chromium), lint, run the whole test suite"
	@echo "make lint   — ruff check (qa_bot, tests, benchmarks) and mypy --strict (qa_bot); settings in pyproject.toml"
	@echo "make eval   — score eval/gold.jsonl and write eval/report/"
	@echo "make bench  — benchmarks against the plain LangChain pipeline and BM25 (figures in benchmarks/results/)"
	@echo "make soak   — 32 clients × 60 s against a real server on 127.0.0.1 (throughput, latency, errors, memory)"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	@touch $@

# torch is pinned (==2.13.0, the CPU build); an unpinned torch would pull a multi-GB CUDA build.
$(TEST_STAMP): pyproject.toml $(RUN_STAMP)
	$(PIP) install --quiet "torch==2.13.0"
	$(PIP) install --quiet -e ".[st,langchain,llm,milvus,postgres,test]"
	@touch $@

install: $(RUN_STAMP)
install-test: $(TEST_STAMP)
install-st: $(RUN_STAMP)
	$(PIP) install --quiet "torch==2.13.0"
	$(PIP) install --quiet -e ".[st]"

# Optional extras for what the environment asks for: QA_BOT_STORE=milvus:… and QA_BOT_DATABASE_URL=postgresql://…
extras: $(RUN_STAMP)
	@case "$${QA_BOT_STORE:-}" in milvus:*) $(BIN)/python -c "import pymilvus, milvus_lite" 2>/dev/null || $(PIP) install --quiet -e ".[milvus]";; esac
	@case "$${QA_BOT_DATABASE_URL:-}" in postgres*) $(BIN)/python -c "import psycopg" 2>/dev/null || $(PIP) install --quiet -e ".[postgres]";; esac

index: $(RUN_STAMP) extras
	$(QA) index --if-stale

run: index
	$(QA) serve

serve: $(RUN_STAMP) extras
	$(QA) serve

# Debian's Chromium for the browser tests (Playwright's own browser download does not work offline).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; \
	fi

# Debian's CJK fonts: the PDF gazettes made by tests/format_helpers.py are laid out in Noto Sans CJK.
fonts-deps:
	@if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; fi; \
	fi

# Debian's PostgreSQL binaries for tests/test_database.py (the tests initdb a throwaway server of their own).
postgres-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi; \
	fi

# ruff and mypy are pinned in the `test` extra; their settings are [tool.ruff] and [tool.mypy] in pyproject.toml.
lint: $(TEST_STAMP)
	$(BIN)/ruff check
	$(BIN)/mypy

test: lint $(TEST_STAMP) browser-deps fonts-deps postgres-deps
	node --test web/test/ web/miniprogram/test/
	$(BIN)/python -m pytest -q -ra

# Test-only JavaScript packages pinned in package-lock.json: axe-core (injected into the browser tests) and
# miniprogram-simulate + jsdom (render the mini-program page under Node). Nothing of it is served.
.PHONY: web-deps
web-deps: node_modules/.package-lock.json
test: web-deps

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; }
	npm ci --no-audit --no-fund --loglevel=error

# The mini-program's CommonJS copy of the one JS client, after editing web/js/qabot.js or web/js/qabot/ (no npm packages needed).
.PHONY: sync-client
sync-client:
	node web/tools/sync-client.js

eval: $(RUN_STAMP) index
	$(QA) eval --out eval/report/ --check eval/thresholds.json

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/compare_pipelines.py
	$(BIN)/python benchmarks/growth.py --sizes 1,10,100
	$(BIN)/python benchmarks/stores.py --sizes 1,10,100
	$(BIN)/python benchmarks/store_agreement.py
	$(BIN)/python benchmarks/formats.py
	$(BIN)/python benchmarks/request_guards.py

# Longer load run on the loopback interface; SOAK_ARGS="--clients 8 --seconds 20" to change it.
soak: index
	$(BIN)/python benchmarks/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) index build *.egg-info .pytest_cache node_modules
