"""The finding kinds, defined once in the recorder protocol schema (mark kinds with
``x-finding``): the player draws them, the session filter offers them, the detectors report them."""

from apps.replay.protocol import FINDING_KINDS, MARK_KINDS

LABELS = dict(MARK_KINDS)
CHOICES = [(kind, LABELS[kind]) for kind in FINDING_KINDS]
# Kinds the per-batch analysis marks too; the whole-session pass replaces those marks.
CLICK_MARK_KINDS = ("rage_click", "dead_click")
