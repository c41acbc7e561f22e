# One command each: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check bench lint clean

# uv installs the same packages from the same index as pip, in seconds rather than a minute and a
# half; pip stays the fallback where uv cannot be had. No --compile-bytecode: compiling all of
# site-packages (moto, botocore, onnxruntime…) took 28 s of a fresh clone's set-up, for modules
# nothing imports. Python writes the bytecode of what is imported on first use instead: `demo`
# and `test` run with PYTHONDONTWRITEBYTECODE unset, so a machine that sets it still keeps it.
$(STAMP): pyproject.toml
	@echo "first run: creating $(VENV) and installing rhoai-doctor with the lab and the test tools..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "  getting uv (the installer)..."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv 2>/dev/null || true
	@echo "  installing the packages (textual, kubernetes, httpx, onnxruntime, the lab's moto and aiohttp, pytest)..."
	if test -x $(BIN)/uv; then $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[lab,dev]'; \
	else $(BIN)/python -m pip install --quiet -e '.[lab,dev]'; fi
	touch $(STAMP)
	@echo "installed into $(VENV)"

demo: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/rhoai-doctor --demo

# Bytecode first: the tests start the CLI in hundreds of processes, and where
# PYTHONDONTWRITEBYTECODE is set each of them would compile the sources again; pytest is let
# keep its assertion-rewritten test modules too (each worker otherwise rewrites all ~140 of
# them on every run: 10.8 s of CPU to collect instead of 6.3 s).
# Test modules run on $(JOBS) workers (pytest-xdist; a module stays on one worker, so its
# fixtures are built once) sharing one lab. 3 on this 2-core machine: a quarter of the workers'
# time is waiting (a watch's 20 s, a fault's timeout, a lab starting), and a third worker fills
# it (pytest 568 s -> 487 s). With 3, 3 of 5 fresh-clone runs once failed a console test on
# timing; a wait that times out now says what the console showed (tests/helpers/console.py).
# 4 since stop 42: on this machine (about twice as fast as then) three fresh-clone runs with 3
# took 286-303 s, two local runs with 4 took 249-251 s; the busiest worker still waits on
# deadlines, sleeps and the lab. Should timing failures come back, `make test JOBS=3` (or 2)
# is the slower, quieter run.
JOBS ?= 4
test: $(STAMP)
	$(BIN)/python -m compileall -q checks tui rhoai_doctor lab bench > /dev/null
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile

# The loop while working (under a minute): lint, types, the import rules, the unit tests.
check: lint
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -q -n 2 tests/unit

bench: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy checks rhoai_doctor tui

clean:
	rm -rf $(VENV) .pytest_cache
