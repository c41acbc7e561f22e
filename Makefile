# One command each: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check bench lint clean

$(STAMP): pyproject.toml
	@echo "first run: creating $(VENV) and installing rhoai-doctor with the lab (about a minute)..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,dev]'
	touch $(STAMP)
	@echo "installed into $(VENV)"

demo: $(STAMP)
	$(BIN)/rhoai-doctor --demo

# Bytecode first: the tests start the CLI in hundreds of processes, and where
# PYTHONDONTWRITEBYTECODE is set each of them would compile the sources again.
test: $(STAMP)
	$(BIN)/python -m compileall -q checks tui rhoai_doctor lab bench > /dev/null
	$(BIN)/python -m pytest -q

# The loop while working (under a minute): lint, types, the import rules, the unit tests.
check: lint
	$(BIN)/python -m pytest -q tests/unit

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy checks rhoai_doctor tui

clean:
	rm -rf $(VENV) .pytest_cache
