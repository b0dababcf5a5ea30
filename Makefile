# Uptake: two commands.
#   make demo   the web app with a demo district on an embedded SQLite database
#   make test   the whole test suite (set DATABASE_URL to run it on PostgreSQL)
# Both bootstrap what they need: Python 3.12 virtualenv with the locked dependencies, and for
# the tests Debian's chromium, the WeasyPrint libraries and npm's axe-core.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
VENV := .venv
TOOLS := .tools
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
TEST_WORKERS ?= 2
# BROWSER=0 leaves the browser tests out (CI runs them once, on SQLite: they test pages,
# not the database, and every database behaviour has a test without a browser).
BROWSER ?= 1
# TASKS_ON_REDIS=0 leaves out the second run of the background-task tests with the queue in
# Redis (TASK_BACKEND=rq, docs/operations.md); CI runs it once, on SQLite, and it is skipped,
# saying so, when no Redis answers on 127.0.0.1:6379.
TASKS_ON_REDIS ?= 1
# (A worker killed mid-task on Redis is tested in tests/test_tasks_on_redis.py, in every run;
# the killed-worker tests that stage the database queue's own rows stay on that queue.)
TASK_TESTS = uptake/roster/tests/test_import_runs_in_the_background.py \
	uptake/roster/tests/test_import_pages.py uptake/roster/tests/test_api_roster.py \
	uptake/inquiry/tests/test_series_summaries.py \
	uptake/networks/tests/test_community_import.py uptake/networks/tests/test_community_pages.py

.PHONY: help demo test bootstrap test-deps lint types check bench soak clean

help:
	@echo "make demo    run Uptake with a demo district on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint    ruff and mypy"
	@echo "make bench   benchmarks (see docs/performance.md)"
	@echo "make soak    load and soak test: 100 users, 10 min, PostgreSQL + gunicorn + worker"

bootstrap: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock
	@bash scripts/bootstrap.sh
	@touch $@

test-deps: bootstrap
	@bash scripts/test-deps.sh

demo: bootstrap
	@bash scripts/runtime-deps.sh
	@UPTAKE_DEMO=1 $(PY) manage.py migrate --noinput -v 0
	@UPTAKE_DEMO=1 $(PY) manage.py collectstatic --noinput -v 0
	@UPTAKE_DEMO=1 $(PY) manage.py demo --base-url http://$(HOST):$(PORT)
	@echo "Serving Uptake on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	@UPTAKE_DEMO=1 $(PY) manage.py db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	UPTAKE_DEMO=1 $(VENV)/bin/gunicorn uptake.wsgi:application --config gunicorn.conf.py \
		--bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --log-level warning

test: test-deps
	@$(VENV)/bin/ruff check .
	@UPTAKE_TESTING=1 $(VENV)/bin/mypy uptake
	@echo "-> pytest: everything but the browser tests, on $(TEST_WORKERS) workers"
	@$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)
	@if [ "$(TASKS_ON_REDIS)" = "0" ]; then echo "-> task tests on Redis left out (TASKS_ON_REDIS=0)"; \
	elif ! $(PY) -c "import redis; redis.Redis(host='127.0.0.1', socket_connect_timeout=2).ping()" 2>/dev/null; then \
		echo "-> task tests on Redis skipped: no Redis answers on 127.0.0.1:6379"; else \
		echo "-> pytest: the background-task tests again, with the queue in Redis"; \
		UPTAKE_TEST_TASKS=rq $(PY) -m pytest -p no:xdist -q -m "not browser" $(TASK_TESTS); fi
	@if [ "$(BROWSER)" = "0" ]; then echo "-> browser tests left out (BROWSER=0)"; else \
		echo "-> pytest: browser tests (Playwright + Debian chromium + axe-core)"; \
		$(PY) -m pytest -n $(TEST_WORKERS) -m browser $(PYTEST_ARGS); fi

lint: bootstrap
	$(VENV)/bin/ruff check .
	UPTAKE_TESTING=1 $(VENV)/bin/mypy uptake

bench: bootstrap
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b; done

# USERS, MINUTES and DATABASE (postgres or sqlite) as `make soak USERS=20 MINUTES=1`;
# PostgreSQL at $BENCH_PG_SERVER (default postgres://postgres@127.0.0.1:5432).
USERS ?= 100
MINUTES ?= 10
DATABASE ?= postgres
soak: bootstrap
	@$(PY) bench/soak.py --users $(USERS) --minutes $(MINUTES) --database $(DATABASE)

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/test-*
