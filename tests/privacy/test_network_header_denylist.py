"""The organization's own network-header deny list: owners set it (page and API), members and
viewers read it, other organizations never see it; the intake replaces every denied header's
value (the always-denied names and the organization's) before anything is stored; the masking
audit reports a denied value found in a recording stored before; the install snippet carries
the list to the recorder (data-redact-headers)."""

import pytest

from apps.orgs.snippets import browser_snippet, script_tag
from apps.privacy.models import Finding
from apps.privacy.network_headers import network_header_denylist_set
from apps.privacy.services import session_audit_now
from apps.replay.models import Batch, Session
from apps.replay.services import IncomingBatch, batch_store
from apps.replay.storage import blobs
from tests.replay import rrweb
from tests.replay.rrweb import T0

pytestmark = pytest.mark.django_db
URL = "/api/v1/privacy/network-headers"
SECRET = "tenant-s3cr3t-0042"
BEARER = "Bearer abc.def.ghi-0042"


def _network_with_headers(ts):
    event = rrweb.network(ts, url="https://shop.test/api/pay")
    event["data"]["payload"]["request"] = {
        "headers": {
            "authorization": BEARER,
            "X-Tenant-Token": SECRET,
            "content-type": "application/json",
        },
        "body": None,
    }
    event["data"]["payload"]["response"] = {
        "headers": {"x-tenant-token": SECRET, "set-cookie": "[redacted]"},
        "body": None,
    }
    return event


def _stored_bytes(organization, session) -> bytes:
    keys = Batch.objects.filter(organization=organization, session=session).values_list(
        "key", flat=True
    )
    return b"".join(blobs.get(key) for key in keys)  # decompressed


def test_an_owner_sets_the_list_and_reads_it_back_lower_cased_and_sorted(owner_client, org_a):
    response = owner_client.put(
        URL, {"headers": ["X-Tenant-Token", "x-customer-ref", "Authorization", ""]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "always": ["authorization", "cookie", "set-cookie", "x-api-key"],
        "headers": ["x-customer-ref", "x-tenant-token"],
    }
    org_a.refresh_from_db()
    assert org_a.network_header_denylist == ["x-customer-ref", "x-tenant-token"]


def test_a_member_and_a_viewer_read_the_list_but_cannot_change_it(
    member_client, viewer_client, org_a
):
    network_header_denylist_set(organization=org_a, headers=["x-tenant-token"])
    for client in (member_client, viewer_client):
        assert client.get(URL).json()["headers"] == ["x-tenant-token"]
        response = client.put(URL, {"headers": []}, format="json")
        assert response.status_code == 403
        assert "error" in response.json()
    org_a.refresh_from_db()
    assert org_a.network_header_denylist == ["x-tenant-token"]


def test_an_outsider_neither_reads_nor_changes_another_organizations_list(
    outsider_client, org_a, alice
):
    network_header_denylist_set(organization=org_a, headers=["x-tenant-token"])
    header = {"HTTP_X_QORRELATE_ORGANIZATION": org_a.slug}
    assert outsider_client.get(URL, **header).status_code in (403, 404)
    response = outsider_client.put(URL, {"headers": []}, format="json", **header)
    assert response.status_code in (403, 404)
    org_a.refresh_from_db()
    assert org_a.network_header_denylist == ["x-tenant-token"]


def test_a_name_that_is_not_a_header_name_is_refused_and_nothing_changes(owner_client, org_a):
    response = owner_client.put(URL, {"headers": ["x-ok", "bad name: yes"]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_header_name"
    assert owner_client.put(URL, {"headers": "x-ok"}, format="json").status_code == 400
    org_a.refresh_from_db()
    assert org_a.network_header_denylist == []


def test_only_an_owner_changes_the_list_on_the_settings_page(client, org_a, alice, bob):
    page = f"/o/{org_a.slug}/privacy/network-headers/"
    client.force_login(bob)
    assert client.get(page).status_code == 200
    assert client.post(page, {"headers": "x-bob"}).status_code == 403
    client.force_login(alice)
    response = client.post(page, {"headers": "X-Tenant-Token\nx-customer-ref"})
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.network_header_denylist == ["x-customer-ref", "x-tenant-token"]
    assert b"x-tenant-token" in client.get(f"/o/{org_a.slug}/privacy/").content


def test_the_intake_stores_no_byte_of_a_denied_headers_value(org_a, post_batch):
    network_header_denylist_set(organization=org_a, headers=["x-tenant-token"])
    sid = rrweb.new_session_id()
    body = rrweb.envelope(sid, 0, [*rrweb.page_load(T0), _network_with_headers(T0 + 100)])
    assert post_batch(org_a, body).status_code == 200

    session = Session.objects.get(organization=org_a, session_id=sid)
    stored = _stored_bytes(org_a, session)
    assert SECRET.encode() not in stored and b"abc.def.ghi" not in stored
    assert b'"X-Tenant-Token":"[redacted]"' in stored
    assert b'"content-type":"application/json"' in stored


def test_another_organizations_list_does_not_apply(org_a, org_b, post_batch):
    network_header_denylist_set(organization=org_b, headers=["x-tenant-token"])
    sid = rrweb.new_session_id()
    body = rrweb.envelope(sid, 0, [*rrweb.page_load(T0), _network_with_headers(T0 + 100)])
    post_batch(org_a, body)
    stored = _stored_bytes(org_a, Session.objects.get(organization=org_a, session_id=sid))
    assert SECRET.encode() in stored  # org_a denies only the fixed names
    assert b"abc.def.ghi" not in stored


def test_the_audit_reports_a_denied_value_stored_before_the_name_was_denied(org_a):
    sid = rrweb.new_session_id()
    events = [*rrweb.page_load(T0), _network_with_headers(T0 + 100)]
    batch_store(organization=org_a, incoming=IncomingBatch(session_id=sid, seq=0, events=events))
    network_header_denylist_set(organization=org_a, headers=["x-tenant-token"])

    session_audit_now(organization=org_a, session_id=sid)

    found = Finding.objects.filter(organization=org_a, kind="denied_header")
    locations = sorted(f.location for f in found)
    assert locations == [
        "custom:qorrelate.network.headers.X-Tenant-Token",
        "custom:qorrelate.network.headers.authorization",
        "custom:qorrelate.network.headers.x-tenant-token",
    ]
    assert all(SECRET not in f.excerpt and "abc.def" not in f.excerpt for f in found)


def test_the_install_snippets_carry_the_list_to_the_recorder(org_a):
    assert "data-redact-headers" not in script_tag(org_a, "https://q.example")
    network_header_denylist_set(organization=org_a, headers=["x-tenant-token", "x-b"])
    assert 'data-redact-headers="x-b, x-tenant-token"' in script_tag(org_a, "https://q.example")
    assert "redactHeaders: 'x-b, x-tenant-token'" in browser_snippet(org_a, "https://q.example")
