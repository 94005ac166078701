# Linli — two commands: `make demo` and `make test`.  Everything else is set up by them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: demo test lint bench console clean venv node model eval

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

venv: $(STAMP)
node: $(NODE_STAMP)

demo: $(STAMP)
	$(BIN)/linli demo

console: $(STAMP)
	$(BIN)/linli console

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot handlers storage tests bench
	$(BIN)/ruff format --check bot handlers storage tests bench
	$(BIN)/mypy --strict handlers storage tests/storage_contract  # the contract suite may ask only what the Protocols offer
	$(BIN)/mypy bot

model: $(STAMP)
	$(BIN)/linli train

eval: $(STAMP)
	$(BIN)/linli eval

bench: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
