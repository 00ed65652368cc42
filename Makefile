# Two commands a newcomer needs:  make demo  and  make test.
# Both install what they need first, once: the Debian packages (datasets and photographs; Chromium too for the
# tests) and a .venv with the project in it. Stamps in .venv remember what was done; a stamp is redone when the
# file it depends on changes.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
APP_DEBS  := $(VENV)/.debian-app
TEST_DEBS := $(VENV)/.debian-test
# Chromium drives the browser tests (Playwright uses Debian's binary; it never downloads one).
TEST_PACKAGES := chromium

.PHONY: demo test bench bench-quick load memory pretrain system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# $(call debian,STAMP,PACKAGES): install the packages that are missing, as root or with `sudo -n`, then touch STAMP.
# Where neither works (or there is no apt-get), print the one command that would, and go on without the stamp: the
# app offers what is there, and the tests' closing summary lists what they could not test.
define debian
@mkdir -p $(VENV); \
missing=""; for p in $(2); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
if [ -z "$$missing" ]; then touch $(1); exit 0; fi; \
if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=none; fi; \
if [ "$$sudo" = none ] || ! command -v apt-get >/dev/null; then \
  echo "*** Missing Debian packages:$$missing. To add them, run:  sudo apt-get install -y$$missing"; exit 0; fi; \
echo "Installing Debian packages:$$missing (once; $(1) remembers)"; \
$$sudo apt-get update -qq && \
DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq$$missing >/dev/null && touch $(1)
endef

$(APP_DEBS): packages.txt
	$(call debian,$@,$$(grep -v '^#' packages.txt))

$(TEST_DEBS): packages.txt
	$(call debian,$@,$$(grep -v '^#' packages.txt) $(TEST_PACKAGES))

system-deps: $(TEST_DEBS)

demo: $(APP_DEBS) $(STAMP)
	$(PY) -m demo.app

# Two workers, each running whole test files (a file's server and browser stay in one worker; the browser sweep
# says how it splits, tests/conftest.py): much of the
# suite waits on servers, browsers and subprocesses, so two share the 2 CPU cores well. The files go out
# longest first (tests/conftest.py), not most tests first (xdist's default).
test: $(TEST_DEBS) $(STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup --no-loadscope-reorder

bench: $(APP_DEBS) $(STAMP)
	$(PY) -m bench.run

bench-quick: $(APP_DEBS) $(STAMP)
	$(PY) -m bench.run --quick

# A class on one server: 10, 20 and 30 simulated students restoring while 3 train (numbers for README).
load: $(APP_DEBS) $(STAMP)
	$(PY) -m bench.load

# One student in Chromium on every tab for 40 minutes, the server's memory read as it goes (numbers for README).
memory: $(TEST_DEBS) $(STAMP)
	$(PY) -m bench.memory

pretrain: $(APP_DEBS) $(STAMP)
	$(PY) -m aecore.pretrain

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
