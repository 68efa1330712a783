# fieldkit — `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: run test lint format install translations migrate bench clean

run: install translations instance/config.py
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	@echo "fieldkit: serving on http://127.0.0.1:$(PORT)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install translations lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

translations: install
	$(BIN)/pybabel compile -d fieldkit/translations >/dev/null

instance/config.py:
	mkdir -p instance
	umask 077 && $(BIN)/python -c "import secrets; print('SECRET_KEY = %r' % secrets.token_hex(32))" > $@.part && mv $@.part $@  # owner only
	@echo "fieldkit: wrote $@ with a new random SECRET_KEY"

BENCH_PG ?= postgresql://postgres@127.0.0.1:5432/fieldkit_bench
BENCH_COUNTRY_PG ?= postgresql://postgres@127.0.0.1:5432/bench_country  # its own: bench.country rebuilds it

bench: install translations
	FIELDKIT_BENCH_POSTGRES_URL=$$(pg_isready -q -h 127.0.0.1 && echo $(BENCH_PG)) $(BIN)/python -m bench.api_post
	FIELDKIT_BENCH_POSTGRES_URL=$$(pg_isready -q -h 127.0.0.1 && echo $(BENCH_PG)) $(BIN)/python -m bench.load
	$(BIN)/python -m bench.map_build
	$(BIN)/python -m bench.map_draw
	$(BIN)/python -m bench.assign
	$(BIN)/python -m bench.exports
	pg_isready -q -h 127.0.0.1 && createdb -h 127.0.0.1 -U postgres bench_country 2>/dev/null; true
	FIELDKIT_BENCH_POSTGRES_URL=$$(pg_isready -q -h 127.0.0.1 && echo $(BENCH_COUNTRY_PG)) $(BIN)/python -m bench.country
	$(BIN)/python -m bench.report_xlsx --sqlite /tmp/fieldkit-bench-country.sqlite  # the database bench.country left
	FIELDKIT_BENCH_POSTGRES_URL=$$(pg_isready -q -h 127.0.0.1 && echo $(BENCH_PG)) $(BIN)/python -m bench.coverage \
		--existing sqlite:////tmp/fieldkit-bench-country.sqlite

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
