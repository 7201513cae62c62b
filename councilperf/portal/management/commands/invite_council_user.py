"""invite_council_user: invite a person to a council's portal by email, as a staff user.

    manage.py invite_council_user --council SLUG --email E --role officer|approver --as USER
    manage.py invite_council_user ... --show-link   # also print the link (no mail server)

The staff user named by ``--as`` needs the publisher or administrator role (or is a
superuser); the invitation is logged under their name, as one made in the staff pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from councilperf.authorities.models import Authority
from councilperf.distribution.roles import NotAllowed
from councilperf.portal import accounts
from councilperf.portal.models import CouncilRole


class Command(BaseCommand):
    help = "Invite a person by email to one council's portal as an officer or approver."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="The council's slug.")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=CouncilRole.values)
        parser.add_argument("--as", dest="staff", required=True, help="Your staff username.")
        parser.add_argument(
            "--show-link", action="store_true", help="Print the invitation's link too."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        authority = Authority.objects.filter(slug=options["council"]).first()
        if authority is None:
            raise CommandError(f"No council has the slug {options['council']!r}")
        by = get_user_model().objects.filter(username=options["staff"]).first()
        if by is None:
            raise CommandError(f"No user is called {options['staff']!r}")
        try:
            invitation, token = accounts.invite(
                email=options["email"], authority=authority, role=options["role"], by=by
            )
        except (accounts.Refused, accounts.NotSent, NotAllowed) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Invited {invitation.email} to {authority.short_name} as {invitation.role}; "
            f"the link expires {invitation.expires_at:%Y-%m-%d %H:%M %Z}."
        )
        if options["show_link"]:
            self.stdout.write(accounts.invitation_link(token))
