"""Signals other apps may listen to (they sit above billing, so billing cannot call them)."""

from django.dispatch import Signal

# Sent after a subscription's plan changed (and committed), with ``organization``,
# ``old_plan`` and ``new_plan``. Retention, for one, narrows its policy on a downgrade.
plan_changed = Signal()
