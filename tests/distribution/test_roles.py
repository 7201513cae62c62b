"""One list of roles: the migrations that create the groups grant exactly ``roles.ACTIONS`` and
``roles.CASEWORK_GRANTS``, the groups in a migrated database hold exactly those permissions,
and the one check (``require``) says who may do what."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command

from councilperf.distribution import roles

pytestmark = pytest.mark.django_db


def granted() -> dict[str, set[tuple[str, str]]]:
    """role → the (app, codename) permissions its group holds in the database."""
    return {
        group.name: {
            (p.content_type.app_label, p.codename)
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=roles.ROLES)
    }


def expected() -> dict[str, set[tuple[str, str]]]:
    grants = {("distribution", code): who for code, who in roles.ACTIONS.items()}
    grants.update(roles.CASEWORK_GRANTS)
    return {role: {perm for perm, who in grants.items() if role in who} for role in roles.ROLES}


def test_the_migrations_grant_the_same_roles_as_the_code():
    created = importlib.import_module("councilperf.distribution.migrations.0002_roles")
    casework = importlib.import_module(
        "councilperf.distribution.migrations.0004_casework_role_permissions"
    )
    template = importlib.import_module(
        "councilperf.distribution.migrations.0009_edit_letter_template"
    )
    assert {**created.ACTIONS, **template.ACTIONS} == roles.ACTIONS
    assert not set(created.ACTIONS) & set(template.ACTIONS)  # each action granted once
    assert casework.GRANTS == roles.CASEWORK_GRANTS


def test_the_migrated_groups_hold_exactly_the_listed_permissions():
    assert granted() == expected()


def test_roles_are_made_again_after_a_flush_and_left_alone_when_present():
    call_command("flush", interactive=False, verbosity=0)  # post_migrate: ensure_roles
    assert granted() == expected()
    publisher = Group.objects.get(name=roles.PUBLISHER)
    extra = Permission.objects.get(codename="view_case")
    publisher.permissions.add(extra)
    roles.ensure_roles()
    assert ("casework", "view_case") in granted()[roles.PUBLISHER]  # present: not rebuilt
    Group.objects.filter(name=roles.ANALYST).delete()
    roles.ensure_roles()
    assert granted()[roles.ANALYST] == expected()[roles.ANALYST]


@pytest.mark.parametrize("role", roles.ROLES)
def test_each_role_may_do_exactly_its_actions(role):
    user = User.objects.create_user(username=f"a-{role}")
    user.groups.add(Group.objects.get(name=role))
    user = User.objects.get(pk=user.pk)  # a fresh permission cache
    for action, who in roles.ACTIONS.items():
        assert roles.allowed(user, action) is (role in who), action


def test_nobody_else_may_and_the_refusal_names_the_roles():
    inactive = SimpleNamespace(username="gone", is_active=False, has_perm=lambda perm: True)
    assert roles.allowed(inactive, "send_letters") is False
    assert roles.allowed(None, "send_letters") is False
    with pytest.raises(roles.NotAllowed) as refused:
        roles.require(None, "send_letters")
    assert str(refused.value) == (
        "anonymous may not send letters: needs the publisher or administrator role"
    )
    analyst = User.objects.create_user(username="ann")
    analyst.groups.add(Group.objects.get(name=roles.ANALYST))
    with pytest.raises(roles.NotAllowed, match=r"^ann may not approve year: needs the "):
        roles.require(User.objects.get(pk=analyst.pk), "approve_year")
    roles.require(User.objects.get(pk=analyst.pk), "freeze_year")  # allowed: no exception
    with pytest.raises(KeyError, match="unknown action 'fly'"):
        roles.allowed(analyst, "fly")


def test_the_permission_asked_is_the_actions_own():
    asked: list[str] = []

    def has_perm(perm: str) -> int:
        asked.append(perm)
        return 1  # truthy, not True: allowed() answers a bool

    user = SimpleNamespace(username="x", is_active=True, has_perm=has_perm)
    assert roles.allowed(user, "correct_year") is True
    assert asked == ["distribution.correct_year"]
