"""The store layer keeps one copy of a retried span also when the rows are made while the COPY
writes them and the COPY runs in autocommit (as in a web process, outside any transaction)."""

import pytest
from django.db import connection

from apps.ingestion.otlp.spans import convert_spans
from apps.traces import storage
from apps.traces.models import Span
from tests.traces.otlp import span, traces_request

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_large_batch_streamed_after_a_stored_span_stores_only_the_new_ones(org_a):
    spans = [span(name=f"s{i}", attributes={"n": i, "text": "x" * 200}) for i in range(3000)]
    request = traces_request(spans)
    assert not connection.in_atomic_block  # the autocommit path, as in a web process
    first = storage.write_spans(
        organization_id=org_a.pk, rows=list(convert_spans(request).rows)[:1]
    )

    # The stored span comes first: PostgreSQL refuses the COPY at its first row, the rest are
    # written again through the staging table.
    stored = storage.write_spans(organization_id=org_a.pk, rows=convert_spans(request).rows)

    assert (first, stored) == (1, 2999)
    assert Span.objects.filter(organization=org_a).count() == 3000
    assert storage.write_spans(organization_id=org_a.pk, rows=convert_spans(request).rows) == 0
