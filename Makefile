# Council Performance — the two commands a newcomer needs:
#   make demo   set everything up, load reference and demo data, compute, write letters, serve :8000
#   make test   ruff, mypy and the whole test suite on SQLite, then on PostgreSQL
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
DEMO_YEARS ?= 2018-19:2024-25
PYTEST_ARGS ?=

.PHONY: demo test install system-runtime system-test setup-data serve lint typecheck test-sqlite test-postgres clean

demo: install system-runtime setup-data serve

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements/lock.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json councilperf/public/assets/site.scss councilperf/public/assets/build.mjs
	npm ci --no-audit --no-fund --loglevel=error
	npm run build
	mkdir -p node_modules && touch $@

install: $(STAMP) $(NODE_STAMP)

system-runtime:
	scripts/system-packages.sh runtime

system-test:
	scripts/system-packages.sh test

# Every step is idempotent: re-running `make demo` changes nothing it need not.
setup-data: install
	DEMO_YEARS=$(DEMO_YEARS) scripts/demo-data.sh

serve:
	@echo "Serving Council Performance at http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy councilperf tests bench

test: install system-test lint typecheck test-sqlite test-postgres

test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: install
	@url=$$(scripts/postgres-url.sh) || exit 1; \
	if [ -z "$$url" ]; then echo "No PostgreSQL server at 127.0.0.1:5432: PostgreSQL run skipped"; \
	else echo "PostgreSQL run: $$url"; DATABASE_URL=$$url $(VENV)/bin/pytest $(PYTEST_ARGS); fi

clean:
	rm -rf var/build var/letters .pytest_cache .mypy_cache .ruff_cache
