# The two commands of the README: `make run` and `make test`. Everything else is set up on the way.
VENV    := .venv
PYTHON  := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app app
HOST    ?= 127.0.0.1
PORT    ?= 5000

.PHONY: run test setup bench lint check clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) bootstrap
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(VENV)/bin/pytest -n auto --dist loadfile

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

check: setup
	$(FLASK) workflows check

bench: setup
	$(PYTHON) -m bench.run

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules .pytest_cache
