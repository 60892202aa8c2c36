"""Who may give, change or take away which role: the one check every path that writes a
membership goes through (inviting and accepting an invitation, changing a role, removing a
member; through the API and the dashboard alike).

Rules: admins and owners manage members; nobody grants a role above their own; only an owner
grants the owner role, changes an owner's role or removes an owner. An invitation is honoured
only if its sender could still grant its role when it is accepted.
"""

from apps.core.errors import DomainError, PermissionDenied

from .models import ROLE_RANK, Role, role_at_least

OWNER_ONLY = "Only an owner can grant or take away the owner role."


def _check_manager(acting_role: str | None) -> str:
    if acting_role not in Role.values or not role_at_least(acting_role, Role.ADMIN):
        raise PermissionDenied("Only admins and owners manage members.")
    return acting_role


def check_role_grant(*, acting_role: str | None, role: str, current_role: str | None = None):
    """Raise unless ``acting_role`` may give ``role`` (to someone who now has ``current_role``,
    or to a newcomer when it is None)."""
    if role not in Role.values:
        raise DomainError(f"Unknown role {role!r}.", code="invalid_role")
    acting_role = _check_manager(acting_role)
    if Role.OWNER in (role, current_role) and acting_role != Role.OWNER:
        raise PermissionDenied(OWNER_ONLY)
    if not role_at_least(acting_role, role):
        raise PermissionDenied(f"Only an {role} or above can grant the {role} role.")


def check_removal(*, acting_role: str | None, current_role: str) -> None:
    acting_role = _check_manager(acting_role)
    if current_role == Role.OWNER and acting_role != Role.OWNER:
        raise PermissionDenied("Only an owner can remove an owner.")


def grantable_roles(acting_role: str | None) -> list[str]:
    """The roles ``acting_role`` may give, highest first (for the dashboard's choices)."""
    allowed = []
    for role in sorted(Role.values, key=lambda r: -ROLE_RANK[Role(r)]):
        try:
            check_role_grant(acting_role=acting_role, role=role)
        except DomainError:
            continue
        allowed.append(role)
    return allowed


def can_manage(*, acting_role: str | None, current_role: str) -> bool:
    try:
        check_removal(acting_role=acting_role, current_role=current_role)
    except DomainError:
        return False
    return True
