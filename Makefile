# Two commands set everything up on a fresh machine:
#   make demo   install, ingest the bundled sample corpus, print what was found, serve the UI
#   make test   install with test extras and system packages, run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEMO_DB ?= sitroom.db
PORT ?= 8765

.PHONY: install install-test demo test test-browser screenshots lint system-deps bench clean train-attribution

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP) $@

install: $(STAMP)

install-test: $(TEST_STAMP)

system-deps:
	bash scripts/ensure-system-deps.sh

demo: $(STAMP)
	$(BIN)/sitroom demo --db $(DEMO_DB) --port $(PORT)

lint: $(TEST_STAMP)
	$(BIN)/ruff check sitroom tests benchmarks

test: $(TEST_STAMP) system-deps
	$(BIN)/ruff check sitroom tests benchmarks
	$(BIN)/pytest -q

# Browser tests alone (Playwright driving Debian's Chromium; part of `make test` too).
test-browser: $(TEST_STAMP) system-deps
	$(BIN)/pytest -q tests/browser

# Re-take docs/screenshots/*.png from the sample corpus only: third-party text (the seed
# article) must not end up in the repository, not even in a picture.
screenshots: $(TEST_STAMP) system-deps
	SITROOM_SCREENSHOTS=1 SITROOM_SHARED_DATA=/nonexistent $(BIN)/pytest -q tests/browser/test_pages.py tests/browser/test_alerts.py tests/browser/test_browse.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

# The attribution gate and ranker (sitroom/data/models/attribution/model.json) from PolNeAR's
# train split; parses are cached in SITROOM_CACHE (default /tmp/sitroom-cache). docs/claims-extraction.md
POLNEAR_TRAIN ?= ../shared/data/polnear_train/train
# the shipped bounds.json is trained on all 840 texts; BOUNDS_TEXTS="--texts N" trains on a
# fixed sample of N (see BENCHMARKS.md)
BOUNDS_TEXTS ?=
train-attribution: $(STAMP)
	$(BIN)/python -m sitroom.train.attribution --data $(POLNEAR_TRAIN) --out sitroom/data/models/attribution/model.json
	$(BIN)/python -m sitroom.train.claim_bounds --data $(POLNEAR_TRAIN) --out sitroom/data/models/attribution/bounds.json $(BOUNDS_TEXTS)

