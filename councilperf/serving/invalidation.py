"""The page cache's generation: a token in the shared cache that every data change replaces.

Cached pages are keyed by the published years, their revisions and this token, so a saved or
deleted row (a new letter, a correction, an import) makes every cached page unreachable at
once, in every server process. Writes that bypass model signals (bulk updates) are covered
by ``warm_cache``, which starts a new generation before it warms.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "serving:generation"

# Apps whose rows never change what the public site shows.
UNRELATED_APPS = frozenset(
    {"admin", "auth", "axes", "contenttypes", "sessions", "otp_totp", "otp_static", "django_otp"}
)
# Rows of the sending that the public site never reads: a delivery confirmed or a job's progress
# on publication day must not empty the cache.
# The publication job's record of what it built is written after it warms the cache.
# Nor does it read councils' accounts, their access log (every sign-in and download writes
# one) or their reminders.
UNRELATED_MODELS = frozenset(
    {"distribution.delivery", "distribution.queuejob", "distribution.publication"}
    | {"portal.membership", "portal.invitation", "portal.accessevent"}
    | {"portal.reminderround", "portal.reminder"}
)


def generation() -> str:
    """The current token; a missing one (a cleared or evicted cache) starts a new generation."""
    found = cache.get(GENERATION_KEY)
    if found is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        found = cache.get(GENERATION_KEY)
    return str(found)


def bump() -> None:
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def _changed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """A new generation now (so this process never serves the old page again) and, inside a
    transaction, once more after it commits (a page another process rendered from the old
    rows in between is dropped too)."""
    if sender._meta.app_label in UNRELATED_APPS or sender._meta.label_lower in UNRELATED_MODELS:
        return
    bump()
    connection = connections[using]
    if connection.in_atomic_block and not any(
        entry[1] is bump for entry in connection.run_on_commit
    ):
        transaction.on_commit(bump, using=using)


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="serving-page-cache-save")
    post_delete.connect(_changed, dispatch_uid="serving-page-cache-delete")
