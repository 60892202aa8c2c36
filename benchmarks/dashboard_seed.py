"""Seed data for the dashboard benchmark: one organization with N sessions (with timeline
marks and trace ids), spans and logs for a fifth of them, one detailed session, saved filters.
Everything goes in with bulk inserts; run inside a configured Django."""

import random
import uuid
from datetime import UTC, datetime, timedelta

DAY_MS = 86_400_000
BROWSERS = [("Chrome", 55), ("Safari", 18), ("Mobile Safari", 10), ("Firefox", 8), ("Edge", 9)]
ERRORS = [
    "TypeError: Cannot read properties of undefined (reading 'price')",
    "ChunkLoadError: Loading chunk 42 failed",
    "POST /api/orders failed: 500",
    "ReferenceError: gtag is not defined",
]


def _pick(rng, weighted):
    total = sum(w for _, w in weighted)
    roll = rng.uniform(0, total)
    for value, weight in weighted:
        roll -= weight
        if roll <= 0:
            return value
    return weighted[-1][0]


def seed(organization, *, sessions: int, seed_value: int = 7, batch: int = 5000) -> dict:
    from apps.dashboard.models import SavedFilter
    from apps.replay.models import Session, SessionTrace, TimelineMark
    from apps.traces.models import LogRecord, Span

    rng = random.Random(seed_value)
    now_ms = int(datetime.now(tz=UTC).timestamp() * 1000)
    created = 0
    detail_sid = None
    while created < sessions:
        rows = []
        for _ in range(min(batch, sessions - created)):
            start = now_ms - rng.randint(0, 30 * DAY_MS)
            duration = int(min(rng.lognormvariate(11.5, 1.1), 4 * 3_600_000))
            urls = [
                f"https://shop.example/{rng.choice(['products', 'cart', 'checkout', 'blog'])}/"
                f"{rng.randint(1, 5000)}"
                for _ in range(rng.randint(1, 8))
            ]
            errors = rng.random() < 0.15
            error_lines = rng.sample(ERRORS, rng.randint(1, 2)) if errors else []
            rows.append(
                Session(
                    organization=organization,
                    session_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    user_id=f"user-{rng.randint(1, 20000)}" if rng.random() < 0.7 else "",
                    started_at=datetime.fromtimestamp(start / 1000, tz=UTC),
                    last_seen_at=datetime.fromtimestamp((start + duration) / 1000, tz=UTC),
                    start_ms=start,
                    end_ms=start + duration,
                    duration_ms=duration,
                    active_ms=int(duration * rng.uniform(0.1, 0.9)),
                    entry_url=urls[0],
                    urls=urls,
                    url_text="\n".join(urls),
                    page_count=len(urls),
                    browser=_pick(rng, BROWSERS),
                    os="Mac OS X",
                    device_type="desktop",
                    click_count=rng.randint(0, 80),
                    rage_click_count=1 if rng.random() < 0.05 else 0,
                    console_error_count=len(error_lines),
                    error_count=len(error_lines),
                    error_text="\n".join(error_lines),
                    event_count=rng.randint(50, 5000),
                    batch_count=rng.randint(1, 40),
                    sdk="qorrelate-js/0.1.0",
                )
            )
        Session.objects.bulk_create(rows, batch_size=batch)
        created += len(rows)

    pks = list(
        Session.objects.filter(organization=organization).values_list(
            "pk", "start_ms", "duration_ms", "session_id"
        )
    )
    marks, traces, spans, logs = [], [], [], []
    for pk, start, duration, sid in pks:
        for _ in range(rng.randint(1, 4)):
            kind = rng.choice(
                ["navigation", "navigation", "console_error", "failed_request", "rage_click"]
            )
            marks.append(
                TimelineMark(
                    organization=organization,
                    session_id=pk,
                    ts_ms=start + rng.randint(0, max(duration, 1)),
                    kind=kind,
                    label=kind,
                )
            )
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 3)):
                trace_id = f"{rng.getrandbits(128):032x}"
                at = start + rng.randint(0, max(duration, 1))
                traces.append(
                    SessionTrace(
                        organization=organization, session_id=pk, trace_id=trace_id, ts_ms=at
                    )
                )
                spans.extend(_trace_spans(rng, organization, trace_id, sid, at))
                logs.append(_log(organization, trace_id, sid, at))
        if len(marks) >= batch * 4:
            TimelineMark.objects.bulk_create(marks, batch_size=batch)
            SessionTrace.objects.bulk_create(traces, batch_size=batch)
            Span.objects.bulk_create(spans, batch_size=batch)
            LogRecord.objects.bulk_create(logs, batch_size=batch)
            marks, traces, spans, logs = [], [], [], []
    TimelineMark.objects.bulk_create(marks, batch_size=batch)
    SessionTrace.objects.bulk_create(traces, batch_size=batch)
    Span.objects.bulk_create(spans, batch_size=batch)
    LogRecord.objects.bulk_create(logs, batch_size=batch)

    # The session the detail page opens: long, many moments, many traces and logs.
    detail = Session.objects.filter(organization=organization).order_by("-started_at").first()
    detail_sid = detail.session_id
    detail_traces = []
    for i in range(40):
        trace_id = f"{rng.getrandbits(128):032x}"
        at = detail.start_ms + i * 5000
        detail_traces.append(trace_id)
        Span.objects.bulk_create(_trace_spans(rng, organization, trace_id, detail_sid, at, count=8))
        LogRecord.objects.bulk_create(
            [_log(organization, trace_id, detail_sid, at + j) for j in range(5)]
        )
        SessionTrace.objects.create(
            organization=organization, session=detail, trace_id=trace_id, ts_ms=at
        )
    TimelineMark.objects.bulk_create(
        [
            TimelineMark(
                organization=organization,
                session=detail,
                ts_ms=detail.start_ms + i * 900,
                kind="navigation",
                label=f"/page/{i}",
            )
            for i in range(200)
        ]
    )
    for name, query in [
        ("Checkout errors", "url=checkout&has_errors=yes"),
        ("Long sessions", "min_duration=600"),
    ]:
        SavedFilter.objects.create(organization=organization, name=name, query=query)
    return {
        "detail_session": detail_sid,
        "detail_trace": detail_traces[0],
        "spans": Span.objects.filter(organization=organization).count(),
    }


