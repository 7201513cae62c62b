"""Sign-ins and refused sign-ins (staff and council people alike) in the access log.

Like the login's other bookkeeping (``councilperf.serving.logins``), the row is written if
SQLite's one writer lets it within ``LOGIN_RECORD_WAIT_SECONDS``; otherwise the skip is logged
and the sign-in goes on.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import OperationalError, connection

from councilperf.portal.accounts import log
from councilperf.portal.models import AccessEvent
from councilperf.writelock import busy_timeout

logger = logging.getLogger(__name__)


def log_unless_held(kind: str, *, user: Any = None, username: str = "") -> None:
    """Log a sign-in without waiting for a long writer on SQLite (then the skip is logged),
    like the login's other bookkeeping (``councilperf.serving.logins``)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        log(kind, user=user, username=username)
        return
    wait = float(getattr(settings, "LOGIN_RECORD_WAIT_SECONDS", 0.5))
    busy_timeout(int(wait * 1000))
    try:
        log(kind, user=user, username=username)
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        logger.warning("%s of %s not logged: a writer holds the database", kind, username)
    finally:
        busy_timeout(None)


# --- Sign-ins, logged ----------------------------------------------------------------------


def on_signed_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    log_unless_held(AccessEvent.Kind.SIGNED_IN, user=user)


def on_sign_in_refused(
    sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any
) -> None:
    typed = str((credentials or {}).get("username", ""))
    log_unless_held(AccessEvent.Kind.SIGN_IN_FAILED, username=typed)


def connect() -> None:
    """Log every sign-in and refused sign-in (staff and council people alike)."""
    user_logged_in.connect(on_signed_in, dispatch_uid="portal-log-sign-in")
    user_login_failed.connect(on_sign_in_refused, dispatch_uid="portal-log-sign-in-refused")
