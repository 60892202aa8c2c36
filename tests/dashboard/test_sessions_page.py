"""The sessions list: search, filters, sorting, pagination, saved filters and the empty state."""

from datetime import UTC, datetime

import pytest

from apps.dashboard.models import SavedFilter
from tests.replay import rrweb

pytestmark = pytest.mark.django_db


def sessions_url(org, query=""):
    return f"/o/{org.slug}/sessions/" + (f"?{query}" if query else "")


def listed(response) -> list[str]:
    return [row.session.session_id for row in response.context["rows"]]


def test_a_new_organization_sees_the_install_snippet_and_the_test_event_check(client, org_a, alice):
    client.force_login(alice)
    response = client.get(sessions_url(org_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No sessions recorded yet" in html
    assert f'data-org-id="{org_a.public_id}"' in html
    assert "Send a test event" in html
    # The check itself is static/src/pages/test_event.js (no inline script under the CSP).
    assert 'src="/static/pages.js"' in html


def test_the_list_shows_user_duration_pages_and_error_counts(client, org_a, alice, record_session):
    record_session(
        org_a,
        user={"id": "user-42", "traits": {"plan": "pro"}},
        events=[
            rrweb.click(rrweb.T0 + 500),
            rrweb.console_error(rrweb.T0 + 900, "TypeError: cart is undefined"),
            rrweb.mouse_move(rrweb.T0 + 65_000),
        ],
    )
    client.force_login(alice)
    response = client.get(sessions_url(org_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "user-42" in html
    assert "1m 05s" in html
    assert 'class="badge badge-err">1<' in html
    assert "No sessions recorded yet" not in html


def test_filters_narrow_the_list(client, org_a, alice, record_session):
    errored = record_session(
        org_a,
        user={"id": "ada"},
        url="https://shop.test/checkout",
        events=[rrweb.uncaught_error(rrweb.T0 + 100, "TypeError: total is NaN")],
    )
    later = rrweb.T0 + 86_400_000 * 3
    calm = record_session(
        org_a,
        user={"id": "bert"},
        url="https://shop.test/blog",
        ua=rrweb.FIREFOX_UA,
        events=[rrweb.mouse_move(later + 120_000)],
        start=later,
    )
    client.force_login(alice)
    cases = {
        "user=ada": [errored],
        "url=blog": [calm],
        "has_errors=yes": [errored],
        "has_errors=no": [calm],
        "error=NaN": [errored],
        "min_duration=60": [calm],
        "max_duration=60": [errored],
        "browser=Firefox": [calm],
        f"after={datetime.fromtimestamp((rrweb.T0 / 1000) + 86_400 * 2, tz=UTC).date()}": [calm],
        f"before={datetime.fromtimestamp(rrweb.T0 / 1000, tz=UTC).date()}": [errored],
    }
    for query, expected in cases.items():
        response = client.get(sessions_url(org_a, query))
        assert response.status_code == 200, query
        assert listed(response) == [s.session_id for s in expected], query


def test_sorting_by_duration_and_by_errors(client, org_a, alice, record_session):
    short = record_session(org_a, events=[rrweb.console_error(rrweb.T0 + 10, "boom")])
    long = record_session(org_a, events=[rrweb.mouse_move(rrweb.T0 + 90_000)])
    client.force_login(alice)
    assert listed(client.get(sessions_url(org_a, "sort=-duration")))[0] == long.session_id
    assert listed(client.get(sessions_url(org_a, "sort=duration")))[0] == short.session_id
    assert listed(client.get(sessions_url(org_a, "sort=-errors")))[0] == short.session_id


def test_bad_filter_values_are_a_400_with_the_reason_not_a_500(client, org_a, alice):
    client.force_login(alice)
    response = client.get(sessions_url(org_a, "min_duration=soon&sort=sideways&after=yesterday"))
    assert response.status_code == 400
    assert b"Min duration" in response.content


def test_pages_hold_25_sessions_and_keep_the_filters(client, org_a, alice, record_session):
    for i in range(27):
        record_session(org_a, user={"id": "pager"}, start=rrweb.T0 + i * 1000)
    client.force_login(alice)
    first = client.get(sessions_url(org_a, "user=pager"))
    assert len(listed(first)) == 25
    assert 'href="?user=pager&page=2"' in first.content.decode()
    second = client.get(sessions_url(org_a, "user=pager&page=2"))
    assert len(listed(second)) == 2
    assert not set(listed(first)) & set(listed(second))


def test_each_row_has_an_activity_bar_with_its_notable_moments(
    client, org_a, alice, record_session
):
    record_session(
        org_a,
        events=[
            rrweb.console_error(rrweb.T0 + 5000, "boom"),
            rrweb.mouse_move(rrweb.T0 + 10_000),
        ],
    )
    client.force_login(alice)
    row = client.get(sessions_url(org_a)).context["rows"][0]
    errors = [dot for dot in row.dots if dot.tone == "err"]
    assert len(errors) == 1
    assert 45 < errors[0].left_pct < 55


def test_a_member_saves_a_filter_for_the_whole_organization(
    client, org_a, alice, bob, record_session
):
    record_session(org_a)
    client.force_login(bob)
    response = client.post(
        sessions_url(org_a),
        {
            "action": "save_filter",
            "name": "Checkout errors",
            "query": "url=checkout&has_errors=yes&page=3",
        },
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(organization=org_a)
    assert (saved.name, saved.query) == ("Checkout errors", "url=checkout&has_errors=yes")
    client.force_login(alice)
    html = client.get(sessions_url(org_a)).content.decode()
    assert "Checkout errors" in html
    assert "?url=checkout&amp;has_errors=yes" in html


def test_saving_a_filter_twice_under_one_name_is_refused_with_a_message(client, org_a, bob):
    client.force_login(bob)
    data = {"action": "save_filter", "name": "Mine", "query": "user=x"}
    client.post(sessions_url(org_a), data)
    response = client.post(sessions_url(org_a), data, follow=True)
    assert SavedFilter.objects.filter(organization=org_a).count() == 1
    assert "already exists" in response.content.decode()


def test_a_filter_without_conditions_is_not_saved(client, org_a, bob):
    client.force_login(bob)
    client.post(sessions_url(org_a), {"action": "save_filter", "name": "All", "query": "page=2"})
    client.post(
        sessions_url(org_a), {"action": "save_filter", "name": "Sorted", "query": "sort=-duration"}
    )
    assert not SavedFilter.objects.filter(organization=org_a).exists()


def test_a_filter_name_longer_than_80_characters_is_refused_with_a_message(client, org_a, bob):
    client.force_login(bob)
    data = {"action": "save_filter", "name": "x" * 81, "query": "user=x"}
    response = client.post(sessions_url(org_a), data, follow=True)
    assert "80 characters at most" in response.content.decode()
    assert not SavedFilter.objects.filter(organization=org_a).exists()


def test_deleting_a_saved_filter_without_a_valid_id_says_so_and_deletes_nothing(client, org_a, bob):
    SavedFilter.objects.create(organization=org_a, name="Kept", query="user=x")
    client.force_login(bob)
    for data in ({"action": "delete_filter", "filter_id": "x"}, {"action": "delete_filter"}):
        response = client.post(sessions_url(org_a), data, follow=True)
        assert "Missing or invalid id." in response.content.decode()
    response = client.post(sessions_url(org_a), {"action": "rename"}, follow=True)
    assert "Unknown action." in response.content.decode()
    assert SavedFilter.objects.filter(organization=org_a).count() == 1


def test_a_viewer_cannot_save_or_delete_filters(client, org_a, alice, vera):
    saved = SavedFilter.objects.create(organization=org_a, name="Kept", query="user=x")
    client.force_login(vera)
    assert (
        client.post(
            sessions_url(org_a), {"action": "save_filter", "name": "x", "query": "user=y"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            sessions_url(org_a), {"action": "delete_filter", "filter_id": saved.pk}
        ).status_code
        == 403
    )
    assert SavedFilter.objects.filter(organization=org_a).count() == 1


def test_a_member_cannot_delete_another_organizations_saved_filter(
    client, org_a, org_b, bob, charlie
):
    theirs = SavedFilter.objects.create(organization=org_b, name="Theirs", query="user=x")
    client.force_login(bob)
    client.post(sessions_url(org_a), {"action": "delete_filter", "filter_id": theirs.pk})
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()


def test_an_outsider_sees_none_of_the_organizations_sessions(
    client, org_a, alice, charlie, record_session
):
    record_session(org_a, user={"id": "secret-user"})
    client.force_login(charlie)
    assert client.get(sessions_url(org_a)).status_code == 404
    own = client.get(sessions_url(charlie.memberships.get().organization))
    assert b"secret-user" not in own.content


def test_home_lands_on_the_sessions_page(client, org_a, alice):
    client.force_login(alice)
    assert client.get("/")["Location"] == f"/o/{org_a.slug}/sessions/"


def test_the_has_ticket_filter_and_the_tickets_column(client, org_a, alice, record_session):
    from apps.tickets.services.links import ticket_link_session
    from apps.tickets.services.tickets import ticket_create

    reported = record_session(org_a, user={"id": "reporter"})
    quiet = record_session(org_a, user={"id": "quiet"})
    ticket = ticket_create(organization=org_a, source="zendesk", external_id="4711", subject="x")
    ticket_link_session(organization=org_a, ticket=ticket, session=reported)
    client.force_login(alice)
    assert listed(client.get(sessions_url(org_a, "has_ticket=yes"))) == [reported.session_id]
    assert listed(client.get(sessions_url(org_a, "has_ticket=no"))) == [quiet.session_id]
    rows = {r.session.session_id: r for r in client.get(sessions_url(org_a)).context["rows"]}
    assert rows[reported.session_id].ticket_label == "1 ticket"
    assert not rows[quiet.session_id].ticket_label