def _trace_spans(rng, organization, trace_id, session_id, at_ms, count=None):
    from apps.traces.models import Span

    n = count or rng.randint(2, 6)
    start = at_ms * 1_000_000
    root = f"{rng.getrandbits(64):016x}"
    failed = rng.random() < 0.1
    out = []
    for i in range(n):
        span_start = start + i * 2_000_000
        out.append(
            Span(
                organization=organization,
                trace_id=trace_id,
                span_id=root if i == 0 else f"{rng.getrandbits(64):016x}",
                parent_span_id="" if i == 0 else root,
                name="POST /api/orders"
                if i == 0
                else rng.choice(["SELECT orders", "charge card", "render"]),
                kind=2 if i == 0 else 1,
                status_code=2 if failed and i == 0 else 0,
                service_name="checkout-api",
                start_time_unix_nano=span_start,
                end_time_unix_nano=span_start + rng.randint(1, 80) * 1_000_000,
                duration_ns=0,
                attributes={"session.id": session_id, "http.route": "/api/orders"},
                resource_attributes={"service.name": "checkout-api"},
                session_id=session_id,
                http_status_code=(500 if failed else 200) if i == 0 else None,
                is_error=failed and i == 0,
            )
        )
    return out


def _log(organization, trace_id, session_id, at_ms):
    from apps.traces.models import LogRecord

    return LogRecord(
        organization=organization,
        time_unix_nano=at_ms * 1_000_000,
        severity_number=9,
        severity_text="INFO",
        body="placing order",
        trace_id=trace_id,
        session_id=session_id,
        service_name="checkout-api",
    )


def since(days: int) -> str:
    return (datetime.now(tz=UTC) - timedelta(days=days)).date().isoformat()
