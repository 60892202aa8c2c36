"""Shared plumbing of the replay benchmarks: a fresh PostgreSQL database, Django configured
on it, gunicorn with the production config, and a load driver in a second process."""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def base_env(*, database_url: str, redis_url: str, blob_dir: Path, s3: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        QORRELATE_DATA_DIR=str(blob_dir.parent),
        QORRELATE_BLOB_DIR=str(blob_dir),
        DJANGO_SETTINGS_MODULE="qorrelate.settings",
        QORRELATE_ENV="production",
        SECRET_KEY="benchmark-only-secret-key-not-for-production-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # The counter still runs on every batch; it only never refuses in the benchmark.
        REPLAY_RATE_LIMIT="1000000000",
        PYTHONUNBUFFERED="1",
    )
    if s3:
        env.update(
            AWS_STORAGE_BUCKET_NAME=s3["bucket"],
            AWS_S3_ENDPOINT_URL=s3["endpoint"],
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
        )
    return env


def recreate_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def paid_organization(name: str):
    """An organization on a plan without a hard quota (the benchmark sends many sessions)."""
    from apps.billing.models import Plan
    from apps.billing.subscriptions import subscription_ensure
    from apps.orgs.models import Organization

    organization = Organization.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    subscription = subscription_ensure(organization_id=organization.pk)
    subscription.plan = Plan.objects.get(code="business")
    subscription.save()
    return organization


def start_gunicorn(env: dict, log: Path, *, workers: int, threads: int):
    from tests.support.live import LiveProcess, free_port, stop_process, wait_for_port

    port = free_port()
    env = {**env, "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
    handle = log.open("wb")
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "-b",
            f"127.0.0.1:{port}",
            "benchmarks.ingest_floor_app:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, proc=proc, timeout=60)
    except Exception:
        stop_process(proc)
        raise
    return LiveProcess(proc, f"http://127.0.0.1:{port}", log)


def start_moto():
    import boto3

    from tests.support.live import free_port, wait_for_port

    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_port(port, proc=proc)
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket="qorrelate-bench")
    return proc, {"bucket": "qorrelate-bench", "endpoint": endpoint}


def _cpu_of(pid: int, *, children: bool = False) -> float:
    """CPU seconds of ``pid`` (utime + stime), or with ``children`` those of its children it
    has reaped (cutime + cstime): where an exited gunicorn worker's CPU ends up."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    first = 13 if children else 11
    return (int(fields[first]) + int(fields[first + 1])) / os.sysconf("SC_CLK_TCK")


def _pids_where(test) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if test(entry):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class CpuMeter:
    """CPU seconds used by the server's processes (gunicorn master and workers) and by the
    PostgreSQL backends of the benchmark database (Linux /proc): what a request costs on the
    machine, whatever else runs on it. Other users' load inflates wall time far more."""

    def __init__(self, server_pid: int, database: str):
        self.server_pid = server_pid
        self.database = database

    def _server_pids(self) -> list[int]:
        def child(entry):
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            return int(stat[1]) == self.server_pid

        return [self.server_pid, *_pids_where(child)]

    def _backend_pids(self) -> list[int]:
        def backend(entry):
            cmdline = (entry / "cmdline").read_bytes()
            return cmdline.startswith(b"postgres: ") and f" {self.database} ".encode() in cmdline

        return _pids_where(backend)

    def snapshot(self) -> dict[str, dict[int, float]]:
        return {
            "server": {pid: _cpu_of(pid) for pid in self._server_pids()},
            "postgres": {pid: _cpu_of(pid) for pid in self._backend_pids()},
            # gunicorn replaces a worker every ~2000 requests (max_requests): an exited
            # worker's CPU moves into the master's reaped-children total.
            "reaped": {self.server_pid: _cpu_of(self.server_pid, children=True)},
        }

    @staticmethod
    def used(before: dict, after: dict) -> dict[str, float]:
        used = {
            part: sum(cpu - before[part].get(pid, 0.0) for pid, cpu in after[part].items())
            for part in ("server", "postgres")
        }
        # A worker gone by ``after`` spent (its final total − its ``before``) meanwhile, and its
        # final total is in the master's reaped-children CPU.
        gone = sum(cpu for pid, cpu in before["server"].items() if pid not in after["server"])
        used["server"] += sum(after["reaped"].values()) - sum(before["reaped"].values()) - gone
        return used


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def describe(latencies_ms: list[float]) -> dict:
    return {
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "p99_ms": percentile(latencies_ms, 99),
        "mean_ms": statistics.fmean(latencies_ms) if latencies_ms else float("nan"),
    }


def run_driver(args: list[str], timeout: float) -> dict:
    """Runs this benchmark's load driver in a second process; returns its JSON result."""
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "ingest_driver.py"), *args],
        cwd=ROOT,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(
            f"driver failed ({time.monotonic() - started:.0f}s):\n{out.stderr.decode()}"
        )
    return json.loads(out.stdout)
