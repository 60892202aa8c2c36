"""The labelled set of recorded sessions (benchmarks/insights_sessions/, made by
benchmarks/insights_labelled_set.py --record): each file holds the batches Chromium's replay.js
sent and the findings the session must yield (kind and moment, from the page's own marks). A
finding matches an expected one of the same kind within MATCH_MS; precision and recall are
counted per kind."""

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SET_DIR = ROOT / "benchmarks" / "insights_sessions"
HELD_OUT_DIR = ROOT / "benchmarks" / "insights_held_out"
MATCH_MS = 1_000
KINDS = (
    "double_submit",
    "invisible_error",
    "slow_page",
    "rage_click",
    "dead_click",
    "error_after_click",
)


@dataclass
class Labelled:
    name: str
    batches: list[dict]
    expected: list[dict]  # {"kind", "ts"}

    @property
    def events(self) -> list[dict]:
        return [event for batch in self.batches for event in batch["events"]]


def load(directory: Path = SET_DIR) -> list[Labelled]:
    sessions = []
    for path in sorted(directory.glob("*.json.gz")):
        data = json.loads(gzip.decompress(path.read_bytes()))
        sessions.append(Labelled(data["name"], data["batches"], data["expected"]))
    return sessions


def save(directory: Path, index: int, recording) -> Path:
    slug = "".join(c if c.isalnum() else "-" for c in recording.name.lower()).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    path = directory / f"{index:02d}-{slug[:60]}.json.gz"
    data = {"name": recording.name, "expected": recording.expected, "batches": recording.batches}
    path.write_bytes(gzip.compress(json.dumps(data, separators=(",", ":")).encode(), 9))
    return path


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def match(found: list[tuple[str, int]], expected: list[dict]):
    """Pairs findings with expected ones (same kind, within MATCH_MS, each used once, nearest
    first). Returns (matched pairs, unmatched findings, unmatched expected)."""
    pairs = sorted(
        (abs(ts - e["ts"]), i, j)
        for i, (kind, ts) in enumerate(found)
        for j, e in enumerate(expected)
        if kind == e["kind"] and abs(ts - e["ts"]) <= MATCH_MS
    )
    used_found, used_expected, matched = set(), set(), []
    for _, i, j in pairs:
        if i not in used_found and j not in used_expected:
            used_found.add(i)
            used_expected.add(j)
            matched.append((found[i], expected[j]))
    extra = [f for i, f in enumerate(found) if i not in used_found]
    missed = [e for j, e in enumerate(expected) if j not in used_expected]
    return matched, extra, missed


def score(sessions: list[Labelled], detect) -> tuple[dict[str, Score], list[str]]:
    """Runs ``detect(events)`` over every session; returns the score per kind and a line for
    every mistake."""
    scores = {kind: Score() for kind in KINDS}
    mistakes = []
    for session in sessions:
        found = [(f.kind, f.ts) for f in detect(session.events)]
        matched, extra, missed = match(found, session.expected)
        for (kind, _), _ in matched:
            scores.setdefault(kind, Score()).true_positives += 1
        for kind, ts in extra:
            scores.setdefault(kind, Score()).false_positives += 1
            mistakes.append(f"{session.name}: unexpected {kind} at {ts}")
        for e in missed:
            scores.setdefault(e["kind"], Score()).false_negatives += 1
            mistakes.append(f"{session.name}: missed {e['kind']} at {e['ts']}")
    return scores, mistakes
