"""Which session id a request carries: X-Session-ID first, then W3C baggage."""

import pytest

from qorrelate_otel import session_id_from_headers


def _get(headers):
    lowered = {k.lower(): v for k, v in headers.items()}
    return lowered.get


def test_x_session_id_is_read():
    assert session_id_from_headers(_get({"X-Session-ID": "abc-123"})) == "abc-123"


def test_the_baggage_header_is_read_when_there_is_no_x_session_id():
    headers = {"baggage": "userId=alice, session.id=5f0c7a1e-1111-4a4a-9b9b-123456789abc;p=1"}

    assert session_id_from_headers(_get(headers)) == "5f0c7a1e-1111-4a4a-9b9b-123456789abc"


def test_x_session_id_wins_over_baggage():
    headers = {"X-Session-ID": "from-header", "baggage": "session.id=from-baggage"}

    assert session_id_from_headers(_get(headers)) == "from-header"


@pytest.mark.parametrize(
    "value", ["", "   ", "has space", "x" * 129, "semi;colon", "new\nline", "é"]
)
def test_values_that_are_not_session_ids_are_ignored(value):
    assert session_id_from_headers(_get({"X-Session-ID": value})) is None


def test_no_headers_means_no_session():
    assert session_id_from_headers(_get({})) is None
    assert session_id_from_headers(_get({"baggage": "other=1"})) is None


def test_the_baggage_header_is_rewritten_to_carry_the_session_id():
    from qorrelate_otel.session import baggage_with_session

    assert baggage_with_session(None, "s-1") == "session.id=s-1"
    assert baggage_with_session("plan=pro, session.id=old;p=1", "s-1") == "plan=pro,session.id=s-1"
    assert baggage_with_session(" , ", "s-1") == "session.id=s-1"
