import pytest
import requests

from tests.traces.conftest import replay_session  # noqa: F401  (a recorded session row)


@pytest.fixture
def live_api(live_qorrelate, org_a):
    """``live_api(path)`` → the JSON of a GET on the live server with an API key of org A."""
    from apps.orgs.services import key_create

    _key, raw = key_create(organization=org_a, kind="api", name="sdk tests", created_by=None)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {raw}"

    def get(path, expected=200):
        response = session.get(live_qorrelate.url + path, timeout=10)
        assert response.status_code == expected, (path, response.text, live_qorrelate.output())
        return response.json()

    return get
