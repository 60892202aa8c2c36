"""Django on a dedicated benchmark database (created and migrated if missing), so benchmark
rows never mix with anyone's development or test data."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qorrelate_bench_otlp"


def setup(database_url: str | None = None):
    """Point Django at the benchmark database, create and migrate it; returns the URL."""
    url = database_url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorrelate.settings")
    _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url


def _create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def organization(slug: str):
    from apps.orgs.models import Organization

    org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": slug})
    return org
