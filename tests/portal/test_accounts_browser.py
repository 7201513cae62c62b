"""In Debian Chromium at 390 px (the pages have no script; axe needs it on): an invited
approver accepts the link, chooses a password, sets up two-factor sign-in from the secret shown
on the page, signs out, signs in again and types a code; nothing scrolls sideways and axe finds
no WCAG 2.2 A/AA violation on the invitation, set-up, sign-in or code pages."""

from __future__ import annotations

import re
from base64 import b32decode
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django_otp.oath import totp

from councilperf.portal import accounts
from councilperf.portal.models import AccessEvent
from tests.factories import make_authority
from tests.portal.factories_accounts import PASSWORD, make_staff
from tests.site import test_browser as public_browser
from tests.site.browser import axe_violations

pytestmark = pytest.mark.browser


chromium = public_browser.chromium  # the one headless Debian Chromium (module scope)


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    yield context.new_page()
    context.close()


def check(page: Any, heading: str) -> None:
    assert page.locator("h1").inner_text() == heading
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    assert axe_violations(page) == [], page.url


def code_from(secret: str, *, ahead: int = 0) -> str:
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=ahead):06d}"


def test_an_approver_joins_and_signs_in_with_a_code(
    transactional_db: None, settings: Any, live_server: Any, phone: Any
) -> None:
    settings.COUNCILPERF_TWO_FACTOR = True
    settings.SITE_URL = live_server.url
    council = make_authority(name="Ambridge")
    _, token = accounts.invite(
        email="ceo@ambridge.example", authority=council, role="approver", by=make_staff()
    )
    phone.goto(f"{live_server.url}/council/invitation/{token}/")
    check(phone, "Join the council portal as a council approver")
    phone.fill("#id_username", "ceo")
    phone.fill("#id_password1", PASSWORD)
    phone.fill("#id_password2", PASSWORD)
    phone.get_by_role("button", name="Create my account").click()
    check(phone, "Set up two-factor sign-in")  # an approver must, before any portal page
    secret = phone.locator("#secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7 ]+", secret)
    phone.fill("#id_code", code_from(secret))
    phone.get_by_role("button", name="Confirm").click()
    phone.wait_for_load_state()
    assert "/council/two-factor/" not in phone.url or "is set up" in phone.content()
    phone.get_by_role("button", name="Sign out").click()
    phone.goto(f"{live_server.url}/council/sign-in/?next=/council/")
    check(phone, "Sign in to the council portal")
    phone.fill("#id_username", "ceo")
    phone.fill("#id_password", PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    check(phone, "Type the code from your app")
    phone.fill("#id_code", code_from(secret, ahead=1))  # the set-up used this step's code
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_load_state()
    assert "/council/two-factor/verify/" not in phone.url
    user = User.objects.get(username="ceo")
    kinds = set(AccessEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == {"joined", "signed_in", "two_factor_set"}
