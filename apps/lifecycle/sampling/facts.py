"""What the decision needs to know about a chunk of sessions, in a few queries: the replay
index (errors, user, URLs, custom events), correlated backend errors (spans carrying the
session id with error status or HTTP 5xx) and ticket links."""

from apps.insights.selectors import session_finding_facts
from apps.orgs.models import Organization
from apps.replay.models import MarkKind, Session, TimelineMark
from apps.tickets.selectors import linked_session_pks
from apps.traces.selectors import session_backend_error_counts

from .rules import Facts


def custom_event_names(*, organization: Organization, sessions: list[Session]) -> dict[int, set]:
    names: dict[int, set] = {}
    rows = TimelineMark.objects.filter(
        organization=organization, session__in=sessions, kind=MarkKind.CUSTOM
    ).values_list("session_id", "label")
    for session_pk, label in rows:
        names.setdefault(session_pk, set()).add(label)
    return names


def facts_for(*, organization: Organization, sessions: list[Session]) -> dict[int, Facts]:
    backend = session_backend_error_counts(
        organization=organization, session_ids=[s.session_id for s in sessions]
    )
    linked = linked_session_pks(organization=organization, session_pks=[s.pk for s in sessions])
    events = custom_event_names(organization=organization, sessions=sessions)
    findings = session_finding_facts(
        organization=organization, session_pks=[s.pk for s in sessions]
    )
    return {
        s.pk: Facts(
            session_id=s.session_id,
            user_id=s.user_id,
            urls=tuple(s.urls or ()),
            duration_ms=s.duration_ms,
            uncaught_errors=s.uncaught_error_count,
            console_errors=s.console_error_count,
            failed_requests=s.failed_request_count,
            backend_errors=backend.get(s.session_id, 0),
            linked_to_ticket=s.pk in linked,
            event_names=frozenset(events.get(s.pk, ())),
            findings=frozenset(findings.get(s.pk, ())),
        )
        for s in sessions
    }
