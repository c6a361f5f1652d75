# Two entry points: `make demo` and `make test`. Both work on a fresh machine with Python 3.11:
# they create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Checked with mypy --strict: one package per line, so that adding one is a one-line change.
TYPED := src/logisync/model src/logisync/core src/logisync/config src/logisync/api \
	src/logisync/connectors src/logisync/errors.py \
	src/logisync/testing/odoo \
	src/logisync/testing/carrier_hub \
	src/logisync/testing/shop \
	src/logisync/testing/edi_partner \
	src/logisync/testing/wms src/logisync/testing/tms \
	src/logisync/testing/message_faults.py src/logisync/testing/message_outbox.py \
	src/logisync/testing/sim_clock.py src/logisync/testing/sim_control.py \
	src/logisync/testing/file_drop.py src/logisync/cli_files.py \
	src/logisync/testing/nats.py \
	src/logisync/config_reference.py \
	src/logisync/cli_exit.py \
	src/logisync/cli_output.py \
	src/logisync/cli_progress.py \
	src/logisync/cli_shutdown.py \
	src/logisync/cli_status.py \
	src/logisync/cli_trace.py \
	src/logisync/cli_worker.py \
	src/logisync/cli_supervisor.py \
	src/logisync/cli_config.py \
	src/logisync/cli_process.py \
	src/logisync/cli_deliveries.py \
	src/logisync/cli_sources.py \
	src/logisync/cli_consume.py \
	src/logisync/orchestration \
	src/logisync/cli_monitors.py src/logisync/logs.py \
	src/logisync/ui \
	src/logisync/cli_users.py \
	src/logisync/cli_migrate.py \
	src/logisync/demo \
	src/logisync/testing/hub_runner.py src/logisync/testing/scripted_day.py \
	src/logisync/store/postgres src/logisync/store/rows.py src/logisync/store/journal_writer.py src/logisync/store/processing_rows.py \
	src/logisync/store/append_plan.py \
	src/logisync/testing/postgres

.PHONY: demo test lint typecheck imports unit browser postgres bench clean

$(STAMP): pyproject.toml
	@# Debian's python3 may come without venv/ensurepip: install it when we are allowed to.
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV) && apt-get update -qq \
		&& apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/logisync demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict $(TYPED)

imports: $(STAMP)
	$(BIN)/lint-imports

# The dashboard's browser tests (tests/browser) drive Debian's Chromium through Playwright.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

# The PostgreSQL store's tests start a throw-away server from Debian's packages (initdb, pg_ctl).
postgres:
	@command -v pg_ctl >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 \
		|| { apt-get update -qq && apt-get install -y -qq postgresql; }

unit: $(STAMP) browser postgres
	$(BIN)/pytest -q

test: lint typecheck imports unit

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/nats_publish.py
	@# issue 9 against pgqueuer: installed here, in the benchmark environment only
	$(BIN)/pip install --quiet pgqueuer asyncpg
	$(BIN)/python bench/queue_compare.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/cost_growth.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
