# Council Performance — the two commands a newcomer needs:
#   make demo   set everything up, load reference and demo data, compute, write letters, and
#               serve :8000 through gunicorn with DEBUG off, as production would
#   make test   ruff, mypy and the whole test suite on SQLite and on PostgreSQL, side by side
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
DEMO_YEARS ?= 2018-19:2024-25
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo's own secret key (scripts/secret-key.sh); a real server sets DJANGO_SECRET_KEY.
DEMO_SECRET := $(CURDIR)/var/secret-key

.PHONY: demo test install system-runtime system-test setup-data serve dev lock lint typecheck test-sqlite test-postgres clean services

demo: install system-runtime setup-data serve
demo setup-data: export DJANGO_SECRET_KEY_FILE ?= $(DEMO_SECRET)

# Development and tests: the runtime lock (all a production server installs) plus the tools.
$(STAMP): requirements/base.txt requirements/lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements/base.txt -r requirements/lock.txt
	touch $@

# Regenerate both locks after editing requirements/base.in (runtime) or dev.in (tools).
lock:
	cd requirements && CUSTOM_COMPILE_COMMAND="make lock" ../$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links base.in -o base.txt
	cd requirements && CUSTOM_COMPILE_COMMAND="make lock" ../$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links dev.in -o lock.txt

$(NODE_STAMP): package.json package-lock.json councilperf/site/assets/site.scss councilperf/site/assets/build.mjs
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
	scripts/secret-key.sh
	DEMO_YEARS=$(DEMO_YEARS) scripts/demo-data.sh

# Production serving: gunicorn, DEBUG off (councilperf/serving/gunicorn_conf.py; docs/deployment.md).
serve:
	@echo "Serving Council Performance at http://$(HOST):$(PORT) with gunicorn (Ctrl-C to stop)"
	HOST=$(HOST) PORT=$(PORT) DJANGO_DEBUG=0 $(VENV)/bin/gunicorn -c python:councilperf.serving.gunicorn_conf

# Development: Django's server with autoreload and DEBUG on.
dev: install
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy councilperf tests bench

# The two passes run side by side (a core each; TEST_JOBS=1 runs them one after the other
# with live output). Each pass's output is printed whole when it ends.
TEST_JOBS ?= 2
test: install system-test services lint typecheck
	$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-sqlite test-postgres

# Services the tests need that a machine may not have running: Redis (queue, cache).
services: system-test
	scripts/redis-up.sh

test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(VENV)/bin/pytest $(PYTEST_ARGS)

# TEST_CACHE_URL (CI: redis://127.0.0.1:6379/0) runs this pass with the cache on Redis.
test-postgres: install
	@url=$$(scripts/postgres-url.sh) || exit 1; \
	if [ -z "$$url" ]; then echo "No PostgreSQL server at 127.0.0.1:5432: PostgreSQL run skipped"; \
	else echo "PostgreSQL run: $$url, cache $${TEST_CACHE_URL:-locmem}"; \
	env DATABASE_URL=$$url $${TEST_CACHE_URL:+CACHE_URL=$$TEST_CACHE_URL} $(VENV)/bin/pytest $(PYTEST_ARGS); fi

clean:
	rm -rf var/build var/letters var/cache .pytest_cache .mypy_cache .ruff_cache
