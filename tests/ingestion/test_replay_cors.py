"""Cross-origin rules of the intake: the organization's allowed origins (empty: any origin)."""

import pytest

from apps.replay.models import Session
from tests.replay import rrweb
from tests.replay.fixtures import INTAKE, stored_keys

pytestmark = pytest.mark.django_db

SHOP = "https://shop.example.com"


def _batch():
    return rrweb.envelope(rrweb.new_session_id(), 0, rrweb.page_load(rrweb.T0))


def _preflight(client, organization, origin):
    return client.options(
        f"{INTAKE}?org={organization.public_id}",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_the_preflight_is_answered_for_any_origin_when_the_list_is_empty(client, org_a):
    response = _preflight(client, org_a, "https://anything.test")

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://anything.test"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Content-Type" in response["Access-Control-Allow-Headers"]
    assert int(response["Access-Control-Max-Age"]) > 0
    assert response["Vary"] == "Origin"


def test_the_preflight_is_answered_for_an_allowed_origin(client, org_a):
    org_a.allowed_origins = [SHOP]
    org_a.save()
    response = _preflight(client, org_a, SHOP)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == SHOP


def test_the_preflight_of_a_disallowed_origin_is_answered_so_the_refusal_can_be_read(client, org_a):
    org_a.allowed_origins = [SHOP]
    org_a.save()
    response = _preflight(client, org_a, "https://evil.test")

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://evil.test"


def test_a_batch_from_an_allowed_origin_is_stored_and_its_reply_is_readable(org_a, post_batch):
    org_a.allowed_origins = [SHOP]
    org_a.save()
    response = post_batch(org_a, _batch(), origin=SHOP)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SHOP
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    assert Session.objects.filter(organization=org_a).count() == 1


def test_a_batch_from_a_disallowed_origin_is_refused_and_not_stored(org_a, post_batch):
    org_a.allowed_origins = [SHOP]
    org_a.save()
    response = post_batch(org_a, _batch(), origin="https://shop.example.com.evil.test")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"
    assert "shop.example.com.evil.test" in response.json()["error"]["message"]
    # Readable by the recorder, which then stops and says why once in the console.
    assert response["Access-Control-Allow-Origin"] == "https://shop.example.com.evil.test"
    assert Session.objects.count() == 0 and stored_keys() == []


def test_origins_compare_case_insensitively_and_ignore_a_trailing_slash(org_a, post_batch):
    org_a.allowed_origins = ["https://Shop.Example.com/"]
    org_a.save()
    assert post_batch(org_a, _batch(), origin="https://shop.example.COM").status_code == 200


def test_a_wildcard_allows_subdomains_but_not_lookalikes(org_a, post_batch):
    org_a.allowed_origins = ["https://*.example.com"]
    org_a.save()
    assert post_batch(org_a, _batch(), origin="https://eu.example.com").status_code == 200
    assert post_batch(org_a, _batch(), origin="https://evilexample.com").status_code == 403
    assert post_batch(org_a, _batch(), origin="http://eu.example.com").status_code == 403


def test_the_null_origin_of_sandboxed_frames_is_refused_when_origins_are_listed(org_a, post_batch):
    org_a.allowed_origins = [SHOP]
    org_a.save()
    assert post_batch(org_a, _batch(), origin="null").status_code == 403


def test_server_to_server_posts_without_an_origin_are_not_subject_to_cors(org_a, post_batch):
    org_a.allowed_origins = [SHOP]
    org_a.save()
    response = post_batch(org_a, _batch())
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_errors_for_an_allowed_origin_are_readable_by_the_recorder(org_a, post_batch):
    response = post_batch(org_a, {"seq": 0}, origin=SHOP)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == SHOP


def test_the_origin_of_one_organization_does_not_open_another(org_a, org_b, post_batch):
    org_a.allowed_origins = [SHOP]
    org_a.save()
    org_b.allowed_origins = ["https://globex.test"]
    org_b.save()
    assert post_batch(org_b, _batch(), origin=SHOP).status_code == 403


def test_intake_replies_are_json_for_the_recorder_and_carry_no_page_policy(
    org_a, post_batch, client
):
    # A Content-Security-Policy governs documents; the intake's replies are never rendered, and
    # building the policy was a measurable share of a batch's CPU.
    accepted = post_batch(org_a, _batch(), origin=SHOP)
    refused = client.post(INTAKE, data=b"{}", content_type="application/json")

    assert accepted.status_code == 200
    assert refused.status_code == 400
    for response in (accepted, refused, _preflight(client, org_a, SHOP)):
        assert "Content-Security-Policy" not in response
        assert "Content-Security-Policy-Report-Only" not in response
