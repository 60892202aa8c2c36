"""The detectors on the labelled set of recorded sessions (benchmarks/insights_sessions/, made by
benchmarks/insights_labelled_set.py --record): precision and recall of every kind stay at 95 %
or more, so a change that makes a detector worse on real recordings fails here."""

import pytest

from apps.insights.detect import detect
from tests.insights.labelled_set import KINDS, load, score

BAR = 0.95


@pytest.fixture(scope="module")
def labelled():
    sessions = load()
    assert len(sessions) >= 30, "the labelled set is missing: see benchmarks/insights_sessions/"
    return sessions


def test_the_labelled_set_has_every_kind_and_pages_where_nothing_may_be_found(labelled):
    kinds = {e["kind"] for session in labelled for e in session.expected}
    assert kinds == set(KINDS)
    assert sum(1 for session in labelled if not session.expected) >= 10


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_found_with_precision_and_recall_of_at_least_95_percent(labelled, kind):
    scores, mistakes = score(labelled, detect)
    mine = [line for line in mistakes if f" {kind} at " in line]
    assert scores[kind].precision >= BAR, mine
    assert scores[kind].recall >= BAR, mine
