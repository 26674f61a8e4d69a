# SafeSpace: `make run` starts the app, `make test` runs the whole suite.
# Each target creates .venv when it is missing and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint screenshots venv system-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "SafeSpace needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); sh packaging/system-deps.sh venv \
	    && $(PYTHON) -m venv $(VENV); } || { rm -rf $(VENV); \
	    echo "Could not create .venv. On Debian or Ubuntu: sudo apt install python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Tools the tests use from outside Python (exiftool as an independent second reader).
# Installed when we are root with apt-get; otherwise the tests that need them skip and say why.
system-deps:
	@sh packaging/system-deps.sh

run: $(STAMP) system-deps
	$(BIN)/safespace

# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

# Pictures (report, clean) and the room scan (in a namespace lab; skipped with a note where none can be made).
# Then the window's longest stalls while 1,000 pictures are added and 1,000 devices stream in.
bench: $(STAMP) system-deps
	$(BIN)/python tests/bench/bench_images.py; a=$$?; $(BIN)/python tests/bench/bench_scan.py; b=$$?; \
	$(BIN)/python tests/bench/bench_gui.py; c=$$?; \
	exit $$((a | b | c))

# Renders the app with sample pictures to docs/screenshots/ (offscreen; no display needed).
screenshots: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info
