# cirsite: `make run` serves the demo site; `make test` runs lint and the whole test suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
VAR := var
# `make run` is production-like (DEBUG off) with a secret generated once and kept in var/.
RUN_ENV = SECRET_KEY="$$(cat $(VAR)/secret_key)" BASE_URL="$${BASE_URL:-http://$(HOST):$(PORT)}"

.PHONY: run test install install-dev setup-site lint format browser clean help screenshots fonts icons

help:
	@echo "make run    set up and serve the demo site at http://$(HOST):$(PORT)"
	@echo "make test   set up and run lint plus the whole test suite"

# The venv is rebuilt only when the requirements change, so a second run starts in seconds.
$(BIN)/.runtime-installed: requirements.txt
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" 2>/dev/null || { echo "cirsite needs Python 3.11; set PYTHON=/path/to/python3.11."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.dev-installed: $(BIN)/.runtime-installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.runtime-installed
install-dev: $(BIN)/.dev-installed

$(VAR)/secret_key:
	@mkdir -p $(VAR)
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

setup-site: install $(VAR)/secret_key
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	@$(RUN_ENV) $(BIN)/python manage.py load_demo
	@$(RUN_ENV) $(BIN)/python manage.py sync_search_index
	@$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	@$(RUN_ENV) $(BIN)/python manage.py demo_editor

# The whole site: web server, ingest worker and scheduled publishing; one Ctrl-C stops all.
run: setup-site
	@echo "Serving with gunicorn, the ingest worker and scheduled publishing; press Ctrl-C to stop."
	@$(RUN_ENV) exec $(BIN)/python -m cirsite.site.supervisor --host $(HOST) --port $(PORT) \
		--workers $(WORKERS)

# Browser tests drive Debian's Chromium; install it when missing (needs root, as on CI).
browser:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Browser tests need Debian's chromium: run 'sudo apt-get install -y chromium'."; exit 1; fi; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: install-dev browser lint
	SECRET_KEY=makemigrations-check-only DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run -v 0 || { echo "Model changes without migrations: run manage.py makemigrations."; exit 1; }
	$(BIN)/pytest

# Full-page PNGs of every page type at 390 and 1280 px, from a throwaway demo site.
screenshots: install-dev browser
	$(BIN)/python -m tests.screenshots --out screenshots

# The self-hosted fonts come from npm's @fontsource-variable packages; the Latin woff2 files
# are committed in static/fonts, so this runs only to update them.
FONT_PACKAGES := @fontsource-variable/inter@5.3.0 @fontsource-variable/source-serif-4@5.3.1
fonts:
	@tmp="$$(mktemp -d)" && cd "$$tmp" && npm pack --silent $(FONT_PACKAGES) >/dev/null && \
		for f in *.tgz; do tar xzf "$$f"; cp package/files/*-latin-wght-*.woff2 $(CURDIR)/static/fonts/; rm -rf package; done && \
		rm -rf "$$tmp" && ls $(CURDIR)/static/fonts

# The favicons are drawn from the mark's geometry (static/brand/mark.svg); committed too.
icons: install
	$(BIN)/python tools/brand_icons.py

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(VAR)
