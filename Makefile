# Two commands on a fresh machine: `make run` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

.PHONY: run test check lint bench setup lock clean

# The tiers are markers that tests/conftest.py gives each test by its folder. `make check` runs the tests
# that have none of them: in-process, for the edit-test loop.
IN_PROCESS := "not (browser or aws or drill or fuzz or security or live)"
# pytest-xdist workers for `make test`.
WORKERS ?= 2

run: $(STAMP) ## Start the local server on SQLite with the demo, in ./scc-demo (real use: .venv/bin/scc serve)
	$(BIN)/scc serve --demo

test: $(STAMP) $(CHROMIUM) lint ## Set up, lint, and run every test in parallel; list the 15 slowest
	$(BIN)/pytest -q -n $(WORKERS) --durations=15

check: $(STAMP) ## Run the in-process tests only: no browser, AWS emulator, drill, fuzzer or live server
	$(BIN)/pytest -q -m $(IN_PROCESS)

lint: $(STAMP) ## ruff, mypy, the import layering contract and cfn-lint on the template
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/cfn-lint infra/template.yaml

bench: $(STAMP) $(CHROMIUM) ## Benchmarks: ratios against a baseline measured in the same run
	$(BIN)/python bench/run.py

setup: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml requirements.lock
	test -x $(BIN)/python || $(UV) venv --quiet --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# The browser tests drive Debian's Chromium; Playwright never downloads a browser of its own. Needs root (CI is).
$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests (apt-get, as root)"
	apt-get update
	apt-get install -y --no-install-recommends chromium

lock: $(UV) ## Re-resolve requirements.lock from pyproject.toml
	$(UV) pip compile --quiet pyproject.toml --extra dev --generate-hashes --no-header --no-annotate \
		--python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) $(TOOLS)
