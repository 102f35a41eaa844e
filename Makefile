# Two commands on a fresh machine: `make run` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# The browser tests drive Chromium's headless shell: the same Blink and V8 without the browser around them, at half
# of Chromium's CPU for the same tests (docs/testing.md).
HEADLESS_SHELL := /usr/bin/chromium-headless-shell
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
# Compiled modules are kept: every `scc` process and test worker would otherwise compile its imports again
# (about a second and a half each on a 2-core machine).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check screenshot lint docs bench setup lock clean

# The tiers are markers that tests/conftest.py gives each test by its folder. `make check` runs the tests
# that have none of them: in-process, for the edit-test loop.
IN_PROCESS := "not (browser or aws or drill or fuzz or security or live)"
# pytest-xdist workers for `make test`: four on two cores, because most tests wait (on a server, the aws CLI,
# Chromium) more than they compute (docs/testing.md).
WORKERS ?= 4

run: $(STAMP) ## Start the local server on SQLite with the demo, in ./scc-demo (real use: .venv/bin/scc serve)
	$(BIN)/scc serve --demo

test: $(STAMP) $(HEADLESS_SHELL) lint ## Set up, lint, and run every test in parallel; list the 15 slowest
	$(BIN)/pytest -q -n $(WORKERS) --durations=15

check: $(STAMP) ## Run the in-process tests only: no browser, AWS emulator, drill, fuzzer or live server
	$(BIN)/pytest -q -n 2 -m $(IN_PROCESS)

screenshot: $(STAMP) $(HEADLESS_SHELL) ## Save the README's screenshot (docs/board.png) from a real server and Chromium
	SCC_SAVE_SCREENSHOT=1 $(BIN)/pytest -q -p no:randomly -k readme_screenshot tests/browser/test_board.py

lint: $(STAMP) ## ruff, mypy, the import layering contract, cfn-lint on the template, and the generated docs up to date
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/cfn-lint infra/template.yaml
	$(BIN)/cog --check --check-fail-msg "run make docs" $(GENERATED_DOCS)

# Docs with parts generated from the code by cog: the `[[[cog ... ]]]` blocks in them.
GENERATED_DOCS := README.md docs/cli.md docs/decisions/README.md

docs: $(STAMP) ## Regenerate the generated parts of the docs (after changing a command, a module or a decision)
	$(BIN)/cog -r $(GENERATED_DOCS)

bench: $(STAMP) $(CHROMIUM) ## Benchmarks: ratios against a baseline measured in the same run
	$(BIN)/python bench/run.py

setup: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(STAMP): $(UV) pyproject.toml requirements.lock
	test -x $(BIN)/python || $(UV) venv --quiet --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# Debian's Chromium for the benchmarks and its headless shell for the browser tests; Playwright never downloads a
# browser of its own. Needs root (CI is).
$(CHROMIUM) $(HEADLESS_SHELL):
	@echo "Installing Debian's $(notdir $@) (apt-get, as root)"
	apt-get update
	apt-get install -y --no-install-recommends $(notdir $@)

lock: $(UV) ## Re-resolve requirements.lock from pyproject.toml
	$(UV) pip compile --quiet pyproject.toml --extra dev --generate-hashes --no-header --no-annotate \
		--python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) $(TOOLS)
