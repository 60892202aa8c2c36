"""REST API rate limits: per API key (or signed-in user) and per organization, counted
atomically in Redis, answered with a JSON 429 and Retry-After; X-Forwarded-For is believed only
from configured proxies."""

import threading

import pytest
import requests

from apps.core.clientip import client_ip, parse_networks
from apps.orgs.services import key_create

pytestmark = pytest.mark.django_db


def _statuses(client, count, **headers):
    return [client.get("/api/v1/organization", **headers).status_code for _ in range(count)]


def test_one_organizations_burst_never_gives_another_organizations_key_a_429(
    settings, api_key_client, org_a, org_b
):
    settings.API_THROTTLE_RATE = "5/day"
    busy, quiet = api_key_client(org_a), api_key_client(org_b)
    assert _statuses(busy, 8) == [200] * 5 + [429] * 3
    assert _statuses(quiet, 5) == [200] * 5


def test_over_the_limit_is_a_json_429_with_retry_after(settings, api_key_client, org_a):
    settings.API_KEY_THROTTLE_RATE = "2/min"
    client = api_key_client(org_a)
    _statuses(client, 2)
    response = client.get("/api/v1/organization")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_each_key_has_its_own_budget_inside_the_organizations(settings, api_key_client, org_a):
    settings.API_KEY_THROTTLE_RATE = "3/day"
    first, second = api_key_client(org_a), api_key_client(org_a)
    assert _statuses(first, 4) == [200, 200, 200, 429]
    assert _statuses(second, 3) == [200, 200, 200]


def test_signed_in_users_are_limited_per_user(settings, owner_client, member_client, org_a):
    settings.API_KEY_THROTTLE_RATE = "2/day"
    assert _statuses(owner_client, 3) == [200, 200, 429]
    assert _statuses(member_client, 2) == [200, 200]


def test_rotating_x_forwarded_for_does_not_bypass_the_limit(settings, api_key_client, org_a):
    settings.API_THROTTLE_RATE = "4/day"
    client = api_key_client(org_a)
    statuses = [
        client.get("/api/v1/organization", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(10)
    ]
    assert statuses == [200] * 4 + [429] * 6


def test_anonymous_callers_are_counted_by_address_and_the_header_is_ignored(client, settings):
    settings.API_ANON_THROTTLE_RATE = "3/day"
    statuses = [
        client.get(
            "/api/schema/", REMOTE_ADDR="192.0.2.77", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_configured_proxy_each_forwarded_client_has_its_own_budget(client, settings):
    settings.API_ANON_THROTTLE_RATE = "2/day"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    one = [client.get("/api/schema/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code]
    one += [client.get("/api/schema/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code]
    one += [client.get("/api/schema/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code]
    other = client.get("/api/schema/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
    assert (one, other) == ([200, 200, 429], 200)


PROXIES = parse_networks(["10.0.0.0/8", "127.0.0.1"])


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not our proxy: the header is a lie
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
        ("10.1.2.3", "6.6.6.6, 198.51.100.7, 10.0.0.5", "198.51.100.7"),  # spoofed left part
        ("10.1.2.3", "10.0.0.9, 10.0.0.5", "10.0.0.9"),  # only proxies: the farthest one
        ("10.1.2.3", "garbage, 198.51.100.7", "198.51.100.7"),
        ("10.1.2.3", "198.51.100.7:4711", "198.51.100.7"),
        ("10.1.2.3", "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_first_hop_right_of_the_trusted_proxies(
    remote, forwarded, expected
):
    assert client_ip(remote, forwarded, PROXIES) == expected


def test_with_no_proxies_configured_the_peer_address_is_the_client():
    assert client_ip("127.0.0.1", "198.51.100.7", ()) == "127.0.0.1"


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_clients_get_exactly_the_limit_through(settings, tmp_path, org_a):
    from tests.support.live import live_env, start_server

    _key, raw = key_create(organization=org_a, kind="api", name="load", created_by=None)
    env = live_env(settings, tmp_path, API_THROTTLE_RATE="40/day", API_KEY_THROTTLE_RATE="0")
    server = start_server(env, tmp_path / "gunicorn.log", extra_args=["--threads", "8"])
    statuses, lock = [], threading.Lock()
    barrier = threading.Barrier(16)

    def client():
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {raw}"
            barrier.wait()
            for _ in range(6):
                status = session.get(f"{server.url}/api/v1/organization", timeout=60).status_code
                with lock:
                    statuses.append(status)

    try:
        threads = [threading.Thread(target=client) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    assert len(statuses) == 96
    assert statuses.count(200) == 40, statuses
    assert statuses.count(429) == 56
