"""Qorrelate started the production way: QORRELATE_ENV=production under gunicorn with
deploy/gunicorn.conf.py, collected static files, PostgreSQL, Redis as broker and cache, S3 (a moto
server), and a Celery worker with a separate beat."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.support.live import ROOT, live_env, start_beat, start_server, start_worker

HOST = "qorrelate.test"
QUEUES = "celery,ingest,sampling,audit,retention"
# Variables a developer's shell may carry that would turn production defaults off.
NOT_INHERITED = (
    "DEBUG",
    "LOG_FORMAT",
    "ACCESS_LOG",
    "CELERY_TASK_ALWAYS_EAGER",
    "CELERY_BROKER_URL",
    "QORRELATE_BLOB_DIR",
    "GUNICORN_CMD_ARGS",
    "WEB_CONCURRENCY",
)


def production_overrides(static_root) -> dict:
    return {
        "QORRELATE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "QORRELATE_PUBLIC_URL": f"https://{HOST}",
        "STATIC_ROOT": str(static_root),
        "QORRELATE_HEARTBEAT_SECONDS": "1",
    }


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """collectstatic once, with production settings, as the image build does."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(production_overrides(root), DJANGO_SETTINGS_MODULE="qorrelate.settings")
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture
def production_env(transactional_db, settings, tmp_path, s3_storage, collected_static):
    env = live_env(settings, tmp_path, **production_overrides(collected_static))
    for name in NOT_INHERITED:
        env.pop(name, None)
    return env


@pytest.fixture
def production_web(production_env, tmp_path):
    server = start_server(
        production_env,
        tmp_path / "gunicorn.log",
        workers=2,
        extra_args=["-c", "deploy/gunicorn.conf.py"],
    )
    yield server
    server.stop()


@pytest.fixture
def production_workers(production_env, tmp_path):
    """A worker on every queue and a separate beat (production runs one beat per deployment)."""
    worker = start_worker(production_env, tmp_path / "worker.log", queues=QUEUES)
    try:
        beat = start_beat(production_env, tmp_path / "beat.log")
    except Exception:
        worker.stop()
        raise
    yield worker, beat
    beat.stop()
    worker.stop()
