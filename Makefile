# SafeSpace: `make run` starts the app, `make test` runs the whole suite.
# Each target creates .venv when it is missing and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint screenshots venv system-deps clean package test-package

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

# Pictures (report, clean), the room scan (in a namespace lab; skipped with a note where none can be made),
# videos (clean beside a copy and ExifTool), Before you post (recall and precision on the labelled drafts),
# then the window's longest stalls while 1,000 pictures are added and 1,000 devices stream in.
bench: $(STAMP) system-deps
	$(BIN)/python tests/bench/bench_images.py; a=$$?; $(BIN)/python tests/bench/bench_scan.py; b=$$?; \
	$(BIN)/python tests/bench/bench_video.py; c=$$?; $(BIN)/python tests/bench/bench_post.py; d=$$?; \
	$(BIN)/python tests/bench/bench_gui.py; e=$$?; $(BIN)/python tests/bench/bench_stop.py; f=$$?; \
	$(BIN)/python tests/bench/bench_signatures.py; g=$$?; $(BIN)/python tests/bench/bench_scan.py 500; h=$$?; \
	exit $$((a | b | c | d | e | f | g | h))

# Renders the app with sample pictures to docs/screenshots/ (offscreen; no display needed).
screenshots: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/screenshots.py

# The walkthroughs' content: schema, sources, no internal names, a path for every version, what is unconfirmed.
# (make test runs the same check as tests/guides/test_content_check.py.)
.PHONY: check-content
check-content: $(STAMP)
	$(BIN)/python -m checks.guides.content_check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The installable app: dist/SafeSpace/ (PyInstaller, packaging/safespace.spec) and dist/safespace_*.deb.
# Frozen from a normal install of the project into build/pkgvenv (never the editable .venv, whose app and
# checks PyInstaller cannot see). The venv's dependencies are installed again only when pyproject changes.
PKGVENV := build/pkgvenv
PKGSTAMP := $(PKGVENV)/.installed

$(PKGSTAMP): pyproject.toml
	rm -rf $(PKGVENV)
	$(PYTHON) -m venv $(PKGVENV)
	$(PKGVENV)/bin/python -m pip install --quiet --upgrade pip
	$(PKGVENV)/bin/python -m pip install --quiet '.[package]'
	touch $(PKGSTAMP)

package: $(PKGSTAMP) system-deps
	rm -rf build/lib dist/SafeSpace dist/SafeSpace.app dist/safespace_*.deb
	$(PKGVENV)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	$(PKGVENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
	    --workpath build/pyinstaller packaging/safespace.spec
	@echo "Bundle: dist/SafeSpace, $$(du -sh dist/SafeSpace | cut -f1)"
	sh packaging/build-deb.sh

# The frozen app, run as a user would (packaging/smoke_test.py); started where a library its window needs
# is hidden (packaging/test-missing-library.sh); then the .deb installed into an empty root, checked, run
# from there, and removed (packaging/test-deb.sh).
test-package: $(PKGSTAMP) system-deps
	@test -x dist/SafeSpace/safespace || { echo "No bundle in dist/SafeSpace: run make package first" >&2; exit 1; }
	$(PKGVENV)/bin/python packaging/smoke_test.py dist/SafeSpace/safespace
	sh packaging/test-missing-library.sh dist/SafeSpace/safespace
	sh packaging/test-deb.sh

clean:
	rm -rf $(VENV) build *.egg-info
