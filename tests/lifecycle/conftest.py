import pytest


def put_on_plan(organization, code: str) -> None:
    """Billing's plans bound retention; most tests want the Team plan (errors up to 90 days,
    tickets 30 days after closing)."""
    from apps.billing.services import plan_by_code, subscription_change_plan

    subscription_change_plan(
        organization=organization, plan=plan_by_code(code=code), source="staff", force=True
    )


@pytest.fixture
def team_org(org_a):
    put_on_plan(org_a, "team")
    return org_a


from tests.lifecycle.live import s3_worker  # noqa: E402, F401
