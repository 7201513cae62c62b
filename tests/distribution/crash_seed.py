"""Set up a fresh database for the crash test's subprocesses: ``python -m
tests.distribution.crash_seed COUNT`` (DATABASE_URL and VAR_DIR from the environment)."""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilperf.settings")
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from councilperf.distribution import lifecycle
    from tests.distribution.conftest import build_year

    call_command("migrate", verbosity=0)
    review_year = build_year(int(sys.argv[1]))
    user = User.objects.create_user(username="publisher")
    user.groups.add(Group.objects.get(name="publisher"))
    lifecycle.approve_year(year=review_year.reporting_year, user=user)


if __name__ == "__main__":
    main()
