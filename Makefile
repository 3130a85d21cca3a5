# Taisaku: `make demo` to try it, `make test` to test it (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV := DEBUG=1

-include .env
export

# One id per `make` run (kept by recursive makes): two runs on one machine, in two worktrees
# or CI beside a developer, get their own test databases and their own Redis keys.
ifndef RUN_ID
RUN_ID := $(shell od -An -N4 -tx4 /dev/urandom | tr -d ' ')
endif
# The Redis the end-to-end tests use: each test writes under a key prefix of its own and
# deletes only those keys.
TAISAKU_E2E_REDIS_URL ?= redis://127.0.0.1:6379/15
# On PostgreSQL a test database of this run's own (SQLite tests run in memory).
PG_TEST_DB = $(if $(DATABASE_URL),TEST_DATABASE_NAME=taisaku_test_$(RUN_ID))

.PHONY: setup demo serve test test-e2e test-postgres lint check sysdeps messages compilemessages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

sysdeps:
	@bash scripts/sysdeps.sh

compilemessages: $(STAMP)
	$(DEV) $(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=var

# Everything but serving: packages, database, translations, the founding case and personas.
setup: sysdeps $(STAMP) compilemessages
	mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEV) $(BIN)/python manage.py load_founding_case
	@# The founding case's published report leaves some of the 確報's items open (when it
	@# occurred, how many people, the contact for the regulator): they print as 追って報告.
	@for kind in ppc-final public-final; do for lang in ja en; do \
	  $(DEV) $(BIN)/python manage.py generate_report INC-2022-0001 --kind $$kind --lang $$lang --wait \
	    --allow-gaps --output var/reports/INC-2022-0001-$$kind.$$lang.pdf || exit 1; done; done

demo: setup serve

serve:
	@echo "Taisaku at http://127.0.0.1:8000/admin/ — log in as admin, committee, legal, executive, auditor or outsider (password: taisaku-demo)"
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Everything: the suite, then the end-to-end tests with real Celery workers and beat on
# TAISAKU_E2E_REDIS_URL (they need a database other processes can open: PostgreSQL, or
# SQLite in a file of this run's own).
test: sysdeps $(STAMP) compilemessages
	$(PG_TEST_DB) $(BIN)/pytest -m "not e2e"
	$(MAKE) --no-print-directory test-e2e

test-e2e: $(STAMP)
	mkdir -p var
	TAISAKU_E2E=1 TEST_DATABASE_NAME=$(if $(DATABASE_URL),taisaku_e2e_$(RUN_ID),$(CURDIR)/var/test-e2e-$(RUN_ID).sqlite3) \
	  $(BIN)/pytest -m e2e

lint: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(BIN)/mypy
	$(DEV) $(BIN)/python manage.py check
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

test-postgres:
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(MAKE) test

# Refresh the Japanese catalog after changing user-visible strings; then translate it.
messages: $(STAMP)
	$(DEV) $(BIN)/python manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench

clean:
	rm -rf var .pytest_cache
