"""The Privacy page in a real browser, after a few weeks of audits (screenshot in
test-artifacts/); no planted secret is on the page."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.privacy import counters, services
from apps.privacy.models import Finding
from tests.conftest import PASSWORD
from tests.privacy import events as ev
from tests.privacy.recording import record_leaky

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _history(organization):
    """Findings spread over the last 30 days (copies of real ones, on other days)."""
    templates = {f.kind: f for f in Finding.objects.filter(organization=organization)}
    rng = random.Random(3)
    rows = []
    for back in range(1, 30):
        for n in range(rng.choice([0, 0, 1, 2, 3, 5])):
            kind = rng.choice(["card_number", "email", "email", "sensitive_input"])
            template = templates[kind]
            rows.append(
                Finding(
                    organization=organization,
                    session_id_text=template.session_id_text,
                    kind=kind,
                    location=template.location,
                    selector=template.selector,
                    excerpt=template.excerpt,
                    fingerprint=f"history-{back}-{n}",
                )
            )
    Finding.objects.bulk_create(rows)
    for i, finding in enumerate(Finding.objects.filter(fingerprint__startswith="history-")):
        back = int(finding.fingerprint.split("-")[1])
        Finding.objects.filter(pk=finding.pk).update(
            created_at=timezone.now() - timedelta(days=back, minutes=i)
        )
    today = timezone.now().date()
    for back in range(30):
        counters.add(
            organization_id=organization.pk,
            day=today - timedelta(days=back),
            amounts={
                "audit_sessions": rng.randint(80, 140),
                "audit_bytes": rng.randint(20, 60) * 10**6,
            },
        )


def test_the_privacy_page_shows_findings_over_time_without_any_secret(
    live_server, page, artifacts_dir, alice, org_a
):
    services.settings_update(organization=org_a, auto_redact=True)
    for _ in range(2):
        session = record_leaky(org_a)
        services.sessions_audit(organization=org_a, session_pks=[session.pk], scope="first")
    _history(org_a)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", alice.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/o/{org_a.slug}/privacy/")
    assert page.locator("h1").inner_text() == "Privacy"
    assert page.locator("text=Auto-redact on").is_visible()
    content = page.content()
    for secret in (ev.CARD, ev.EMAIL, ev.PASSWORD):
        assert secret not in content
    page.screenshot(path=str(artifacts_dir / "privacy-page.png"), full_page=True)
    page.screenshot(path=str(artifacts_dir / "privacy-page-top.png"))
