"""Real processes for integration tests: an S3 server (moto), Qorrelate under gunicorn, and a
Celery worker, all on the test database and Redis. Tests that use them need committed data:
mark them ``@pytest.mark.django_db(transaction=True)``.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def stop_process(proc: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 10) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)


def test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def live_env(settings, tmp_path: Path, **extra) -> dict:
    """Environment for a child process that shares this test's database, Redis and storage."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        QORRELATE_DATA_DIR=str(tmp_path / "data"),
        QORRELATE_TESTING="1",
        DJANGO_SETTINGS_MODULE="qorrelate.settings",
        PYTHONUNBUFFERED="1",
    )
    replay = settings.STORAGES["replay"]
    if replay["BACKEND"].endswith("S3Storage"):
        options = replay["OPTIONS"]
        env.update(
            AWS_STORAGE_BUCKET_NAME=options["bucket_name"],
            AWS_S3_ENDPOINT_URL=options["endpoint_url"],
            AWS_ACCESS_KEY_ID=options["access_key"],
            AWS_SECRET_ACCESS_KEY=options["secret_key"],
        )
    else:
        env["QORRELATE_BLOB_DIR"] = replay["OPTIONS"]["location"]
    env.update({k: str(v) for k, v in extra.items()})
    return env


class LiveProcess:
    def __init__(self, proc: subprocess.Popen, url: str | None, log: Path):
        self.proc = proc
        self.url = url
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, sig=signal.SIGTERM):
        stop_process(self.proc, sig)


def start_server(
    env: dict,
    log: Path,
    *,
    workers: int = 2,
    extra_args: Sequence[str] = (),
    port: int | None = None,
) -> LiveProcess:
    """gunicorn on ``port`` (a free one by default); ``extra_args`` (e.g. ``-c
    deploy/gunicorn.conf.py``) come last."""
    port = port or free_port()
    handle = log.open("wb")
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "qorrelate.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            *extra_args,
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, proc=proc)
    except Exception as exc:
        stop_process(proc)
        raise RuntimeError("gunicorn did not start:\n" + log.read_text(errors="replace")) from exc
    return LiveProcess(proc, f"http://127.0.0.1:{port}", log)


def start_worker(
    env: dict, log: Path, *, queues: str | None = None, beat: bool = False, timeout: float = 60
) -> LiveProcess:
    args = [
        str(BIN / "celery"),
        "-A",
        "qorrelate",
        "worker",
        "--loglevel=INFO",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"test-{uuid.uuid4().hex[:8]}@%h",
    ]
    if queues:
        args += ["-Q", queues]
    if beat:
        args += ["-B", "-s", str(log.parent / "beat-schedule")]
    handle = log.open("wb")
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("celery worker exited:\n" + log.read_text(errors="replace"))
        if "ready." in log.read_text(errors="replace"):
            return LiveProcess(proc, None, log)
        time.sleep(0.2)
    stop_process(proc)
    raise TimeoutError("celery worker not ready:\n" + log.read_text(errors="replace"))


def start_beat(env: dict, log: Path, *, timeout: float = 60) -> LiveProcess:
    """Celery beat on its own, as production runs it (one per deployment)."""
    args = [str(BIN / "celery"), "-A", "qorrelate", "beat", "--loglevel=INFO"]
    args += ["-s", str(log.parent / "beat-schedule")]
    handle = log.open("wb")
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("celery beat exited:\n" + log.read_text(errors="replace"))
        if "beat: Starting" in log.read_text(errors="replace"):
            return LiveProcess(proc, None, log)
        time.sleep(0.2)
    stop_process(proc)
    raise TimeoutError("celery beat did not start:\n" + log.read_text(errors="replace"))


@pytest.fixture(scope="session")
def moto_s3_endpoint(tmp_path_factory):
    """A real S3 wire-protocol server (moto) for the whole test session."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    handle = log.open("wb")
    proc = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_port(port, proc=proc)
    yield f"http://127.0.0.1:{port}"
    stop_process(proc)


@pytest.fixture
def s3_storage(settings, moto_s3_endpoint):
    """Switch replay blob storage to S3 (moto server) with a fresh bucket for this test."""
    import boto3
    from django.core.files.storage import storages

    bucket = f"qorrelate-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=moto_s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "replay": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": moto_s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": None,
                "file_overwrite": True,
                "querystring_auth": False,
            },
        },
    }
    storages._storages.pop("replay", None)
    yield {"bucket": bucket, "client": client, "endpoint": moto_s3_endpoint}
    storages._storages.pop("replay", None)


@pytest.fixture
def live_qorrelate(transactional_db, settings, tmp_path):
    """Qorrelate served by gunicorn in a child process, on this test's database."""
    server = start_server(live_env(settings, tmp_path), tmp_path / "gunicorn.log")
    yield server
    server.stop()


@pytest.fixture
def celery_worker_process(transactional_db, settings, tmp_path):
    """A live Celery worker (solo pool) on Redis and this test's database."""
    worker = start_worker(live_env(settings, tmp_path), tmp_path / "worker.log")
    yield worker
    worker.stop()
