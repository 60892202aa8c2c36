"""Sending deliveries: a signed webhook to a real HTTP server, retries with backoff until it
answers 2xx, e-mail through Django's backend, the test button, and a task that runs twice
sends once."""

import hashlib
import hmac
import time

import orjson
import pytest
from django.core import mail

from apps.alerts.models import AlertDelivery
from apps.alerts.services import MAX_ATTEMPTS, alerts_evaluate, backoff_seconds, rule_create
from apps.alerts.signing import verify_signature
from apps.alerts.tasks import send_delivery
from tests.alerts.conftest import make_insight

pytestmark = pytest.mark.django_db


def _webhook_rule(organization, url):
    return rule_create(
        organization=organization,
        name="Team hook",
        kind="new_insight",
        channel="webhook",
        webhook_url=url,
    )


def _one_delivery(organization) -> AlertDelivery:
    make_insight(organization)
    (delivery,) = alerts_evaluate(organization=organization)
    return delivery


def _receiver_check(secret: str, header: str, body: bytes) -> bool:
    """What docs/alerts.md tells a receiver to do, written out independently."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(
        secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return abs(time.time() - int(fields["t"])) < 300 and hmac.compare_digest(expected, fields["v1"])


def test_a_webhook_reaches_a_real_server_with_a_signature_the_receiver_verifies(
    org_a, webhook_receiver
):
    rule = _webhook_rule(org_a, webhook_receiver.url)
    delivery = _one_delivery(org_a)
    assert send_delivery.apply(args=[org_a.pk, delivery.pk]).get() == "sent"

    (request,) = webhook_receiver.requests
    header, body = request["headers"]["X-Qorrelate-Signature"], request["body"]
    assert request["path"] == "/hooks/qorrelate"
    assert request["headers"]["Content-Type"] == "application/json"
    assert _receiver_check(rule.secret, header, body)
    assert verify_signature(secret=rule.secret, header=header, body=body, now=time.time())
    assert not _receiver_check("whsec_someone-else", header, body)
    assert not verify_signature(
        secret=rule.secret, header=header, body=body + b" ", now=time.time()
    )
    assert not verify_signature(
        secret=rule.secret, header=header, body=body, now=time.time() + 3600
    )
    # The delivery id is signed (in the body), not only in the header a receiver dedupes on.
    assert orjson.loads(body) == {**delivery.payload, "delivery_id": delivery.pk}
    assert request["headers"]["X-Qorrelate-Delivery"] == str(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 1, 200)
    assert delivery.sent_at is not None


def test_a_server_answering_500_then_200_is_retried_and_the_delivery_ends_sent(
    org_a, webhook_receiver
):
    webhook_receiver.statuses = [500, 200]
    _webhook_rule(org_a, webhook_receiver.url)
    delivery = _one_delivery(org_a)
    send_delivery.apply(args=[org_a.pk, delivery.pk])

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 2, 200)
    assert delivery.last_error == ""
    first, second = webhook_receiver.requests
    assert first["body"] == second["body"]
    assert first["headers"]["X-Qorrelate-Delivery"] == second["headers"]["X-Qorrelate-Delivery"]


def test_a_server_that_keeps_failing_is_tried_six_times_with_growing_waits_then_failed(
    org_a, webhook_receiver
):
    webhook_receiver.statuses = [503]
    _webhook_rule(org_a, webhook_receiver.url)
    delivery = _one_delivery(org_a)
    send_delivery.apply(args=[org_a.pk, delivery.pk])

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert delivery.response_code == 503
    assert "HTTP 503" in delivery.last_error
    assert len(webhook_receiver.requests) == MAX_ATTEMPTS
    assert [backoff_seconds(n) for n in range(1, MAX_ATTEMPTS)] == [30, 60, 120, 240, 480]


def test_an_unreachable_webhook_is_logged_with_the_reason(org_a):
    _webhook_rule(org_a, "http://127.0.0.1:9/nothing-listens-here")
    delivery = _one_delivery(org_a)
    from apps.alerts.services import delivery_attempt

    delivery = delivery_attempt(organization=org_a, delivery_id=delivery.pk)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("Could not reach the webhook")
    assert delivery.next_attempt_at is not None


def test_a_delivery_task_that_runs_twice_sends_once(org_a, webhook_receiver):
    _webhook_rule(org_a, webhook_receiver.url)
    delivery = _one_delivery(org_a)
    send_delivery.apply(args=[org_a.pk, delivery.pk])
    send_delivery.apply(args=[org_a.pk, delivery.pk])
    assert len(webhook_receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_a_delivery_task_with_another_organizations_id_sends_nothing(
    org_a, org_b, webhook_receiver
):
    _webhook_rule(org_a, webhook_receiver.url)
    delivery = _one_delivery(org_a)
    assert send_delivery.apply(args=[org_b.pk, delivery.pk]).get() is None
    assert webhook_receiver.requests == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_an_email_rule_sends_the_insight_through_djangos_email_backend(org_a, settings):
    settings.PUBLIC_URL = "https://qorrelate.example.test"
    rule_create(
        organization=org_a,
        name="Mail the team",
        kind="new_insight",
        channel="email",
        emails=["ops@acme.test", "oncall@acme.test"],
    )
    insight = make_insight(org_a, sessions=3)
    (delivery,) = alerts_evaluate(organization=org_a)
    send_delivery.apply(args=[org_a.pk, delivery.pk])

    (message,) = mail.outbox
    assert message.to == ["ops@acme.test", "oncall@acme.test"]
    assert message.subject == "[Qorrelate] New insight: Double submit on /checkout"
    assert insight.title in message.body
    assert "Sessions affected: 3" in message.body
    assert "Element: button#place-order “Place order”" in message.body
    assert f"https://qorrelate.example.test/o/{org_a.slug}/insights/{insight.pk}/" in message.body
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 1, None)


def test_the_minute_task_evaluates_and_sends_through_celery(
    org_a, webhook_receiver, eager_celery, django_capture_on_commit_callbacks
):
    from apps.alerts.tasks import evaluate_alerts

    _webhook_rule(org_a, webhook_receiver.url)
    make_insight(org_a)
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_alerts()
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_alerts()
    assert len(webhook_receiver.requests) == 1
    assert AlertDelivery.objects.get(organization=org_a).status == "sent"


def test_the_test_button_sends_a_sample_now_and_logs_it(client, org_a, alice, webhook_receiver):
    rule = _webhook_rule(org_a, webhook_receiver.url)
    client.force_login(alice)
    response = client.post(
        f"/o/{org_a.slug}/alerts/", {"action": "test", "rule_id": rule.pk}, follow=True
    )
    assert f"Test sent to {webhook_receiver.url}" in response.content.decode()
    (request,) = webhook_receiver.requests
    payload = orjson.loads(request["body"])
    assert payload["type"] == "alert.test" and payload["test"] is True
    assert payload["insight"]["kind"] == "double_submit"
    assert _receiver_check(
        rule.secret, request["headers"]["X-Qorrelate-Signature"], request["body"]
    )
    delivery = AlertDelivery.objects.get(organization=org_a)
    assert (delivery.reason, delivery.status, delivery.attempts) == ("test", "sent", 1)
    page = client.get(f"/o/{org_a.slug}/alerts/").content.decode()
    assert "Delivery log" in page and ">sent<" in page and "HTTP 200" in page


def test_a_failing_test_is_logged_as_failed_at_once_and_says_why(
    client, org_a, alice, webhook_receiver
):
    webhook_receiver.statuses = [404]
    rule = _webhook_rule(org_a, webhook_receiver.url)
    client.force_login(alice)
    response = client.post(
        f"/o/{org_a.slug}/alerts/", {"action": "test", "rule_id": rule.pk}, follow=True
    )
    assert "The test was not delivered: The webhook answered HTTP 404." in response.content.decode()
    delivery = AlertDelivery.objects.get(organization=org_a)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, 404)


def test_the_api_test_action_and_the_delivery_log(owner_client, org_a, alice):
    rule = rule_create(
        organization=org_a,
        name="Mail",
        kind="threshold",
        threshold_sessions=10,
        channel="email",
        emails=["ops@acme.test"],
    )
    response = owner_client.post(f"/api/v1/alert-rules/{rule.pk}/test")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reason"]) == ("sent", "test")
    assert (
        mail.outbox[0].subject
        == "[Qorrelate test] 1 session in an hour: Double submit on /checkout"
    )
    log = owner_client.get("/api/v1/alert-deliveries", {"rule_id": rule.pk}).json()["results"]
    assert [(d["rule_id"], d["status"], d["attempts"]) for d in log] == [(rule.pk, "sent", 1)]
    assert (
        owner_client.get("/api/v1/alert-deliveries", {"status": "failed"}).json()["results"] == []
    )


def test_a_webhook_to_a_private_address_is_refused_where_the_install_forbids_it(
    org_a, webhook_receiver, settings
):
    settings.ALERT_WEBHOOKS_ALLOW_PRIVATE = False
    _webhook_rule(org_a, webhook_receiver.url)
    delivery = _one_delivery(org_a)
    from apps.alerts.services import delivery_attempt

    delivery = delivery_attempt(organization=org_a, delivery_id=delivery.pk)
    assert webhook_receiver.requests == []
    assert "127.0.0.1, a private address" in delivery.last_error
    assert (delivery.status, delivery.attempts) == ("failed", 1)  # retrying cannot help


def test_a_webhook_host_that_resolves_public_then_private_is_connected_to_at_the_checked_address(
    org_a, webhook_receiver, settings, monkeypatch
):
    """DNS rebinding: a host that answers a public address when checked and a loopback one
    when connected to must never reach the loopback service."""
    import socket

    from apps.alerts import channels
    from apps.alerts.services import delivery_attempt

    settings.ALERT_WEBHOOKS_ALLOW_PRIVATE = False
    port = int(webhook_receiver.url.rsplit(":", 1)[1].split("/", 1)[0])
    answers = iter(["93.184.216.34"] + ["127.0.0.1"] * 10)
    lookups, connected = [], []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding_dns(host, *args, **kwargs):
        if host != "hooks.rebind.test":
            return real_getaddrinfo(host, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def connect(address, *args, **kwargs):
        connected.append(address[0])
        raise ConnectionRefusedError("not in this test")

    monkeypatch.setattr(channels.socket, "getaddrinfo", rebinding_dns)
    monkeypatch.setattr(channels.socket, "create_connection", connect)
    _webhook_rule(org_a, f"http://hooks.rebind.test:{port}/hook")
    delivery = delivery_attempt(organization=org_a, delivery_id=_one_delivery(org_a).pk)
    assert (lookups, connected) == (["hooks.rebind.test"], ["93.184.216.34"])
    assert webhook_receiver.requests == []
    assert "Could not reach the webhook" in delivery.last_error


@pytest.mark.parametrize(
    "address",
    [
        "0.0.0.0",
        "169.254.169.254",
        "::ffff:169.254.169.254",  # IPv4-mapped
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (Python 3.11 calls it global)
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "::127.0.0.1",  # IPv4-compatible (deprecated; Python 3.11 calls it global)
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "fe80::1",
    ],
)
def test_a_webhook_host_that_resolves_to_an_internal_address_in_any_form_is_refused(
    org_a, settings, monkeypatch, address
):
    """Decimal and octal forms (http://2130706433/, http://0177.0.0.1/) are resolved by
    getaddrinfo to the dotted address checked here; IPv6 forms carrying an internal IPv4
    address are refused too, and nothing is connected to."""
    import socket

    from apps.alerts import channels
    from apps.alerts.services import delivery_attempt

    settings.ALERT_WEBHOOKS_ALLOW_PRIVATE = False
    connected = []

    def dns(host, port, *args, **kwargs):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]

    monkeypatch.setattr(channels.socket, "getaddrinfo", dns)
    monkeypatch.setattr(channels.socket, "create_connection", lambda *a, **k: connected.append(a))
    _webhook_rule(org_a, "http://hooks.internal.test/hook")
    delivery = delivery_attempt(organization=org_a, delivery_id=_one_delivery(org_a).pk)
    assert connected == []
    assert "a private address" in delivery.last_error, delivery.last_error
    assert (delivery.status, delivery.attempts) == ("failed", 1)


def test_decimal_and_octal_ip_hosts_resolve_to_the_loopback_address_and_are_refused(
    org_a, settings
):
    from apps.alerts.services import delivery_attempt

    """The rule's URL validator refuses these forms; the channel refuses them anyway (a rule
    saved before, or a validator that changes)."""
    from apps.alerts.models import AlertRule

    settings.ALERT_WEBHOOKS_ALLOW_PRIVATE = False
    rule = _webhook_rule(org_a, "https://hooks.example.com/hook")
    delivery = _one_delivery(org_a)
    for url in ("http://2130706433/hook", "http://0177.0.0.1/hook", "http://0x7f.1/hook"):
        AlertRule.objects.filter(pk=rule.pk).update(webhook_url=url)
        AlertDelivery.objects.filter(pk=delivery.pk).update(status="pending", attempts=0)
        delivery = delivery_attempt(organization=org_a, delivery_id=delivery.pk)
        assert "127.0.0.1, a private address" in delivery.last_error, (url, delivery.last_error)


def test_a_pending_delivery_whose_message_was_lost_is_queued_again_by_the_minute_task(
    org_a, webhook_receiver, eager_celery, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from apps.alerts.tasks import evaluate_alerts

    _webhook_rule(org_a, webhook_receiver.url)
    delivery = _one_delivery(org_a)  # its message never reached a worker (not run here)
    AlertDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    evaluate_alerts()
    assert webhook_receiver.requests == []  # five minutes late may still be on its way

    AlertDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_alerts()
    assert len(webhook_receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_a_receiver_that_drips_its_answer_is_cut_off_at_the_total_deadline(org_a, monkeypatch):
    """Each read has its own timeout, so an answer sent a header line every 0.2 s never times
    out by itself: the whole request has a deadline (else a Send test holds a web worker)."""
    import socket
    import threading

    from apps.alerts import channels
    from apps.alerts.services import delivery_attempt

    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while not stop.wait(0.2):  # for up to 10 s, then the answer ends
            try:
                conn.sendall(b"X-Drip: a\r\n")
            except OSError:
                break
            if stop.is_set() or time.monotonic() - started > 10:
                break
        conn.close()

    started = time.monotonic()
    threading.Thread(target=drip, daemon=True).start()
    monkeypatch.setattr(channels, "TOTAL_SECONDS", 1)
    _webhook_rule(org_a, f"http://127.0.0.1:{listener.getsockname()[1]}/hook")
    try:
        delivery = delivery_attempt(organization=org_a, delivery_id=_one_delivery(org_a).pk)
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 5
    assert delivery.last_error == "The webhook did not answer within 1 s."
    assert (delivery.status, delivery.attempts) == ("pending", 1)  # tried again later


def test_the_deadline_cuts_the_connection_after_tls_has_taken_over_the_socket(monkeypatch):
    """TLS wraps the connected socket and detaches the original object (a shutdown on it would
    do nothing): the deadline acts on the connection itself."""
    import socket

    from apps.alerts import channels

    monkeypatch.setattr(channels, "TOTAL_SECONDS", 1)
    monkeypatch.setattr(channels.settings, "ALERT_WEBHOOKS_ALLOW_PRIVATE", True)
    listener = socket.create_server(("127.0.0.1", 0))  # accepts (backlog) and never answers
    channels._deadlines.timers = []
    sock = channels._connect("127.0.0.1", listener.getsockname()[1], 10, None)
    wrapped = socket.socket(fileno=sock.detach())  # what SSLContext.wrap_socket does
    wrapped.settimeout(10)
    started = time.monotonic()
    try:
        assert wrapped.recv(1) == b""  # cut at the deadline, not the 10 s read timeout
    finally:
        wrapped.close()
        listener.close()
        for timer, spare in channels._deadlines.timers:
            timer.cancel()
            spare.close()
    assert time.monotonic() - started < 5
