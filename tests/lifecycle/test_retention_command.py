"""``manage.py retention``: the dry run lists what would go and why; without it, it deletes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.replay.models import Session
from tests.lifecycle.recording import age, record

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_sessions_with_their_reason_and_deletes_nothing(org_a, org_b):
    old = age(record(org_a, user_id="u-1"), days=20)
    age(record(org_b), days=20)
    output = _call("--dry-run", "--org", org_a.slug)
    assert "would delete 1 sessions" in output
    assert old.session_id in output and "user=u-1" in output
    assert "normal: normal session, kept 14 days" in output
    assert Session.objects.count() == 2


def test_as_of_looks_ahead_and_a_real_run_deletes(org_a):
    session = age(record(org_a), days=10)
    assert "would delete 0 sessions" in _call("--dry-run", "--org", org_a.slug)
    ahead = _call("--dry-run", "--org", org_a.slug, "--as-of", "2999-01-01T00:00:00Z")
    assert session.session_id in ahead
    assert "deleted 0 sessions" in _call("--org", org_a.slug)
    assert "deleted 1 sessions" in _call("--org", org_a.slug, "--as-of", "2999-01-01")


def test_an_unknown_organization_is_an_error(db):
    with pytest.raises(CommandError):
        _call("--dry-run", "--org", "nope")
