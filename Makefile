# Two entry points for a fresh machine: `make serve` (the main job) and `make test`.
# Both create .venv and install the package on first use.

VENV    := .venv
BIN     := $(VENV)/bin
# Serving needs only the package; the tests add their tools (pytest, Playwright, ruff, mypy...).
SERVE_STAMP := $(VENV)/.serve-stamp
TEST_STAMP  := $(VENV)/.test-stamp
PYTHON  ?= python3
CHROMIUM := /usr/bin/chromium
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT    ?= 8000

.PHONY: serve build preview check test lint catalogs chromium nginx openssh clean bench-smoke

$(VENV)/bin/pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# An editable install is not byte-compiled by pip: compile it, so every `kb` command reads
# bytecode even where PYTHONDONTWRITEBYTECODE is set (about 40 ms a command otherwise).
$(SERVE_STAMP): pyproject.toml | $(VENV)/bin/pip
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q tooling
	touch $(SERVE_STAMP)

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q tooling
	touch $(SERVE_STAMP) $(TEST_STAMP)

## Validate the records, then render, build and serve the site on http://127.0.0.1:8000
## (another port: make serve PORT=8001); an edited record's page is rebuilt alone (kb serve)
serve: check
	$(BIN)/kb serve --dev-addr 127.0.0.1:$(PORT)

build: check
	$(BIN)/mkdocs build --strict

## The site for a reviewer to open from disk (site-preview/index.html): links name files
preview: check
	$(BIN)/mkdocs build --strict -f mkdocs-preview.yml

check: $(SERVE_STAMP) openssh
	$(BIN)/kb check

## Lint, type-check and run every test, browser tests included
test: $(TEST_STAMP) chromium nginx openssh lint
	$(BIN)/kb check
	$(BIN)/pytest -n 2  # two workers: the CI machine has two cores
	$(MAKE) bench-smoke

## Run the search benchmarks at a tiny size, so they cannot rot unseen
bench-smoke: $(TEST_STAMP) chromium
	NO_MKDOCS_2_WARNING=1 $(BIN)/python benchmarks/search_quality.py --generated 10

lint: $(TEST_STAMP)
	$(BIN)/ruff check --no-cache tooling tests benchmarks
	$(BIN)/ruff format --no-cache --check tooling tests benchmarks
	$(BIN)/mypy
	@# Every workflow, against GitHub's schema and expression rules.
	$(BIN)/actionlint

## Refresh the message catalogs from the code (then translate the new entries in each .po)
catalogs: $(TEST_STAMP)
	mkdir -p build
	$(BIN)/pybabel extract --no-location --omit-header -k N_ -F tooling/crmkb/locale/babel.cfg \
		-o build/crmkb.pot tooling/crmkb
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i build/crmkb.pot \
		-d tooling/crmkb/locale -D crmkb
	@# Lines that change on every run would make every branch's catalog conflict.
	sed -i '/^"POT-Creation-Date:/d; /^"Generated-By:/d' tooling/crmkb/locale/*/LC_MESSAGES/crmkb.po

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; \
	fi
	@# Chinese glyphs for the page screenshots and layout checks (no web fonts are fetched).
	@if ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
		echo "Installing Debian's fonts-noto-cjk for the browser tests"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q fonts-noto-cjk; \
	fi

# The intranet deployment (deploy/nginx.conf) is tested by serving a built site through nginx.
nginx:
	@if [ ! -x /usr/sbin/nginx ]; then \
		echo "Installing Debian's nginx for the intranet deployment test"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q nginx; \
	fi

# kb check verifies the proctors' signatures on exam results with ssh-keygen.
openssh:
	@if ! command -v ssh-keygen >/dev/null; then \
		echo "Installing Debian's openssh-client to verify exam result signatures"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q openssh-client; \
	fi

clean:
	rm -rf site site-preview .pytest_cache .mypy_cache .ruff_cache
