# The README's two commands: `make demo` and `make test`. Each sets up what it needs on a
# fresh machine (Python 3.11+ and Node.js/npm are all it takes) and then runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ASSETS := node_modules/.installed

.PHONY: demo test serve lint bench bench-live clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The browser libraries the server hands to phones and the projector (no CDN at a venue),
# installed exactly as package-lock.json pins them.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(ASSETS)

demo: $(STAMP) $(ASSETS)
	$(BIN)/duiding demo

test: $(STAMP) $(ASSETS)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

serve: $(STAMP) $(ASSETS)
	$(BIN)/duiding serve packs/voorbeeld-langer-thuis

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP) $(ASSETS)
	$(BIN)/python bench/store_bench.py
	$(BIN)/python bench/live_bench.py

clean:
	rm -rf $(VENV) node_modules build *.egg-info
