"""Writes of the lifecycle domain. Import from here: ``from apps.lifecycle import services``."""

from .retention.orphans import orphans_sweep
from .retention.policy import policy_update as retention_policy_update
from .retention.run import retention_run
from .sampling.decide import sessions_decide
from .sampling.policy import (
    policy_update as sampling_policy_update,
)
from .sampling.policy import (
    rule_create,
    rule_delete,
    rule_move,
    rule_update,
)
from .sampling.purge import dropped_purge
from .sampling.rescue import session_rescue

__all__ = [
    "dropped_purge",
    "orphans_sweep",
    "retention_policy_update",
    "retention_run",
    "rule_create",
    "rule_delete",
    "rule_move",
    "rule_update",
    "sampling_policy_update",
    "session_rescue",
    "sessions_decide",
]
