# The two commands: `make run` and `make test`. Everything else is a helper.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# The first Python >= 3.11 on PATH (override: make run PYTHON=/path/to/python3).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: help install run test lint format schema check-migrations ci bench bench-scale bench-serve cluster cluster-stop clean
BENCH_ARGS ?=

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or newer is required (none found on PATH)"; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "Installing the project and its dev tools into $(VENV) (the first time takes a minute or two)..."
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(INSTALLED)
	@echo "Installed."

install: $(INSTALLED)  ## Create .venv and install the project with its dev tools

run: install  ## Migrate, load the starter catalog and serve with gunicorn on 127.0.0.1:8000 (HOST, PORT)
	@echo "Preparing the database (migrations, starter catalog; the first time takes a few seconds)..."
	@$(BIN)/python manage.py prepare
	@echo "Starting gunicorn; it prints where the API docs and the admin are once it listens."
	@exec $(BIN)/gunicorn countonme.wsgi:application --config gunicorn.conf.py

cluster: install  ## The production topology here: nginx, 2 gunicorn replicas, PgBouncer, Celery worker + beat (PORT, DATABASE_URL, REDIS_URL)
	@$(BIN)/python -m deploy.cluster up

cluster-stop:  ## End what `make cluster` started (by its pid files)
	@$(BIN)/python -m deploy.cluster down

test: install  ## Run the whole suite (SQLite; PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install  ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install  ## Validate the OpenAPI schema (fails on any warning)
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

check-migrations: install  ## Fail when models and migrations disagree
	$(BIN)/python manage.py makemigrations --check --dry-run

ci:  ## What CI runs (.ci/run)
	bash .ci/run

bench-serve: install  ## Serve for benchmarking: gunicorn + PostgreSQL + Redis on :8001 (bench/README.md)
	bench/serve.sh $(SERVE_ARGS)

bench: install  ## Side by side with the reference floor, A B A B (bench/README.md; ~15 min)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-scale: install  ## The project at the default size against 1,000 devices x 365 days x 5 entries
	$(BIN)/python bench/run.py --scale $(BENCH_ARGS)

.PHONY: scores bench-search
SCORED := tests/test_search_relevance.py::test_the_labelled_search_set_finds_the_food_in_the_top_three \
	tests/test_quick_add_phrases.py::test_the_labelled_phrase_set_is_read_right_and_invents_nothing

scores: install  ## Print search top-3 and quick-add scores on the labelled sets (PostgreSQL with DATABASE_URL)
	$(BIN)/pytest -q $(SCORED)

bench-search: install  ## Merged search p50 at one connection: starter catalog + 100k OFF rows (DATABASE_URL)
	$(BIN)/python bench/search.py $(BENCH_SEARCH_ARGS)

clean:  ## Remove .venv and var/ (the SQLite database and generated dev secrets)
	rm -rf $(VENV) var
