# Two commands a newcomer needs:  make demo  and  make test.
# Both create (or reuse) .venv and install the project into it first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench bench-quick load pretrain system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	if [ -f demo/app.py ]; then $(PY) -m demo.app; else $(VENV)/bin/aecore datasets && $(VENV)/bin/aecore --help; fi

# Two workers, each running whole test files (a file's server and browser stay in one worker): much of the
# suite waits on servers, browsers and subprocesses, so two share the 2 CPU cores well. The files go out
# longest first (tests/conftest.py), not most tests first (xdist's default).
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder

bench: $(STAMP)
	$(PY) -m bench.run

bench-quick: $(STAMP)
	$(PY) -m bench.run --quick

# A class on one server: 10, 20 and 30 simulated students restoring while 3 train (numbers for README).
load: $(STAMP)
	$(PY) -m bench.load

pretrain: $(STAMP)
	$(PY) -m aecore.pretrain

# Debian packages: Fashion-MNIST (offline copy) and Chromium for browser tests.
# Needs root (CI runs as root); a user without root can skip it, and the tests
# that need these say so when they skip.
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$(cat packages.txt) chromium chromium-driver >/dev/null

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
