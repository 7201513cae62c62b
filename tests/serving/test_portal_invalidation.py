"""The page cache and the councils' portal: what councils do in private (sign in, download,
be reminded, hold an account) leaves the cached public pages alone; what the public site
shows (a return signed off, a reply accepted) starts a new generation."""

from __future__ import annotations

import pytest
from django.utils import timezone

from councilperf.portal import accounts
from councilperf.portal.models import AccessEvent, CouncilRole, Membership
from councilperf.serving import invalidation
from tests.distribution.conftest import make_user
from tests.factories import make_authority, make_review_year
from tests.portal.factories_public import make_reply, make_return, open_returns

pytestmark = pytest.mark.django_db


def test_private_portal_rows_keep_the_generation() -> None:
    council = make_authority(name="Borsetshire", years=("2019-20",))
    person = make_user(None, username="officer")
    before = invalidation.generation()
    accounts.log(AccessEvent.Kind.SIGNED_IN, user=person, authority=council)
    Membership.objects.create(
        user=person, authority=council, role=CouncilRole.OFFICER, granted_at=timezone.now()
    )
    assert invalidation.generation() == before


def test_rows_the_public_site_reads_start_a_new_generation() -> None:
    council = make_authority(name="Borsetshire", years=("2019-20",))
    make_review_year(year="2019-20")
    open_returns()
    for write in (
        lambda: make_return(council),
        lambda: make_reply(council, "2019-20", ("Our words.", "accepted")),
    ):
        before = invalidation.generation()
        write()
        assert invalidation.generation() != before
