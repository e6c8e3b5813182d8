# PolicyTrack developer commands. `make run` and `make test` are the whole quick start.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test setup assets lint typecheck check messages clean

## run: set everything up, migrate, seed the demo and serve http://127.0.0.1:8000
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST)

## test: the whole test suite (services it needs are skipped with a reason when absent)
test: setup
	$(PY) -m pytest -p xdist -n auto --dist loadfile

## setup: virtualenv in .venv with pinned Python packages, npm packages copied into static/vendor
setup: $(VENV)/.installed static/vendor/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 ($(PYTHON)),请先安装 / Python 3.11 is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

static/vendor/.installed: package.json package-lock.json tools/copy-vendor.mjs
	@command -v npm >/dev/null 2>&1 || { echo "需要 Node.js 和 npm / Node.js and npm are required"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent vendor
	touch $@

assets: static/vendor/.installed

## lint: ruff, Django's checks, a check that no migration is missing, and mypy
lint: setup typecheck
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

## typecheck: mypy (django-stubs, djangorestframework-stubs) on the packages listed in pyproject.toml
typecheck: setup
	$(VENV)/bin/mypy

## messages: refresh the English catalogue after changing user-facing strings
messages: setup
	$(PY) manage.py makemessages -l en --ignore=node_modules --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l en --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules static/vendor var
