# Taisaku: `make demo` to try it, `make test` to test it (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV := DEBUG=1

-include .env
export

.PHONY: setup demo serve test test-postgres lint check sysdeps messages compilemessages clean

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

demo: setup serve

serve:
	@echo "Taisaku at http://127.0.0.1:8000/admin/ — log in as admin, committee, legal, executive, auditor or outsider (password: taisaku-demo)"
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: sysdeps $(STAMP) compilemessages
	$(BIN)/pytest

lint: $(STAMP)
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
