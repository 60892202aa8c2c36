"""telemetry_delete_before: the retention primitive deletes one organization's old rows only."""

import pytest

from apps.traces.models import LogRecord, Span
from apps.traces.services import telemetry_delete_before
from tests.traces.otlp import log_record, span

pytestmark = pytest.mark.django_db

CUTOFF = 1_700_000_000_000_000_000


def test_old_spans_and_logs_of_one_organization_are_deleted_in_batches(
    org_a, org_b, org_a_ingest_key, ingest_key, send_spans, send_logs
):
    old, new = CUTOFF - 1, CUTOFF
    send_spans(org_a_ingest_key, [span(name=f"old{i}", start_ns=old) for i in range(5)])
    send_spans(org_a_ingest_key, [span(name="new", start_ns=new)])
    send_logs(org_a_ingest_key, [log_record(time_ns=old), log_record(time_ns=new)])
    send_spans(ingest_key(org_b), [span(name="b-old", start_ns=old)])

    deleted = telemetry_delete_before(organization=org_a, before_unix_nano=CUTOFF, batch_size=2)

    assert deleted == (5, 1)
    assert list(Span.objects.filter(organization=org_a).values_list("name", flat=True)) == ["new"]
    assert LogRecord.objects.filter(organization=org_a).count() == 1
    assert Span.objects.filter(organization=org_b).count() == 1
