# Everyday commands; each creates .venv and installs riskdesk when needed (see dev.py).
PYTHON ?= python3

.PHONY: run test bench setup lint

run:
	$(PYTHON) dev.py run

test:
	$(PYTHON) dev.py test

bench:
	$(PYTHON) dev.py bench

setup:
	$(PYTHON) dev.py setup

lint: setup
	.venv/bin/ruff check riskdesk tests
	.venv/bin/lint-imports
