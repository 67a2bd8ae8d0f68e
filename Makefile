# PAC: the two commands of the README are `make run` and `make test`.
# Everything else here is what they are made of.

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-lock

# The first interpreter of 3.12 or newer wins; pyenv's shims honour .python-version.
PYTHON_CANDIDATES := python3.12 python3.13 python3.14 python3 python
FIND_PYTHON := for p in $(PYTHON_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$p; break; fi; done

.PHONY: install checkers run test test-postgres lint format migrate messages makemessages static seed bench load clean

$(STAMP): requirements.lock
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then \
	  echo "PAC needs Python 3.12 or newer, and none was found on PATH." >&2; \
	  echo "Install one (for instance 'pyenv install 3.12'), then run make again." >&2; \
	  exit 1; fi; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

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

test: messages static checkers
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite against PostgreSQL; the server's default database is used to create test_pac.
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pac
test-postgres: messages static checkers
	DATABASE_URL=$(DATABASE_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks on fresh databases at both sizes: SQLite always, PostgreSQL when BENCH_DATABASE_URL
# names a database that may be wiped. Tables go to the terminal and var/bench/.
bench: messages static
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

# gunicorn (2 workers) under a mixed load of 50 users for 60 s on fresh `large` data: SQLite
# always, PostgreSQL too when LOAD_DATABASE_URL names a database that may be wiped. Fails on any
# error. Figures go to the terminal and var/load/.
load: messages static
	@mkdir -p var/load
	rm -f var/load/load.sqlite3*
	SQLITE_PATH=var/load/load.sqlite3 $(BIN)/python manage.py migrate --no-input --verbosity 0
	SQLITE_PATH=var/load/load.sqlite3 $(BIN)/python manage.py seed_bench --size large
	SQLITE_PATH=var/load/load.sqlite3 $(BIN)/python manage.py load
	@if [ -n "$$LOAD_DATABASE_URL" ]; then \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py flush --no-input && \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py migrate --no-input --verbosity 0 && \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py seed_bench --size large && \
	  DATABASE_URL=$$LOAD_DATABASE_URL $(BIN)/python manage.py load --output var/load/postgresql; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

makemessages: install
	$(BIN)/python manage.py makemessages --locale fr --locale en --ignore=.venv --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
