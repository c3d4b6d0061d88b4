# The two commands a new user needs: `make demo` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= newsweave.db
OUT     ?= out

.PHONY: demo test lint bench clean setup system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[web,postgres,dask,bench,dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	mkdir -p $(OUT)
	rm -f $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm
	$(BIN)/newsweave digest examples --db $(OUT)/demo.db --json $(OUT)/demo.json --html $(OUT)/demo.html
	@echo
	@echo "HTML report: $(abspath $(OUT)/demo.html)"
	@echo "Browse it:   $(BIN)/newsweave serve --db $(OUT)/demo.db"

# Debian packages the browser and PostgreSQL tests need; skipped when already present.
system-deps:
	@./.ci/system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q
	$(BIN)/python benchmarks/gate.py

# Quality floors (benchmarks/floors.json) on ../shared/data; skipped when that is absent.
.PHONY: gate
gate: $(STAMP)
	$(BIN)/python benchmarks/gate.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
