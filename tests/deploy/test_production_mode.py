"""Qorrelate run the production way, checked over HTTP as a TLS proxy would reach it.

The fixtures (conftest.py) start gunicorn with deploy/gunicorn.conf.py and QORRELATE_ENV=production
on PostgreSQL, Redis and S3 (moto), plus a Celery worker and a separate beat where a test needs
them. Requests carry ``Host: qorrelate.test`` and ``X-Forwarded-Proto: https``.
"""

import json
import re
import time
import uuid

import pytest

from tests.deploy.conftest import HOST
from tests.deploy.proxied_client import ProxiedClient
from tests.support.live import ROOT, free_port, start_server

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "production-mode-passphrase-42"


def wait_for(predicate, *, timeout: float = 20.0, every: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def log_records(server) -> tuple[list[dict], list[str]]:
    """(parsed JSON lines, lines that are not JSON) of a process's output."""
    records, other = [], []
    for line in server.output().splitlines():
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            other.append(line)
    return records, other


def sign_up(client: ProxiedClient, email: str) -> str:
    """Sign up through the real form; returns the dashboard path it lands on."""
    page = client.get("/signup/")
    assert page.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    reply = client.post(
        "/signup/",
        form={
            "csrfmiddlewaretoken": token,
            "email": email,
            "password": PASSWORD,
            "organization_name": "Acme Production",
        },
        headers={"Origin": client.origin, "Referer": f"{client.origin}/signup/"},
    )
    assert reply.status == 302, reply.text[:2000]
    return reply.headers["location"]


def test_probes_answer_by_ip_and_readiness_checks_database_redis_and_storage(production_web):
    by_ip = ProxiedClient(production_web.url, "10.0.0.7:8000", scheme="http")
    assert by_ip.get("/healthz").json() == {"status": "ok"}
    ready = by_ip.get("/readyz")
    assert ready.status == 200, ready.text
    checks = ready.json()["checks"]
    assert {"database", "redis", "storage"} <= set(checks)
    assert all(check["ok"] for check in checks.values()), checks
    # Anything else from an unknown host is refused: ALLOWED_HOSTS is enforced.
    assert by_ip.get("/signup/").status == 400


def test_debug_is_off_and_security_headers_are_set(production_web):
    client = ProxiedClient(production_web.url, HOST)
    missing = client.get("/no-such-page/")
    assert missing.status == 404
    assert "URLconf" not in missing.text and "Traceback" not in missing.text
    page = client.get("/signup/")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] in ("DENY", "SAMEORIGIN")
    assert "referrer-policy" in page.headers
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", page.headers["x-request-id"])


def test_static_files_are_served_compressed_from_collectstatic(production_web):
    if not (ROOT / "static" / "dist" / "replay.js").exists():
        pytest.fail("static/dist/replay.js is not built: run `make js` (make test does)")
    client = ProxiedClient(production_web.url, HOST)
    script = client.get("/static/replay.js", headers={"Accept-Encoding": "gzip"})
    assert script.status == 200
    assert script.headers["content-encoding"] == "gzip"  # only collectstatic writes .gz copies
    assert "javascript" in script.headers["content-type"]
    # Customers' pages load it from their own origin.
    assert script.headers["access-control-allow-origin"] == "*"
    stylesheet = client.get("/static/css/app.css")
    assert stylesheet.status == 200
    assert "text/css" in stylesheet.headers["content-type"]


def test_sign_up_through_the_real_form_behind_a_tls_proxy_sets_secure_cookies(production_web):
    client = ProxiedClient(production_web.url, HOST)
    dashboard = sign_up(client, "ops@acme.test")
    assert dashboard.startswith("/o/")
    for name in ("csrftoken", "sessionid"):
        assert client.cookie_attributes[name]["secure"], f"{name} is not Secure"
    assert client.cookie_attributes["sessionid"]["httponly"]
    home = client.get(dashboard)
    assert home.status == 200
    organization = client.get("/api/v1/organization").json()
    assert organization["name"] == "Acme Production"
    assert organization["data_org_id"] in home.text  # the install snippet


def test_a_form_post_from_another_origin_is_refused(production_web):
    client = ProxiedClient(production_web.url, HOST)
    page = client.get("/signup/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    reply = client.post(
        "/signup/",
        form={"csrfmiddlewaretoken": token, "email": "x@evil.test", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert reply.status == 403


def test_server_log_lines_are_json_and_carry_the_request_id(production_web):
    client = ProxiedClient(production_web.url, HOST)
    request_id = f"deploy-{uuid.uuid4().hex[:12]}"
    assert client.get("/signup/", headers={"X-Request-ID": request_id}).status == 200
    assert client.get("/no-such-page/", headers={"X-Request-ID": request_id + "-404"}).status == 404

    def access_line(rid):
        records, _ = log_records(production_web)
        return next((r for r in records if r.get("request_id") == rid), None)

    line = wait_for(lambda: access_line(request_id), timeout=5)
    assert line, production_web.output()[-3000:]
    assert line["logger"] == "qorrelate.access"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/signup/", 200)
    assert line["duration_ms"] >= 0
    assert wait_for(lambda: access_line(request_id + "-404"), timeout=5)["status"] == 404
    records, other = log_records(production_web)
    assert not other, f"non-JSON lines in the server log: {other[:5]}"
    assert any(r["logger"] == "gunicorn.error" for r in records)  # gunicorn's own lines too
    assert all({"time", "level", "logger", "message", "request_id"} <= set(r) for r in records)


def test_beat_and_a_worker_keep_the_heartbeat_in_readyz_fresh(production_web, production_workers):
    worker, beat = production_workers
    client = ProxiedClient(production_web.url, HOST)

    def heartbeat_age():
        return client.get("/readyz").json()["worker_heartbeat_age_s"]

    fresh = wait_for(lambda: (age := heartbeat_age()) is not None and age < 3, timeout=30)
    assert fresh, worker.output()[-3000:] + beat.output()[-3000:]
    worker_records, worker_other = log_records(worker)
    assert any("qorrelate.heartbeat" in r["message"] for r in worker_records)
    beat_records, _ = log_records(beat)
    assert any("Sending due task qorrelate-heartbeat" in r["message"] for r in beat_records)
    # Without a worker the heartbeat goes stale, which is what an alert watches.
    worker.stop()
    assert wait_for(lambda: (heartbeat_age() or 0) > 2.5, timeout=15)


def test_readiness_fails_with_503_when_redis_is_down(production_env, tmp_path):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    env = {**production_env, "REDIS_URL": dead, "CELERY_BROKER_URL": dead}
    server = start_server(
        env,
        tmp_path / "gunicorn-no-redis.log",
        workers=1,
        extra_args=["-c", "deploy/gunicorn.conf.py"],
    )
    try:
        client = ProxiedClient(server.url, HOST)
        assert client.get("/healthz").status == 200  # liveness does not depend on Redis
        ready = client.get("/readyz", headers={"X-Request-ID": "readyz-without-redis"})
        assert ready.status == 503
        body = ready.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["redis"]["ok"] is False
        assert body["checks"]["database"]["ok"] is True
        assert body["checks"]["storage"]["ok"] is True
        records = wait_for(
            lambda: [
                r
                for r in log_records(server)[0]
                if r.get("request_id") == "readyz-without-redis" and r.get("check") == "redis"
            ],
            timeout=5,
        )
        assert records and records[0]["level"] == "WARNING"
    finally:
        server.stop()
