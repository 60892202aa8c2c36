"""The insights sweep (every minute, across every organization) finds the sessions due for
detection through an index on Session.updated_at, not by reading the whole session table."""

import pytest
from django.db import connection

from apps.insights.tasks import sessions_due_for_detection
from apps.replay.models import Session
from tests.replay.factories import SessionFactory

pytestmark = pytest.mark.django_db

SESSIONS = 20_000
DAYS = 60  # updated_at spread over two months: the sweep reads the last two days


def _seed(organizations) -> None:
    rows = [
        SessionFactory.build(organization=organizations[n % len(organizations)])
        for n in range(SESSIONS)
    ]
    Session.objects.bulk_create(rows, batch_size=2_000)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE replay_session SET updated_at = now() - (id %% %s) * interval '1 day' "
            "- (id %% 997) * interval '1 minute'",
            [DAYS],
        )
        cursor.execute("ANALYZE replay_session")


def _sweep_sql() -> tuple[str, tuple]:
    """The SQL sessions_due_for_detection really runs (captured, not rewritten here)."""
    seen = []

    def capture(execute, sql, params, many, context):
        if "replay_session" in sql:
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        sessions_due_for_detection()
    assert len(seen) == 1, seen
    return seen[0]


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_detection_sweep_reads_recent_sessions_through_the_updated_at_index(
    org_a, org_b, capsys
):
    _seed([org_a, org_b])
    sql, params = _sweep_sql()
    plan = _plan(sql, params)
    with capsys.disabled():
        print(f"\nthe sweep on {SESSIONS} sessions:\n{plan}")
    assert "replay_sess_updated" in plan, plan
    assert "Seq Scan on replay_session" not in plan, plan

    # The same query without the index reads the whole table: the index is what the plan uses.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX replay_sess_updated")
    without = _plan(sql, params)
    with capsys.disabled():
        print(f"without the index:\n{without}")
    assert "Seq Scan on replay_session" in without, without
