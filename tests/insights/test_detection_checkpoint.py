"""A session read in passes, put away and resumed between them (as the sweep does while a
session is being recorded), finds exactly what one reading of the whole session finds."""

import pytest

from apps.insights.detect import Reading, checkpoint, detect, detect_timeline
from tests.insights.labelled_set import HELD_OUT_DIR, load


def _in_passes(batches) -> list:
    blob = None
    for seq, batch in enumerate(batches):
        saved = checkpoint.load(blob)
        assert bool(saved) == (blob is not None)
        reading = saved[""].reading if saved else Reading()
        reading.feed(batch["events"])
        blob = checkpoint.dump({"": checkpoint.Window(reading, seq, seq + 1)})
    return detect_timeline(checkpoint.load(blob)[""].reading.timeline())


def _key(findings):
    return [(f.kind, f.ts, f.duration, f.selector, f.sentence, f.evidence) for f in findings]


@pytest.mark.parametrize("directory", [None, HELD_OUT_DIR], ids=["labelled", "held-out"])
def test_reading_in_passes_with_checkpoints_finds_what_one_reading_finds(directory):
    sessions = load() if directory is None else load(HELD_OUT_DIR)
    assert sessions
    found = 0
    for session in sessions:
        whole = detect(session.events)
        assert _key(_in_passes(session.batches)) == _key(whole), session.name
        found += len(whole)
    assert found  # the set has findings to compare, not only empty lists


def test_a_checkpoint_that_does_not_parse_or_is_of_another_version_is_ignored():
    import orjson
    import zstandard

    assert checkpoint.load(b"not zstd") == {}
    assert checkpoint.load(None) == {}
    other = zstandard.ZstdCompressor().compress(orjson.dumps({"v": 999}))
    assert checkpoint.load(other) == {}
    broken = zstandard.ZstdCompressor().compress(
        orjson.dumps({"v": checkpoint.VERSION, "windows": {"": {"through": 1}}})
    )
    assert checkpoint.load(broken) == {}
    not_an_object = zstandard.ZstdCompressor().compress(orjson.dumps([1, 2]))
    assert checkpoint.load(not_an_object) == {}


def test_a_page_too_large_to_put_away_is_not_checkpointed(monkeypatch):
    monkeypatch.setattr(checkpoint, "MAX_NODES", 3)
    reading = Reading()
    reading.feed(load()[0].events)
    assert checkpoint.dump({"": checkpoint.Window(reading, 0, 1)}) is None
