# Set-up is part of every target: a fresh clone needs only python3 (>= 3.11) and make.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test lint serve clean native-llama bench-llamacpp bench-router

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)          ## load the sample user and run the features on the lite tier (no keys, no downloads)
	$(BIN)/lingxi demo $(ARGS)

# at most 8 workers: -n auto counts the CPUs this process may run on, not a container's CPU quota, and every
# worker loads its own dictionaries and models
test: $(STAMP)          ## the test suite on every core, whole files per worker (pytest's exit 5, "no tests collected", fails too)
	@$(BIN)/pytest -n auto --maxprocesses 8 --dist loadfile $(ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; exit $$rc

lint: $(STAMP)          ## ruff + mypy
	$(BIN)/ruff check src tests scripts benchmarks examples
	$(BIN)/ruff format --check src tests scripts benchmarks examples
	$(BIN)/mypy
	$(BIN)/lint-imports  # the layer contract in pyproject.toml ([tool.importlinter])

serve: $(STAMP)
	$(BIN)/lingxi serve $(ARGS)

NATIVE_WHEELS ?= $(HOME)/.cache/lingxi/native-wheels
XLLAMACPP_VERSION ?= 2026.10.11549

native-llama: $(STAMP)  ## rebuild xllamacpp for this CPU (-march=native, AVX-512 where present; ~8 min once, then cached)
	@ls $(NATIVE_WHEELS)/xllamacpp-$(XLLAMACPP_VERSION)-*.whl >/dev/null 2>&1 || \
	  CMAKE_ARGS="-DLLAMA_LLGUIDANCE=OFF -DLLAMA_BUILD_BORINGSSL=OFF" NPROC=$$(nproc) nice -n 10 \
	  $(BIN)/pip wheel --no-deps --no-binary xllamacpp -w $(NATIVE_WHEELS) xllamacpp==$(XLLAMACPP_VERSION)
	$(BIN)/pip install --force-reinstall --no-deps $(NATIVE_WHEELS)/xllamacpp-$(XLLAMACPP_VERSION)-*.whl
	$(BIN)/python -c "import xllamacpp; print(xllamacpp.get_system_info())"

bench-llamacpp: $(STAMP)  ## on-device tier vs raw llama.cpp (builds llama-bench once, ~4 min; never in CI)
	$(BIN)/python benchmarks/bench_llamacpp.py --build $(ARGS)

bench-router: $(STAMP)    ## router and pipeline overhead against a zero-latency upstream on loopback
	$(BIN)/python benchmarks/bench_router.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
