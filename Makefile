# Build entry points (docs/design.md, "Command line, headless mode and packaging"). Every target sets up what it needs itself.
VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
ARGS      ?=
PYTEST_ARGS ?=

# The window's translations: the .ts sources are committed, the .qm files are built.
TS        := $(wildcard resources/translations/*.ts)
QM        := $(TS:.ts=.qm)
LUPDATE_SOURCES := catalogsync_gui/ui catalogsync_gui/app.py

.PHONY: venv run test bench package lint clean translations update-translations

$(STAMP): pyproject.toml
	@PYBIN=$$(tools/find-python.sh) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    rm -rf $(VENV); echo "creating $(VENV) with $$PYBIN"; $$PYBIN -m venv $(VENV) || exit 1; fi
	@tools/ensure-system-libs.sh
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP) $(QM)

%.qm: %.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

# After changing texts of the window: adds new sources (unfinished) and drops gone ones;
# translate the unfinished entries (Qt Linguist, or by hand), then `make translations`.
update-translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -extensions py -locations none -no-obsolete \
	  $(LUPDATE_SOURCES) -ts $(TS)

run: $(STAMP) $(QM)
	$(VENV)/bin/catalogsync-gui $(ARGS)

test: $(STAMP) $(QM)
	@# Bytecode caching stays on: the suite starts many short CLI subprocesses.
	env -u PYTHONDONTWRITEBYTECODE QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

bench: $(STAMP)
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

package: $(STAMP) $(QM)
	$(PY) -m pip install -q -e '.[package]'
	packaging/build.sh

lint: $(STAMP)
	$(PY) -m pip install -q ruff
	$(VENV)/bin/ruff check catalogsync_gui tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info $(QM)
