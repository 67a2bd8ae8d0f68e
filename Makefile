# PAC: the two commands of the README are `make run` and `make test`.
# Everything else here is what they are made of.

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# Two locks: requirements.lock is what runs (a server installs it alone), requirements-dev.lock
# adds the tools of the tests, the linters and the load test. One stamp each, so that a changed
# lock reinstalls.
STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

# The first interpreter of 3.12 or newer wins; pyenv's shims honour .python-version.
PYTHON_CANDIDATES := python3.12 python3.13 python3.14 python3 python
FIND_PYTHON := for p in $(PYTHON_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$p; break; fi; done

.PHONY: install install-dev lock checkers run test test-postgres lint format migrate messages makemessages static seed bench load cluster cluster-check clean

$(BIN)/python:
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then \
	  echo "PAC needs Python 3.12 or newer, and none was found on PATH." >&2; \
	  echo "Install one (for instance 'pyenv install 3.12'), then run make again." >&2; \
	  exit 1; fi; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

$(DEV_STAMP): requirements-dev.lock $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $(DEV_STAMP)

# What a server needs to run PAC, and nothing more.
install: $(STAMP)

# The same, plus pytest, Playwright, ruff, import-linter and locust.
install-dev: $(DEV_STAMP)

# Both locks, from pyproject.toml, by uv (`pip install uv` where it is missing). uv keeps the
# versions the locks already hold; LOCK_ARGS="--upgrade-package NAME" (or "--upgrade") moves them.
# The development lock is resolved against the runtime one, so both agree on every package they
# share, then keeps only what the runtime lock lacks, under a `-r requirements.lock`.
UV ?= uv
LOCK_ARGS ?=
lock:
	$(UV) pip compile pyproject.toml -o requirements.lock --python-version 3.12 \
	  --custom-compile-command "make lock" --quiet $(LOCK_ARGS)
	$(UV) pip compile pyproject.toml --extra dev -c requirements.lock -o requirements-dev.lock \
	  --python-version 3.12 --custom-compile-command "make lock" --quiet $(LOCK_ARGS)
	awk 'FNR == NR { if ($$0 ~ /^[a-z0-9]/) { split($$0, pin, "=="); runtime[pin[1]] = 1 }; next } \
	  /^[a-z0-9]/ { if (!started) { print "-r requirements.lock"; started = 1 } \
	    split($$0, pin, "=="); skip = (pin[1] in runtime) } \
	  !skip' requirements.lock requirements-dev.lock > requirements-dev.lock.tmp
	mv requirements-dev.lock.tmp requirements-dev.lock

# The browser tests' checkers, at the versions of the accessibility audit: axe-core (run inside
# Chromium) and the Nu HTML checker (vnu.jar, run with the machine's Java 17), from the npm
# registry. Their scripts are not run: vnu-jar's would fetch a Java of its own.
AXE_VERSION := 4.14.1
VNU_VERSION := 26.9.27
CHECKERS := var/node/.installed-axe-$(AXE_VERSION)-vnu-$(VNU_VERSION)

$(CHECKERS):
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p var/node && \
	  npm install --prefix var/node --no-save --no-audit --no-fund --ignore-scripts --loglevel error \
	    axe-core@$(AXE_VERSION) vnu-jar@$(VNU_VERSION) && touch $@; \
	else \
	  echo "npm not found: the accessibility and HTML validity tests will skip (CI fails them)." >&2; \
	fi

checkers: $(CHECKERS)

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

static: install
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input --verbosity 0

seed: migrate
	$(BIN)/python manage.py seed_demo --if-empty

run: messages static migrate
	$(BIN)/python manage.py seed_demo --if-empty
	@echo
	@echo "PAC runs at http://127.0.0.1:$(PORT)/"
	@echo "Demo accounts (password 'demo'): manager, rep1, rep2, rep3, viewer; other team: manager2, rep4; admin: admin"
	@echo
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev messages static checkers
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite against PostgreSQL; the server's default database is used to create test_pac.
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pac
test-postgres: install-dev messages static checkers
	DATABASE_URL=$(DATABASE_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks on fresh databases at both sizes: SQLite always, PostgreSQL when BENCH_DATABASE_URL
# names a database that may be wiped. Tables go to the terminal and var/bench/.
bench: install-dev messages static
	@mkdir -p var/bench
	@for size in small large; do \
	  rm -f var/bench/bench-$$size.sqlite3*; \
	  SQLITE_PATH=var/bench/bench-$$size.sqlite3 $(BIN)/python manage.py migrate --no-input --verbosity 0 && \
	  SQLITE_PATH=var/bench/bench-$$size.sqlite3 $(BIN)/python manage.py seed_bench --size $$size && \
	  SQLITE_PATH=var/bench/bench-$$size.sqlite3 $(BIN)/python manage.py bench --size $$size || exit 1; \
	  if [ -n "$$BENCH_DATABASE_URL" ]; then \
	    DATABASE_URL=$$BENCH_DATABASE_URL $(BIN)/python manage.py flush --no-input && \
	    DATABASE_URL=$$BENCH_DATABASE_URL $(BIN)/python manage.py migrate --no-input --verbosity 0 && \
	    DATABASE_URL=$$BENCH_DATABASE_URL $(BIN)/python manage.py seed_bench --size $$size && \
	    DATABASE_URL=$$BENCH_DATABASE_URL $(BIN)/python manage.py bench --size $$size || exit 1; \
	  fi; \
	done
	SQLITE_PATH=var/bench/bench-large.sqlite3 $(BIN)/python manage.py bench_pdf --actions 200

# gunicorn (2 workers) under a mixed load of 50 users for 60 s on fresh `large` data, then the
# capacity (closed loop: the highest rate held with p95 under 300 ms): SQLite always; PostgreSQL
# and the cluster (2 nodes x 1 worker behind HAProxy) too when LOAD_DATABASE_URL names a database
# that may be wiped. Fails on any error. Figures go to the terminal and var/load/.
load: install-dev messages static
	@mkdir -p var/load
	rm -f var/load/load.sqlite3*
	SQLITE_PATH=var/load/load.sqlite3 $(BIN)/python manage.py migrate --no-input --verbosity 0
	SQLITE_PATH=var/load/load.sqlite3 $(BIN)/python manage.py seed_bench --size large
	SQLITE_PATH=var/load/load.sqlite3 $(BIN)/python manage.py load
	SQLITE_PATH=var/load/load.sqlite3 $(BIN)/python manage.py load --capacity --output var/load/capacity-sqlite
	@if [ -n "$$LOAD_DATABASE_URL" ]; then \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py flush --no-input && \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py migrate --no-input --verbosity 0 && \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py seed_bench --size large && \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py load --output var/load/postgresql && \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py load --capacity --output var/load/capacity-postgresql && \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py load --capacity --cluster --output var/load/capacity-cluster; \
	fi

# PAC as several servers run it, on this machine: two gunicorn nodes (1 sync worker each) behind
# HAProxy on CLUSTER_PORT, a task worker, moto's S3 server as the shared file store, on the
# machine's PostgreSQL and Redis, with production settings. Its database is CLUSTER_DATABASE_URL
# (pac_cluster, created and migrated, the demo when it holds no plan). Ctrl-C stops it all.
CLUSTER_PORT ?= 8800
cluster: install-dev messages static
	$(BIN)/python manage.py cluster --port $(CLUSTER_PORT)

# A cluster of its own on free ports and the database pac_cluster_check (emptied), and what it
# must prove: a change on one node shows on the other, sessions and CSRF tokens hold across
# nodes, a background document downloads from both, reminders go once, a node killed under load
# loses no acknowledged write and rejoins. Fails on any failure; logs in var/cluster-check/.
cluster-check: install-dev messages static
	$(BIN)/python manage.py cluster_check

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

makemessages: install
	$(BIN)/python manage.py makemessages --locale fr --locale en --ignore=.venv --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
