"""Evaluating the sampling rules of one session: pure functions over what is known about it.

The first enabled rule that matches decides, at that rule's rate; a session no rule matches is
sampled at the organization's normal rate. Rates are applied deterministically from a hash of
the session id (``hashing.sampled``). A session shorter than the minimum duration is dropped
unless an error or ticket rule keeps it.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from ..hashing import sampled
from ..models import ReasonCode, RuleKind

MAX_PATTERN_URLS = 200


@dataclass(frozen=True)
class Facts:
    session_id: str
    user_id: str = ""
    urls: tuple[str, ...] = ()
    duration_ms: int = 0
    uncaught_errors: int = 0
    console_errors: int = 0
    failed_requests: int = 0
    backend_errors: int = 0
    linked_to_ticket: bool = False
    event_names: frozenset[str] = frozenset()
    # (finding kind, its backend trace errored) of the session's findings (apps/insights).
    findings: frozenset[tuple[str, bool]] = frozenset()

    @property
    def frontend_errors(self) -> int:
        return self.uncaught_errors + self.console_errors + self.failed_requests


@dataclass(frozen=True)
class Rule:
    id: int | None
    kind: str
    name: str = ""
    rate: float = 100.0
    user_ids: tuple[str, ...] = ()
    user_pattern: str = ""
    url_pattern: str = ""
    event_name: str = ""
    identified_only: bool = False
    finding_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    keep: bool
    reason: str
    rule_id: int | None = None
    detail: str = ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _frontend_detail(facts: Facts) -> str:
    parts = []
    if facts.uncaught_errors:
        parts.append(_plural(facts.uncaught_errors, "uncaught error"))
    if facts.console_errors:
        parts.append(_plural(facts.console_errors, "console error"))
    if facts.failed_requests:
        parts.append(_plural(facts.failed_requests, "failed request"))
    return ", ".join(parts)


def segment_matches(rule: Rule, facts: Facts) -> bool:
    """Every condition the rule gives must hold; a rule with no condition matches nothing."""
    conditions = 0
    if rule.identified_only:
        conditions += 1
        if not facts.user_id:
            return False
    if rule.user_ids:
        conditions += 1
        if facts.user_id not in rule.user_ids:
            return False
    if rule.user_pattern:
        conditions += 1
        if not facts.user_id or not fnmatchcase(facts.user_id, rule.user_pattern):
            return False
    if rule.url_pattern:
        conditions += 1
        urls = facts.urls[:MAX_PATTERN_URLS]
        if not any(fnmatchcase(url, rule.url_pattern) for url in urls):
            return False
    if rule.event_name:
        conditions += 1
        if rule.event_name not in facts.event_names:
            return False
    return conditions > 0


BACKEND_ERROR_SUFFIX = "+backend_error"


def finding_matches(rule: Rule, facts: Facts) -> str | None:
    """The first of the rule's finding kinds the session has (a kind, or ``kind+backend_error``
    for that kind with an errored backend trace behind it), or None."""
    for wanted in rule.finding_kinds:
        kind, _, qualifier = wanted.partition("+")
        for found_kind, backend_error in sorted(facts.findings):
            if found_kind == kind and (not qualifier or backend_error):
                return wanted
    return None


def _match(rule: Rule, facts: Facts) -> tuple[str, str] | None:
    """(reason code, detail) when the rule applies to the session."""
    if rule.kind == RuleKind.FRONTEND_ERROR and facts.frontend_errors:
        return ReasonCode.FRONTEND_ERROR, _frontend_detail(facts)
    if rule.kind == RuleKind.BACKEND_ERROR and facts.backend_errors:
        return ReasonCode.BACKEND_ERROR, _plural(facts.backend_errors, "backend error span")
    if rule.kind == RuleKind.TICKET and facts.linked_to_ticket:
        return ReasonCode.TICKET, "linked to a support ticket"
    if rule.kind == RuleKind.FINDING:
        found = finding_matches(rule, facts)
        if found:
            kind, _, qualifier = found.partition("+")
            text = kind.replace("_", " ") + (" with a backend error" if qualifier else "")
            return ReasonCode.FINDING, text
    if rule.kind == RuleKind.SEGMENT and segment_matches(rule, facts):
        return ReasonCode.SEGMENT, f"segment “{rule.name or 'unnamed'}”"
    return None


def _rate_text(rate: float) -> str:
    return f"{rate:g} %"


def evaluate(
    facts: Facts, rules: list[Rule], *, normal_rate: float, min_duration_ms: int = 0
) -> Verdict:
    for rule in rules:
        matched = _match(rule, facts)
        if matched is None:
            continue
        reason, detail = matched
        if reason == ReasonCode.SEGMENT and facts.duration_ms < min_duration_ms:
            return _too_short(facts, min_duration_ms)
        keep = rule.rate >= 100 or sampled(facts.session_id, rule.rate)
        if rule.rate < 100:
            detail += f" at {_rate_text(rule.rate)}" + ("" if keep else ", not in the sample")
        return Verdict(keep, reason, rule.id, detail)
    if facts.duration_ms < min_duration_ms:
        return _too_short(facts, min_duration_ms)
    keep = normal_rate >= 100 or sampled(facts.session_id, normal_rate)
    detail = f"normal rate {_rate_text(normal_rate)}" + ("" if keep else ", not in the sample")
    return Verdict(keep, ReasonCode.NORMAL_RATE, None, detail)


def _too_short(facts: Facts, min_duration_ms: int) -> Verdict:
    return Verdict(
        False,
        ReasonCode.MIN_DURATION,
        None,
        f"{facts.duration_ms / 1000:.1f} s, shorter than the minimum {min_duration_ms / 1000:g} s",
    )
