"""Schemathesis against the live schema of a live server (gunicorn on the test database):
every operation, with generated valid and invalid input, must never answer a 5xx nor a status
its schema does not document. Bounded: a fixed number of examples per operation."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from apps.orgs.services import key_create
from tests.support.live import live_env, start_server

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))


def test_no_operation_answers_a_server_error_or_an_undocumented_status(
    settings, tmp_path, org_a, alice
):
    _key, raw = key_create(
        organization=org_a, kind="api", name="schemathesis", scope="write", created_by=None
    )
    env = live_env(
        settings, tmp_path, API_THROTTLE_RATE="0", API_KEY_THROTTLE_RATE="0", ACCESS_LOG="0"
    )
    server = start_server(env, tmp_path / "gunicorn.log", workers=2)
    report = tmp_path / "schemathesis.ndjson"
    schema = tmp_path / "schema.json"
    try:
        # The schema is generated on request, which takes seconds on a busy machine: fetched
        # here with room to spare (schemathesis' own loader gives up after 10 s).
        with urllib.request.urlopen(f"{server.url}/api/schema/?format=json", timeout=300) as r:
            schema.write_bytes(r.read())
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                str(schema),
                "--url",
                server.url,
                "--checks",
                "not_a_server_error,status_code_conformance",
                "--phases",
                "coverage,fuzzing",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                "19",
                "--header",
                f"Authorization: Bearer {raw}",
                "--request-timeout",
                "120",
                "--workers",
                "2",
                "--no-color",
                "--report",
                "ndjson",
                "--report-ndjson-path",
                str(report),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
        )
    finally:
        server.stop()
    summary = run.stdout[-6000:]
    print(summary)
    assert run.returncode == 0, summary + run.stderr[-2000:] + server.output()[-3000:]
    assert "No issues found" in run.stdout or "passed" in run.stdout, summary
    assert report.exists() and report.stat().st_size > 0
    events = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    assert len(events) > 10
