"""Logins that do not wait for the one writer (a long casework import, a statistics write).

On SQLite the database has one write lock, and an import holds it for its whole transaction
(``councilperf.writelock``). A login must not need it:

- sessions live in signed cookies (``SESSION_ENGINE`` in settings), so a login writes no
  session row;
- the login's bookkeeping rows — ``last_login`` (Django) and the access log (django-axes) —
  are written if the database can take them within ``LOGIN_RECORD_WAIT_SECONDS``; while a
  writer holds SQLite they are skipped and the skip is logged (the log line names the user),
  and the login goes on. On PostgreSQL these writes never wait for the import (it takes an
  advisory lock, not the tables'), so they are always made.

A failed login is still counted by django-axes as before: that write waits for the writer, as
a lockout must not be lost.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.db import OperationalError, connection

from councilperf.writelock import busy_timeout

logger = logging.getLogger(__name__)

WAIT_SECONDS = 0.5


@contextlib.contextmanager
def unless_held(what: str, user: Any) -> Iterator[None]:
    """Run a login's bookkeeping write; on SQLite, skip it (logged) if a writer holds the
    database longer than ``LOGIN_RECORD_WAIT_SECONDS``."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    wait = float(getattr(settings, "LOGIN_RECORD_WAIT_SECONDS", WAIT_SECONDS))
    busy_timeout(int(wait * 1000))
    try:
        yield
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        logger.warning("login of %s: %s not recorded, a writer holds the database", user, what)
    finally:
        busy_timeout(None)


def record_last_login(sender: Any, user: Any, **kwargs: Any) -> None:
    with unless_held("the last login time", user):
        update_last_login(sender, user, **kwargs)


class AxesHandler(AxesDatabaseHandler):
    """django-axes' database handler, whose success bookkeeping does not wait for a writer."""

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        with unless_held("the access log", user):
            super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        with unless_held("the logout time", user):
            super().user_logged_out(sender, request, user, **kwargs)


def connect() -> None:
    """Put ``record_last_login`` in the place of Django's own receiver."""
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.connect(record_last_login, dispatch_uid="update_last_login")
