# The two commands that matter: `make run` (the service on an embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-rabbitmq check test-engine lint-assignments bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m grader serve

# Static checks first (seconds): ruff's rules, mypy (strict on the engine, and the services), the
# import layers in .importlinter; then every test.
check: install
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

test: check
	bash tests/setup.sh
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-rabbitmq

# The worker integration tests again with RabbitMQ as Celery's broker (a virtual host of their own).
test-rabbitmq: install
	bash tests/rabbitmq_vhost.sh $(PY) -m pytest -q -p no:cacheprovider tests/integration/worker

test-engine: install
	$(PY) -m pytest tests/unit

lint-assignments: install
	$(PY) -m grader lint assignments/

bench: install
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/check_bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-output var
