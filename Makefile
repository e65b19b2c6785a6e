# Lamplight: one place for setting up, building and testing.
# `make build` = set everything up, then check content and build the site + booklets.
# `make test`  = set everything up, then run the whole test suite.

VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.lamplight-installed
DEBS   := fonts-noto-cjk poppler-utils chromium

.PHONY: setup node-deps system-deps build serve test test-fast test-browser lint bench golden clean

setup: $(STAMP) node-deps

# Debian packages (CJK fonts for the booklets, poppler for PDF checks, Chromium for browser tests).
system-deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else echo "Please install with sudo apt-get install$$missing"; fi; \
	fi

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# Pagefind (in-browser search indexer) and axe-core come from the npm registry.
node-deps:
	@if [ -f package.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; }; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch node_modules; fi

build: setup
	$(BIN)/lamplight build

serve: setup
	$(BIN)/lamplight serve

test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

test-browser: setup
	$(BIN)/python -m pytest -q -m browser

lint: setup
	$(BIN)/ruff check generators tests benchmarks tools && $(BIN)/ruff format --check generators tests benchmarks tools && $(BIN)/mypy generators

bench: setup
	$(BIN)/python -m benchmarks

golden: setup
	$(BIN)/python -m tests.golden --update

clean:
	rm -rf site dist .lamplight-cache
