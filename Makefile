# Entry points of SPEC §10. Every target sets up what it needs itself.
VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
ARGS      ?=
PYTEST_ARGS ?=

.PHONY: venv run test bench package lint clean

$(STAMP): pyproject.toml
	@PYBIN=$$(tools/find-python.sh) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    rm -rf $(VENV); echo "creating $(VENV) with $$PYBIN"; $$PYBIN -m venv $(VENV) || exit 1; fi
	@tools/ensure-system-libs.sh
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/catalogsync-gui $(ARGS)

test: $(STAMP)
	@# Bytecode caching stays on: the suite starts many short CLI subprocesses.
	env -u PYTHONDONTWRITEBYTECODE QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

bench: $(STAMP)
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

package: $(STAMP)
	$(PY) -m pip install -q -e '.[package]'
	packaging/build.sh

lint: $(STAMP)
	$(PY) -m pip install -q ruff
	$(VENV)/bin/ruff check catalogsync_gui tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info
