"""The span and log processors copy the session id from baggage, and nothing else."""

from opentelemetry import baggage, context

import qorrelate_otel


def test_spans_and_logs_inside_a_session_carry_its_id(captured):
    with (
        qorrelate_otel.session("sess-1"),
        captured.tracer.start_as_current_span("parent"),
        captured.tracer.start_as_current_span("child"),
    ):
        captured.logger.info("inside")
    with captured.tracer.start_as_current_span("after"):
        captured.logger.info("outside")

    assert captured.span_sessions() == {"parent": "sess-1", "child": "sess-1", "after": None}
    assert captured.log_sessions() == {"inside": "sess-1", "outside": None}


def test_log_records_keep_the_trace_context_of_the_span(captured):
    with qorrelate_otel.session("sess-2"), captured.tracer.start_as_current_span("work") as span:
        captured.logger.warning("slow query")

    (record,) = captured.logs.get_finished_logs()
    assert record.log_record.trace_id == span.get_span_context().trace_id
    assert record.log_record.span_id == span.get_span_context().span_id


def test_other_baggage_entries_are_not_copied(captured):
    ctx = baggage.set_baggage("user.email", "alice@example.com")
    ctx = baggage.set_baggage("session.id", "sess-3", ctx)
    ctx = baggage.set_baggage("session.previous_id", "sess-0", ctx)
    token = context.attach(ctx)
    try:
        with captured.tracer.start_as_current_span("op"):
            captured.logger.info("line")
    finally:
        context.detach(token)

    (span,) = captured.spans.get_finished_spans()
    assert dict(span.attributes) == {"session.id": "sess-3", "session.previous_id": "sess-0"}
    (record,) = captured.logs.get_finished_logs()
    assert "user.email" not in record.log_record.attributes
    assert record.log_record.attributes["session.id"] == "sess-3"


def test_an_invalid_session_id_is_not_attached(captured):
    with (
        qorrelate_otel.session("bad id\n") as attached,
        captured.tracer.start_as_current_span("op"),
    ):
        pass

    assert attached is None
    assert captured.span_sessions() == {"op": None}


def test_baggage_properties_are_cut_from_the_session_id(captured):
    token = context.attach(baggage.set_baggage("session.id", "sess-4;p=1"))
    try:
        with captured.tracer.start_as_current_span("op"):
            pass
    finally:
        context.detach(token)

    assert captured.span_sessions() == {"op": "sess-4"}
