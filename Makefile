# Qorrelate — the two commands:  make run  ·  make test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed
NODE_SDK_STAMP := sdks/node/node_modules/.installed
JS_SOURCES := $(shell find static/src -type f 2>/dev/null) static/build.mjs

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/qorrelate
# `make run PORT=8123` (or PORT / QORRELATE_PORT in the environment) serves on another port.
PORT ?= $(or $(QORRELATE_PORT),8000)
DATA_DIR := $(or $(QORRELATE_DATA_DIR),data)
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: run test setup setup-dev js lint js-test format services chromium migrate demo bench clean help packages

help:
	@echo "make run   — install everything, migrate and serve Qorrelate (web, worker, beat) on http://127.0.0.1:$(PORT) (make run PORT=8123 for another port)"
	@echo "make test  — install everything and run ruff + the whole test suite on PostgreSQL and Redis"
	@echo "make demo  — record the article's three scenarios into a Demo Shop organization (run it beside make run)"

$(PY):
	@echo "==> Creating virtualenv in $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml sdks/python/pyproject.toml | $(PY)
	@echo "==> Installing Python packages (the server, and the qorrelate-otel SDK from sdks/python)"
	@$(PIP) install --quiet --progress-bar off -e sdks/python -e .
	@touch $@

$(DEV_STAMP): pyproject.toml $(RUN_STAMP)
	@echo "==> Installing Python test packages"
	@$(PIP) install --quiet --progress-bar off -e ".[dev]"
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@echo "==> Installing npm packages"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(NODE_SDK_STAMP): sdks/node/package.json sdks/node/package-lock.json
	@echo "==> Installing npm packages of the Node SDK (sdks/node)"
	@npm ci --prefix sdks/node --no-audit --no-fund --loglevel=error
	@touch $@

static/dist/.built: $(NODE_STAMP) $(JS_SOURCES)
	@echo "==> Building JS bundles"
	@node static/build.mjs
	@touch $@

setup: $(RUN_STAMP) js
setup-dev: $(DEV_STAMP) js $(NODE_SDK_STAMP)
js: static/dist/.built

migrate: setup
	@mkdir -p "$(DATA_DIR)/broker/out" "$(DATA_DIR)/broker/processed" "$(DATA_DIR)/broker/control" "$(DATA_DIR)/blobs"
	@echo "==> Migrating the database"
	@$(PY) manage.py migrate --noinput

run: migrate
	@echo ""
	@echo "==> Qorrelate is starting: web, worker and beat. Open http://127.0.0.1:$(PORT) (Ctrl-C stops all)."
	@echo "    Database: $${DATABASE_URL:-SQLite in $(DATA_DIR)/}; broker: $${REDIS_URL:-embedded ($(DATA_DIR)/broker)}; blobs: $${AWS_STORAGE_BUCKET_NAME:-$(DATA_DIR)/blobs}"
	@echo ""
	@QORRELATE_PORT=$(PORT) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) scripts/run_all.py Procfile

services:
	@scripts/ensure_services.sh

chromium:
	@scripts/ensure_chromium.sh

lint: $(DEV_STAMP) $(NODE_STAMP)
	@echo "==> ruff"
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@echo "==> lint-imports (the apps' layers, pyproject.toml)"
	@$(VENV)/bin/lint-imports --no-cache > .lint-imports.log 2>&1 || (cat .lint-imports.log; exit 1)
	@grep -E "^Contracts:" .lint-imports.log
	@echo "==> eslint"
	@npx --no-install eslint .

# Unit tests of the browser code (recorder and player) on Node's test runner.
js-test: $(NODE_STAMP)
	@echo "==> node --test static/tests"
	@node --test --test-reporter=spec static/tests/

format: $(DEV_STAMP)
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

# The SDKs as they would be published (docs/sdks.md): a broken package fails make test early.
packages: $(DEV_STAMP) $(NODE_STAMP) $(NODE_SDK_STAMP)
	@echo "==> Building the SDK packages into dist/sdks/"
	@$(PY) sdks/generate_conventions.py --check
	@rm -rf dist/sdks && mkdir -p dist/sdks
	@$(PY) -m build --no-isolation --outdir dist/sdks sdks/python > dist/sdks/python-build.log 2>&1 || (cat dist/sdks/python-build.log; exit 1)
	@cd sdks/node && npm pack --silent --pack-destination ../../dist/sdks > /dev/null
	@cd sdks/browser && npm pack --silent --pack-destination ../../dist/sdks > /dev/null
	@ls -l dist/sdks | awk 'NR > 1 && $$NF !~ /log$$/ {printf "    %-44s %7.1f KB\n", $$NF, $$5 / 1024}'

test: setup-dev services chromium lint js-test packages
	@echo "==> pytest on PostgreSQL ($(TEST_DATABASE_URL)) and Redis ($(TEST_REDIS_URL))"
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) QORRELATE_TESTING=1 \
		$(VENV)/bin/pytest $(PYTEST_ARGS)

demo: setup-dev chromium
	@echo "==> Recording the article's three scenarios into the Demo Shop organization"
	@$(PY) -m demo --url $${QORRELATE_URL:-http://127.0.0.1:$(PORT)}

clean:
	rm -rf static/dist staticfiles .pytest_cache test-artifacts dist
