"""What the session index keeps of oversized text from a replay batch (a 5 MB page URL, a huge
error message): cut with a visible ``…[truncated N chars]`` marker, the batch still accepted."""

import pytest
from django.test import override_settings

from apps.replay.models import Session, TimelineMark
from tests.replay import rrweb

pytestmark = pytest.mark.django_db

FIVE_MB = 5 * 1024 * 1024


def _marker(cut: int) -> str:
    return f"…[truncated {cut} chars]"


def test_a_five_megabyte_page_url_is_indexed_cut_with_a_marker(org_a, post_batch):
    sid = rrweb.new_session_id()
    url = "https://shop.test/?q=" + "a" * (FIVE_MB - 21)
    events = [rrweb.full_snapshot(rrweb.T0), rrweb.click(rrweb.T0 + 100)]

    response = post_batch(org_a, rrweb.envelope(sid, 0, events, url=url))

    assert response.status_code == 200
    session = Session.objects.get(organization=org_a, session_id=sid)
    expected = url[:2048] + _marker(FIVE_MB - 2048)
    assert session.entry_url == expected
    assert session.urls == [expected]
    assert session.url_text == expected


def test_long_navigation_urls_are_cut_in_the_index_and_in_the_timeline(org_a, post_batch):
    sid = rrweb.new_session_id()
    url = "https://shop.test/" + "p" * 9982  # 10,000 characters

    post_batch(org_a, rrweb.envelope(sid, 0, rrweb.page_load(rrweb.T0, url=url)))

    session = Session.objects.get(organization=org_a, session_id=sid)
    assert session.urls == [url[:2048] + _marker(10_000 - 2048)]
    mark = TimelineMark.objects.get(organization=org_a, session=session, kind="navigation")
    assert mark.label == url[:450] + _marker(10_000 - 450)


def test_huge_error_messages_are_cut_with_a_marker(org_a, post_batch):
    sid = rrweb.new_session_id()
    events = [
        *rrweb.page_load(rrweb.T0),
        rrweb.console_error(rrweb.T0 + 100, "c" * 1_000_000),
        rrweb.uncaught_error(rrweb.T0 + 200, "u" * 1000),
        rrweb.network(rrweb.T0 + 300, url="/api/" + "x" * 995, status=500),
    ]

    response = post_batch(org_a, rrweb.envelope(sid, 0, events))

    assert response.status_code == 200
    session = Session.objects.get(organization=org_a, session_id=sid)
    console = "c" * 300 + _marker(1_000_000 - 300)
    uncaught = "u" * 300 + _marker(700)
    failed = "POST /api/" + "x" * 395 + _marker(600) + " → 500"
    assert session.error_text.split("\n") == [console, uncaught, failed]
    labels = dict(
        TimelineMark.objects.filter(organization=org_a, session=session).values_list(
            "kind", "label"
        )
    )
    assert labels["console_error"] == console
    assert labels["error"] == uncaught
    assert labels["failed_request"] == failed


@override_settings(REPLAY_URL_LENGTH_LIMIT=10)
def test_the_url_limit_comes_from_settings(org_a, post_batch):
    sid = rrweb.new_session_id()
    events = [rrweb.full_snapshot(rrweb.T0)]

    post_batch(org_a, rrweb.envelope(sid, 0, events, url="https://shop.test/cart"))

    session = Session.objects.get(organization=org_a, session_id=sid)
    assert session.entry_url == "https://sh" + _marker(12)


def test_urls_within_the_limit_are_kept_exactly(org_a, post_batch):
    sid = rrweb.new_session_id()
    url = "https://shop.test/" + "k" * 2030  # exactly 2048

    post_batch(org_a, rrweb.envelope(sid, 0, rrweb.page_load(rrweb.T0, url=url)))

    assert Session.objects.get(organization=org_a, session_id=sid).urls == [url]
