# Taisaku: `make demo` to try it, `make test` to test it (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV := DEBUG=1

-include .env
export

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
	@for kind in ppc-final public-final; do for lang in ja en; do \
	  $(DEV) $(BIN)/python manage.py generate_report INC-2022-0001 --kind $$kind --lang $$lang --wait \
	    --output var/reports/INC-2022-0001-$$kind.$$lang.pdf || exit 1; done; done

demo: setup serve

serve:
	@echo "Taisaku at http://127.0.0.1:8000/admin/ — log in as admin, committee, legal, executive, auditor or outsider (password: taisaku-demo)"
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Everything: the suite, then the end-to-end tests with real Celery workers and beat on the
# Redis at 127.0.0.1:6379 (they need a database other processes can open: PostgreSQL, or
# SQLite in a file).
test: sysdeps $(STAMP) compilemessages
	$(BIN)/pytest -m "not e2e"
	$(MAKE) --no-print-directory test-e2e

test-e2e: $(STAMP)
	mkdir -p var
	TAISAKU_E2E=1 $(if $(DATABASE_URL),,TEST_DATABASE_NAME=$(CURDIR)/var/test-e2e.sqlite3) \
	  $(BIN)/pytest -m e2e

lint: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(BIN)/python manage.py check
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

test-postgres:
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(MAKE) test

# Refresh the Japanese catalog after changing user-visible strings; then translate it.
messages: $(STAMP)
	$(DEV) $(BIN)/python manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench

clean:
	rm -rf var .pytest_cache
