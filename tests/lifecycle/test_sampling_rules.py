"""The rule evaluation itself: order, rates, segments, minimum duration (pure functions)."""

from apps.lifecycle.hashing import bucket, sampled
from apps.lifecycle.models import ReasonCode, RuleKind
from apps.lifecycle.sampling.rules import Facts, Rule, evaluate

DEFAULTS = [
    Rule(1, RuleKind.FRONTEND_ERROR),
    Rule(2, RuleKind.BACKEND_ERROR),
    Rule(3, RuleKind.TICKET),
]


def test_a_session_with_an_uncaught_error_is_kept_by_the_frontend_error_rule():
    verdict = evaluate(Facts("s-1234567", uncaught_errors=1), DEFAULTS, normal_rate=0)
    assert verdict.keep and verdict.reason == ReasonCode.FRONTEND_ERROR and verdict.rule_id == 1
    assert verdict.detail == "1 uncaught error"


def test_a_backend_error_alone_is_kept_by_the_backend_rule():
    verdict = evaluate(Facts("s-1234567", backend_errors=2), DEFAULTS, normal_rate=0)
    assert verdict.keep and verdict.reason == ReasonCode.BACKEND_ERROR
    assert verdict.detail == "2 backend error spans"


def test_the_first_matching_rule_wins_and_is_recorded():
    facts = Facts("s-1234567", console_errors=1, backend_errors=1, linked_to_ticket=True)
    assert evaluate(facts, DEFAULTS, normal_rate=0).reason == ReasonCode.FRONTEND_ERROR
    reordered = [DEFAULTS[2], DEFAULTS[0], DEFAULTS[1]]
    assert evaluate(facts, reordered, normal_rate=0).reason == ReasonCode.TICKET


def test_the_rest_is_sampled_at_the_normal_rate_deterministically():
    ids = [f"session-{i:05d}" for i in range(2000)]
    kept = [i for i in ids if evaluate(Facts(i), DEFAULTS, normal_rate=25).keep]
    assert 400 < len(kept) < 600
    assert kept == [i for i in ids if evaluate(Facts(i), DEFAULTS, normal_rate=25).keep]
    assert all(sampled(i, 50) for i in kept)  # a higher rate keeps a superset


def test_zero_and_hundred_percent_are_exact():
    assert not evaluate(Facts("any-session-1"), DEFAULTS, normal_rate=0).keep
    assert evaluate(Facts("any-session-1"), DEFAULTS, normal_rate=100).keep
    assert all(0 <= bucket(f"x-{i}") < 100 for i in range(100))


def test_segment_rules_match_on_every_condition_they_give_at_their_own_rate():
    beta = Rule(9, RuleKind.SEGMENT, name="Beta", rate=100, user_pattern="beta-*")
    checkout = Rule(10, RuleKind.SEGMENT, name="Checkout", rate=0, url_pattern="*/checkout*")
    rules = [*DEFAULTS, beta, checkout]
    verdict = evaluate(Facts("sess-00001", user_id="beta-42"), rules, normal_rate=0)
    assert verdict.keep and verdict.reason == ReasonCode.SEGMENT and verdict.rule_id == 9
    shop = Facts("sess-00002", urls=("https://shop.test/checkout/pay",))
    verdict = evaluate(shop, rules, normal_rate=100)
    assert not verdict.keep and verdict.rule_id == 10 and "not in the sample" in verdict.detail


def test_segment_conditions_user_list_event_and_identified_only():
    vip = Rule(1, RuleKind.SEGMENT, user_ids=("u1", "u2"))
    event = Rule(2, RuleKind.SEGMENT, event_name="upgrade_clicked")
    identified = Rule(3, RuleKind.SEGMENT, identified_only=True)
    assert evaluate(Facts("sess-1111", user_id="u2"), [vip], normal_rate=0).keep
    assert not evaluate(Facts("sess-1111", user_id="u3"), [vip], normal_rate=0).keep
    facts = Facts("sess-1111", event_names=frozenset({"upgrade_clicked"}))
    assert evaluate(facts, [event], normal_rate=0).keep
    assert evaluate(Facts("sess-1111", user_id="x"), [identified], normal_rate=0).keep
    assert not evaluate(Facts("sess-1111"), [identified], normal_rate=0).keep
    assert not evaluate(Facts("sess-1111"), [Rule(4, RuleKind.SEGMENT)], normal_rate=0).keep


def test_a_short_session_is_dropped_unless_an_error_keeps_it():
    short = Facts("sess-short-1", duration_ms=900)
    verdict = evaluate(short, DEFAULTS, normal_rate=100, min_duration_ms=5000)
    assert not verdict.keep and verdict.reason == ReasonCode.MIN_DURATION
    erred = Facts("sess-short-1", duration_ms=900, uncaught_errors=1)
    assert evaluate(erred, DEFAULTS, normal_rate=100, min_duration_ms=5000).keep


FINDINGS = Rule(
    4, RuleKind.FINDING, finding_kinds=("double_submit+backend_error", "invisible_error")
)


def test_an_invisible_error_keeps_the_session_by_the_finding_rule():
    facts = Facts("s-1234567", findings=frozenset({("invisible_error", False)}))
    verdict = evaluate(facts, [*DEFAULTS, FINDINGS], normal_rate=0)
    assert verdict.keep and verdict.reason == ReasonCode.FINDING and verdict.rule_id == 4
    assert verdict.detail == "invisible error"


def test_a_double_submit_is_kept_only_with_its_backend_error_by_the_default_rule():
    with_error = Facts("s-1234567", findings=frozenset({("double_submit", True)}))
    without = Facts("s-1234567", findings=frozenset({("double_submit", False)}))
    verdict = evaluate(with_error, [FINDINGS], normal_rate=0)
    assert verdict.keep and verdict.detail == "double submit with a backend error"
    assert evaluate(without, [FINDINGS], normal_rate=0).reason == ReasonCode.NORMAL_RATE


def test_a_finding_rule_says_its_kinds_in_words():
    from apps.lifecycle.models import SamplingRule

    rule = SamplingRule(finding_kinds=["double_submit+backend_error", "invisible_error"])
    assert rule.finding_kinds_text == "a double submit with a backend error or an invisible error"
    assert SamplingRule(finding_kinds=[]).finding_kinds_text == ""
