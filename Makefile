# The two entry points the README names: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint check types contracts screenshots bench

# pip's own chatter (and the warnings a machine's pip config can add to every package, which
# --quiet does not silence) goes to a log that is shown only if the install fails, so the
# first thing `make demo` shows on a fresh clone is the app.
INSTALL_LOG := $(VENV)/install.log

$(STAMP): pyproject.toml
	@python3 -m venv $(VENV)
	@echo "Installing offboard and its dependencies into $(VENV)..."
	@{ $(PY) -m pip install --upgrade pip "setuptools>=68" wheel \
		&& $(PY) -m pip install -e '.[test]'; } > $(INSTALL_LOG) 2>&1 \
		|| { cat $(INSTALL_LOG); echo "make: installing failed (log: $(INSTALL_LOG))" >&2; exit 1; }
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/offboard --demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Lint, types and the layers' import contracts.
check: lint types contracts

types: $(STAMP)
	$(VENV)/bin/mypy --strict src/offboard/domain src/offboard/storage src/offboard/letters \
		src/offboard/services src/offboard/bootstrap.py src/offboard/files.py \
		src/offboard/formats.py src/offboard/config.py src/offboard/config_write.py src/offboard/config_keys.py \
		src/offboard/checklists.py src/offboard/weights.py src/offboard/workcalendar.py \
		src/offboard/screening_file.py \
		src/offboard/icalfile.py src/offboard/notify.py
	$(VENV)/bin/mypy src/offboard/cli src/offboard/tui src/offboard/demo

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

# On every core (at most four: each worker starts its own throwaway PostgreSQL server).
test: check
	$(PY) -m pytest --numprocesses=auto --maxprocesses=4

# The edit-test loop: everything but the Pilot-driven UI tests and the slow trials.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow and not tui" -q

bench: $(STAMP)
	$(PY) bench/storage_bench.py
	$(PY) bench/tui_bench.py
	$(PY) bench/letter_bench.py
	$(PY) bench/insight_bench.py
	$(PY) bench/memory_bench.py

screenshots: $(STAMP)
	$(PY) scripts/screenshots.py
