"""Staff roles as Django groups (created by a migration) and the one check every action uses.

- *analyst*: import casework, compute, freeze, generate and preview letters, edit the
  year's letter template;
- *publisher*: approve (and review the template), send, send again, correct (and preview,
  edit the template);
- *administrator*: everything.

A superuser may do everything too. Nothing here trusts the browser: each staff view and
each service call checks :func:`require` on the server.
"""

from __future__ import annotations

from typing import Protocol

ANALYST = "analyst"
PUBLISHER = "publisher"
ADMINISTRATOR = "administrator"

# action (a permission codename of distribution.YearCycle) -> the roles that may do it
ACTIONS: dict[str, tuple[str, ...]] = {
    "import_casework": (ANALYST, ADMINISTRATOR),
    "compute_statistics": (ANALYST, ADMINISTRATOR),
    "freeze_year": (ANALYST, ADMINISTRATOR),
    "preview_letters": (ANALYST, PUBLISHER, ADMINISTRATOR),
    "edit_letter_template": (ANALYST, PUBLISHER, ADMINISTRATOR),
    "approve_year": (PUBLISHER, ADMINISTRATOR),
    "send_letters": (PUBLISHER, ADMINISTRATOR),
    "resend_letter": (PUBLISHER, ADMINISTRATOR),
    "correct_year": (PUBLISHER, ADMINISTRATOR),
}
ROLES = (ANALYST, PUBLISHER, ADMINISTRATOR)
# casework permissions (app, codename) -> the roles that have them (upload in the admin)
CASEWORK_GRANTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("casework", "add_case"): (ANALYST, ADMINISTRATOR),
    ("casework", "view_importrun"): (ANALYST, ADMINISTRATOR),
    ("casework", "view_case"): (ANALYST, ADMINISTRATOR),
}


class NotAllowed(PermissionError):
    """The user's role does not allow the action (message for the user)."""


class _User(Protocol):
    username: str
    is_active: bool

    def has_perm(self, perm: str) -> bool: ...


def allowed(user: _User | None, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return bool(user is not None and user.is_active and user.has_perm(f"distribution.{action}"))


def require(user: _User | None, action: str) -> None:
    if not allowed(user, action):
        who = getattr(user, "username", "") or "anonymous"
        roles = " or ".join(ACTIONS[action])
        raise NotAllowed(f"{who} may not {action.replace('_', ' ')}: needs the {roles} role")


def ensure_roles(**signal: object) -> None:
    """Make the role groups and their permissions if they are missing.

    The migrations create them; this runs after every ``migrate`` and database flush (a
    ``post_migrate`` receiver), which empties tables without re-running data migrations.
    """
    from django.contrib.auth.models import Group, Permission

    if Group.objects.filter(name__in=ROLES).count() == len(ROLES):
        return
    grants = {("distribution", code): roles for code, roles in ACTIONS.items()}
    grants.update(CASEWORK_GRANTS)
    for (app, codename), roles in grants.items():
        permission = Permission.objects.filter(
            content_type__app_label=app, codename=codename
        ).first()
        for role in roles:
            group, _ = Group.objects.get_or_create(name=role)
            if permission is not None:
                group.permissions.add(permission)
