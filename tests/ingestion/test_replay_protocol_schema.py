"""The intake and the recorder protocol schema (apps/replay/protocol/recorder.schema.json, which
replay.js's unit tests validate against too) agree on what a batch is."""

import copy

import jsonschema
import pytest

from apps.replay.models import Batch
from apps.replay.protocol import SCHEMA
from tests.replay import rrweb

pytestmark = pytest.mark.django_db

BATCH = {**SCHEMA, "$ref": "#/$defs/batch"}
[EXAMPLE] = SCHEMA["$defs"]["batch"]["examples"]


def _example(org, **changes):
    batch = copy.deepcopy(EXAMPLE)
    batch.update(org=org.public_id, session_id=rrweb.new_session_id(), **changes)
    return batch


def _without(batch, name):
    return {key: value for key, value in batch.items() if key != name}


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schemas_example_batch_is_valid_and_accepted(org_a, post_batch):
    batch = _example(org_a)
    jsonschema.validate(batch, BATCH)
    response = post_batch(org_a, batch)
    assert response.status_code == 200, response.content
    assert Batch.objects.filter(
        organization=org_a, session__session_id=batch["session_id"]
    ).exists()


def test_the_test_suites_own_envelopes_are_valid_batches():
    jsonschema.validate(rrweb.envelope(rrweb.new_session_id(), 0, rrweb.page_load(rrweb.T0)), BATCH)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda b: _without(b, "session_id"), id="no session_id"),
        pytest.param(lambda b: _without(b, "seq"), id="no seq"),
        pytest.param(lambda b: {**b, "session_id": "short"}, id="session id too short"),
        pytest.param(lambda b: {**b, "session_id": "../../etc/passwd"}, id="unsafe session id"),
        pytest.param(lambda b: {**b, "previous_session_id": "a b"}, id="bad previous id"),
        pytest.param(lambda b: {**b, "seq": -1}, id="negative seq"),
        pytest.param(lambda b: {**b, "seq": 1_000_000_000}, id="seq too large"),
        pytest.param(lambda b: {**b, "seq": "3"}, id="seq as a string"),
        pytest.param(lambda b: {**b, "ended": "yes"}, id="ended not a boolean"),
        pytest.param(lambda b: {**b, "user": "alice"}, id="user not an object"),
        pytest.param(lambda b: {**b, "events": {}}, id="events not an array"),
        pytest.param(lambda b: {**b, "events": [{"type": "3", "timestamp": rrweb.T0}]}, id="type"),
        pytest.param(lambda b: {**b, "events": [{"type": 3, "timestamp": 12}]}, id="timestamp"),
        pytest.param(lambda b: {**b, "events": [{"type": 3}]}, id="no timestamp"),
    ],
)
def test_a_batch_the_schema_refuses_is_refused_and_nothing_is_stored(org_a, post_batch, spoil):
    batch = spoil(_example(org_a))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(batch, BATCH)
    response = post_batch(org_a, batch)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"]
    assert not Batch.objects.filter(organization=org_a).exists()
