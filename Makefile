# Two commands for a newcomer: `make run` (portal with demo data) and `make test` (the whole suite).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1:8000

.PHONY: run test lint check-deploy migrate demo worker beat benchmark clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt | $(PY)
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

# The embedded default: SQLite in the project folder, Celery tasks in-process, demo data.
run: $(VENV)/.run-deps
	$(PY) manage.py compile_translations
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@echo "SCORE Portal on http://$(HOST)/  (log in as officer, consultant or enterprise; password: $${DEMO_PASSWORD:-score-demo})"
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST)

# The whole suite, in TEST_PROCESSES processes (pytest-xdist; README): each has its own test database and
# its own Redis database for the broker (conftest.py). `--dist load` hands out tests in the order
# pytest-django sorted them, so in each process every transactional test (which leaves the database
# flushed) runs after the others; by module (loadscope) it would not. `--maxschedchunk 1` hands them out
# one at a time: in bigger chunks, one process was given the slow browser tests at the end and ran
# 130 s alone while the other had finished.
# Uses DATABASE_URL and CELERY_BROKER_URL when set (CI sets both). TEST_PROCESSES=0 runs one process.
TEST_PROCESSES ?= 3
test: $(VENV)/.test-deps
	$(PY) manage.py compile_translations
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist load --maxschedchunk 1

# The production lane alone (DJANGO_DEBUG=0, collectstatic, gunicorn, a real worker); `make test` runs it too.
.PHONY: test-production
test-production: $(VENV)/.test-deps
	$(PY) -m pytest -m production

lint: $(VENV)/.test-deps
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: $(VENV)/.run-deps
	DJANGO_DEBUG=0 ALLOWED_HOSTS=score.example.org CACHE_URL=redis://127.0.0.1:6379/1 TRUSTED_PROXY_COUNT=1 \
	SECRET_KEY=$${SECRET_KEY:-ci-only-secret-key-5Tq8rW1yLp3Zx7Nc2Vb9Mh4Kd6Gf0Js-never-used} \
	$(PY) manage.py check --deploy --fail-level WARNING

worker: $(VENV)/.run-deps
	$(VENV)/bin/celery -A score_portal worker --loglevel=INFO

# One dated archive (database dump, media files, manifest) in BACKUP_DIR; README "Backup and restore".
.PHONY: backup restore
backup: $(VENV)/.run-deps
	$(PY) manage.py backup

# Into an empty database and MEDIA_ROOT: make restore ARCHIVE=backups/score-YYYYMMDD-HHMMSS.tar [FORCE=1]
restore: $(VENV)/.run-deps
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=backups/score-YYYYMMDD-HHMMSS.tar [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(ARCHIVE)" $(if $(FORCE),--force)

# The periodic sweeps (CELERY_BEAT_SCHEDULE), e.g. report jobs that waited while the broker was down. Run one.
beat: $(VENV)/.run-deps
	$(VENV)/bin/celery -A score_portal beat --loglevel=INFO

# The national-scale benchmark (README "Performance at national scale"): seeds or reuses a
# 5,000-enterprise PostgreSQL database (BENCH_DATABASE_URL) and prints what each page costs beside its SQL.
.PHONY: bench
bench: $(VENV)/.run-deps
	$(PY) -m reporting.scale_benchmark $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
