# LatihKerja — the project's entry points. Everything a fresh machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test bench lint typecheck checks test-sqlite test-postgres messages lock clean

## install: .venv with the project and its development dependencies, exactly as uv.lock pins them
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv sync --frozen --inexact --extra dev --python $(BIN)/python --quiet
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	touch $@

## lock: re-resolve uv.lock after changing dependencies in pyproject.toml
lock:
	test -x $(BIN)/uv || (test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); $(BIN)/python -m pip install -q "uv==$(UV_VERSION)")
	$(BIN)/uv lock --python $(BIN)/python

## run: install, migrate, load reference + demo data when empty, serve on 127.0.0.1:$(PORT) with demo logins
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v 0
	DEBUG=1 $(BIN)/python manage.py load_reference_data
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty --residents 12000 --seed 2020 --applicants 0.7
	DEBUG=1 $(BIN)/python manage.py demo_logins --url http://127.0.0.1:$(PORT)
	DEBUG=1 $(BIN)/python manage.py db_worker --queue-name '*' & worker=$$!; \
	  DEBUG=1 $(BIN)/python manage.py refresh_reports --every 20 >/dev/null & refresher=$$!; \
	  trap "kill $$worker $$refresher 2>/dev/null" EXIT; \
	  DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: install, style/type/architecture gates, the suite on SQLite, then on PostgreSQL when one answers
test: install checks test-sqlite test-postgres

checks: lint typecheck
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run -v 1
	DJANGO_SETTINGS_MODULE=latihkerja.config.settings.prod SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 -w0) \
	  ALLOWED_HOSTS=latihkerja.example.org NIK_KEY=check-deploy-key-$$(head -c 48 /dev/urandom | base64 -w0) \
	  DATABASE_URL=postgres://latihkerja@db.example.org/latihkerja CACHE_URL=redis://cache.example.org:6379/0 \
	  NOTIFY_HTTP_URL=https://sms.example.org/send \
	  NOTIFY_SMS_BACKEND=latihkerja.notifications.channels.HttpSmsChannel \
	  NOTIFY_WHATSAPP_BACKEND=latihkerja.notifications.channels.HttpWhatsAppChannel \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy latihkerja
	$(BIN)/mypy --strict latihkerja/engine

test-sqlite:
	@echo "== test suite on SQLite"
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest

test-postgres:
	@if $(BIN)/python -m latihkerja.config.dbping "$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"; then \
	  echo "== test suite on PostgreSQL"; \
	  DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/latihkerja}" $(BIN)/pytest; \
	else echo "== PostgreSQL not reachable at $${DATABASE_URL:-127.0.0.1:5432}: the PostgreSQL run was SKIPPED"; fi

## bench: benchmarks; figures go to docs/benchmarks.md
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

## messages: refresh the translation catalogues after changing texts
messages:
	$(BIN)/python manage.py makemessages -l en -l id --ignore=.venv --ignore=tests --ignore=bench

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache .mypy_cache .ruff_cache
