"""Where a replay batch's time goes: the intake and the floor called in-process through the WSGI
application (same settings as the HTTP benchmark), one request at a time, with CPU time (this
process only: PostgreSQL and Redis work on their side is not in it) and wall time per request.

    .venv/bin/python benchmarks/ingest_profile.py [--batches 2000] [--profile pyinstrument|cprofile]

It drops and recreates the database named in --database (default qorrelate_h4_prof).
"""

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ingest_common import base_env, paid_organization, recreate_database, setup_django


def environ_for(method: str, path: str, body: bytes) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ORIGIN": "https://shop.test",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def backend_cpu() -> float:
    """CPU seconds of this process's PostgreSQL backend so far (same machine, /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(application, path: str, bodies: list[bytes]) -> tuple[float, float, float]:
    statuses = {}

    def start_response(status, headers, exc_info=None):
        statuses[status] = statuses.get(status, 0) + 1

    pg, times, wall = backend_cpu(), os.times(), time.perf_counter()
    for body in bodies:
        result = application(environ_for("POST", path, body), start_response)
        b"".join(result)
        if hasattr(result, "close"):
            result.close()
    wall = time.perf_counter() - wall
    after = os.times()
    cpu = after.user - times.user + after.system - times.system
    system_share = (after.system - times.system) / cpu if cpu else 0.0
    pg = backend_cpu() - pg
    if set(statuses) != {"200 OK"}:
        raise SystemExit(f"unexpected statuses {statuses}")
    n = len(bodies)
    return cpu / n * 1000, wall / n * 1000, pg / n * 1000, system_share


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/qorrelate_h4_prof"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--batches", type=int, default=2000)
    parser.add_argument("--profile", choices=["pyinstrument", "cprofile"])
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qorrelate-ingest-prof-"))
    env = base_env(database_url=args.database, redis_url=args.redis, blob_dir=work / "blobs")
    env["ACCESS_LOG"] = "false"  # the HTTP benchmark logs; here only the handler is measured
    recreate_database(args.database)
    setup_django(env)
    from benchmarks.ingest_driver import build_bodies
    from benchmarks.ingest_floor_app import application

    organization = paid_organization("Prof Shop")
    bodies, _ = build_bodies(organization.public_id, args.batches * 2)
    intake = f"/ingest/v1/replay?org={organization.public_id}"
    warm, bodies = bodies[:200], bodies[200 : 200 + args.batches]
    run(application, intake, warm)
    run(application, "/bench/floor", warm)

    floor_cpu, floor_wall, _, _ = run(application, "/bench/floor", bodies)
    if args.profile == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        cpu, wall, pg, system = run(application, intake, bodies)
        profiler.stop()
        print(profiler.output_text(unicode=True, show_all=False))
    elif args.profile == "cprofile":
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        cpu, wall, pg, system = run(application, intake, bodies)
        profiler.disable()
        for sort in ("tottime", "cumulative"):
            pstats.Stats(profiler).sort_stats(sort).print_stats(45)
    else:
        cpu, wall, pg, system = run(application, intake, bodies)
    print(f"floor : {floor_cpu:.3f} ms cpu, {floor_wall:.3f} ms wall per request")
    print(
        f"intake: {cpu:.3f} ms cpu ({system:.0%} in the kernel), {wall:.3f} ms wall, "
        f"{pg:.3f} ms PostgreSQL backend cpu "
        f"per batch ({len(bodies)} batches)"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
