# Set-up is part of every target: a fresh clone needs only python3 (>= 3.11) and make.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test lint serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)          ## load the sample user and run the features on the lite tier (no keys, no downloads)
	$(BIN)/lingxi demo $(ARGS)

test: $(STAMP)          ## the test suite (pytest's exit 5, "no tests collected", is a failure too)
	@$(BIN)/pytest $(ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; exit $$rc

lint: $(STAMP)          ## ruff + mypy
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

serve: $(STAMP)
	$(BIN)/lingxi serve $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
