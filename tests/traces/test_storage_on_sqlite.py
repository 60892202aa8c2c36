"""`make run` defaults to SQLite: the traces migrations (BRIN is PostgreSQL-only) and the
bulk_create write path must work there too. Runs in a child process with its own database."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from apps.ingestion.otlp.spans import convert_spans
from apps.ingestion.otlp.logs import convert_logs
from apps.orgs.models import Organization
from apps.traces import selectors, services
from tests.traces.otlp import log_record, logs_request, span, traces_request

org = Organization.objects.create(name="Lite", slug="lite")
rows = convert_spans(traces_request([span(name="GET /", attributes={"session.id": "s"})])).rows
services.spans_store(organization=org, rows=rows)
services.logs_store(organization=org, rows=convert_logs(logs_request([log_record()])).rows)
result = selectors.session_traces(organization=org, session_id="s")
assert [t.root.name for t in result.traces] == ["GET /"], result
assert selectors.spans_search(organization=org, attributes={"session.id": "s"}).count() == 1
print("sqlite ok")
"""


def test_migrations_and_bulk_writes_work_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="",
        QORRELATE_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="qorrelate.settings",
    )
    manage = [sys.executable, "manage.py"]
    migrate = subprocess.run(
        [*manage, "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr[-3000:]

    run = subprocess.run(
        [*manage, "shell", "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert run.returncode == 0, run.stderr[-3000:]
    assert "sqlite ok" in run.stdout
