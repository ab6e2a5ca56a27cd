# Treatwise tasks. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
BENCH_PACKAGES := wrk nginx-light

.DEFAULT_GOAL := help

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/treatwise: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(BIN)/python -c "import treatwise, fastapi, pytest" && touch $(BIN)/treatwise

install: $(BIN)/treatwise ## Create .venv and install Treatwise with its development tools

system: ## Install the Debian and npm packages the tests need (browser, PDF libraries, Java, vnu)
	@bash scripts/install-system.sh $(APT_PACKAGES)

migrate: install ## Create or upgrade the database
	$(BIN)/treatwise db upgrade

run: install migrate ## Set up everything and serve on http://127.0.0.1:8000
	TREATWISE_ENV=$${TREATWISE_ENV:-development} $(BIN)/treatwise serve --host $(HOST) --port $(PORT)

lint: install ## ruff (lint and format check), mypy strict, import contracts, knowledge base
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/treatwise kb validate

fix: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install system lint ## Install what the tests need and run every check and test
	$(BIN)/pytest --cov --cov-report=term

kb: install ## Validate the knowledge base
	$(BIN)/treatwise kb validate

bench-system: ## Install the Debian packages the benchmarks need as well (wrk, nginx)
	@bash scripts/install-system.sh $(APT_PACKAGES) $(BENCH_PACKAGES)

bench: install bench-system ## Run the benchmarks (results go in bench/README.md by hand)
	$(BIN)/python bench/assess.py
	$(BIN)/python bench/asgi_path.py

.PHONY: help install system bench-system migrate run lint fix test kb bench
