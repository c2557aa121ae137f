# The README's two commands: `make demo` and `make test`. Each sets up what it needs on a
# fresh machine (Python 3.11+ and Node.js/npm are all it takes) and then runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ASSETS := node_modules/.installed

.PHONY: demo test serve lint bench bench-room bench-soak bench-full clean

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

# ruff check only: the code is wrapped by hand at 100 columns, not by ruff format.
lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP) $(ASSETS)
	$(BIN)/python bench/store_bench.py
	$(BIN)/python bench/live_bench.py

# The long runs, apart from `make bench`: the congress hall (500, 1,000 and 2,000 phones
# answering 1,000 answers/s in all, each async mode against its own bare echo server, three
# runs each: about 40 minutes) and the soak,
# 200 participants answering continuously for SOAK_MINUTES (10 by default, ~11 minutes in all).
SOAK_MINUTES ?= 10
bench-room: $(STAMP) $(ASSETS)
	$(BIN)/python bench/live_bench.py --sizes 500,1000,2000 --rate 1000 --repeat 3 --burst 0

bench-soak: $(STAMP) $(ASSETS)
	$(BIN)/python bench/live_bench.py --soak $(SOAK_MINUTES) --soak-size 200

bench-full: bench-room bench-soak

clean:
	rm -rf $(VENV) node_modules build *.egg-info
