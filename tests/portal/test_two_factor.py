"""Two-factor sign-in: required for staff and council approvers (redirected until verified),
offered to officers; set-up shows the secret and a QR code and saves the device only on a right
code; a wrong or replayed code is refused. The rule is on here (tests/settings.py has it off)."""

from __future__ import annotations

from binascii import unhexlify
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilperf.portal import twofactor
from councilperf.portal.models import AccessEvent
from tests.factories import make_authority
from tests.portal.factories_accounts import (
    make_council_user,
    make_device,
    make_staff,
    totp_now,
    verified_client,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]

SET_UP = "/council/two-factor/"
VERIFY = "/council/two-factor/verify/"


@pytest.fixture
def two_factor_on() -> Any:
    with override_settings(COUNCILPERF_TWO_FACTOR=True):
        yield


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_unverified_staff_are_sent_to_set_up_then_to_verify() -> None:
    staff = make_staff("analyst")
    client = signed_in(staff)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP}?next={quote('/staff/', safe='')}"
    make_device(staff)
    response = client.get("/staff/councils/?q=x")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")
    for guarded in ("/admin/", "/council/anything/"):
        assert client.get(guarded).status_code == 302, guarded


def test_a_staff_role_without_is_staff_still_needs_two_factor() -> None:
    user = User.objects.create_user(username="role-only")
    user.groups.add(Group.objects.get(name="publisher"))
    assert twofactor.required(user)
    assert signed_in(user).get("/staff/").status_code == 302


def test_unverified_approvers_are_redirected_officers_are_not() -> None:
    council = make_authority()
    approver = make_council_user(authority=council, role="approver")
    officer = make_council_user(authority=council, role="officer")
    page = f"/council/{council.slug}/"
    response = signed_in(approver).get(page)
    assert response.status_code == 302 and response["Location"].startswith(SET_UP)
    response = signed_in(officer).get(page)
    assert not response.has_header("Location")  # the portal's own answer, not a detour
    assert not twofactor.required(officer)


def test_the_open_pages_stay_open_before_the_second_factor() -> None:
    client = signed_in(make_staff("publisher"))
    for path in ("/admin/login/", SET_UP, "/council/sign-in/", "/council/invitation/x/"):
        response = client.get(path)
        assert not (response.status_code == 302 and "two-factor" in response["Location"]), path


def test_verified_people_pass() -> None:
    staff = make_staff("publisher")
    client = Client()
    verified_client(client, staff)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/councils/").status_code == 200


def test_the_rule_can_be_switched_off() -> None:
    with override_settings(COUNCILPERF_TWO_FACTOR=False):
        assert signed_in(make_staff("analyst")).get("/staff/").status_code == 200


def test_set_up_shows_the_secret_and_qr_code_and_saves_nothing_until_a_right_code() -> None:
    officer = make_council_user(authority=make_authority(), role="officer")
    client = signed_in(officer)
    page = client.get(SET_UP)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "QR code for your app" in html and "<img" not in html
    key = client.session[twofactor.SESSION_KEY]
    assert twofactor.secret_text(key) in html
    assert client.get(SET_UP).content.decode().count(twofactor.secret_text(key)) == 1  # same key
    assert not TOTPDevice.objects.exists()
    wrong = f"{(totp(unhexlify(key)) + 1) % 1_000_000:06d}"
    refused = client.post(SET_UP, {"code": wrong})
    assert refused.status_code == 200
    assert "The code is not right" in refused.content.decode()
    assert not TOTPDevice.objects.exists()
    code = f"{totp(unhexlify(key)):06d}"
    done = client.post(SET_UP, {"code": code, "next": "/council/"})
    assert done.status_code == 302 and done["Location"] == "/council/"
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.key == key
    assert AccessEvent.objects.filter(kind="two_factor_set", user=officer).count() == 1
    assert client.get(SET_UP).status_code == 200  # "already set up"
    assert TOTPDevice.objects.count() == 1


def test_set_up_verifies_the_session_so_an_approver_goes_on() -> None:
    council = make_authority()
    approver = make_council_user(authority=council, role="approver")
    client = signed_in(approver)
    client.get(SET_UP)
    key = client.session[twofactor.SESSION_KEY]
    client.post(SET_UP, {"code": f"{totp(unhexlify(key)):06d}"})
    response = client.get(f"/council/{council.slug}/")
    assert not (response.status_code == 302 and "two-factor" in response["Location"])


def test_a_wrong_code_is_refused_and_a_right_one_verifies_once() -> None:
    staff = make_staff("administrator")
    device = make_device(staff)
    client = signed_in(staff)
    wrong = f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"
    refused = client.post(VERIFY, {"code": wrong, "next": "/staff/"})
    assert refused.status_code == 200 and "The code is not right" in refused.content.decode()
    assert client.get("/staff/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp slows down after a failure: not the point here
    device.throttling_failure_timestamp = None
    device.save()
    code = totp_now(device)
    passed = client.post(VERIFY, {"code": code, "next": "/staff/"})
    assert passed.status_code == 302 and passed["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    again = signed_in(staff)  # another browser, the same code: refused (no replay)
    assert again.post(VERIFY, {"code": code}).status_code == 200
    assert again.get("/staff/").status_code == 302


def test_verify_goes_only_to_this_sites_addresses() -> None:
    staff = make_staff("publisher")
    device = make_device(staff)
    client = signed_in(staff)
    response = client.post(VERIFY, {"code": totp_now(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_verify_without_a_device_leads_to_set_up_and_signed_out_to_sign_in() -> None:
    client = signed_in(make_staff("publisher"))
    assert client.get(VERIFY)["Location"].startswith(SET_UP)
    assert Client().get(VERIFY)["Location"].startswith("/council/sign-in/")
    assert Client().get(SET_UP)["Location"].startswith("/council/sign-in/")


def test_the_helper_gives_a_verified_client() -> None:
    approver = make_council_user(authority=make_authority(), role="approver")
    client = Client()
    device = verified_client(client, approver)
    assert len(totp_now(device)) == 6
    response = client.get("/council/nowhere/")
    assert not (response.status_code == 302 and "two-factor" in response["Location"])


def test_showing_the_set_up_and_code_pages_writes_no_row() -> None:
    from tests.portal.test_accounts_pages import NoWrites

    staff = make_staff("publisher")
    client = signed_in(staff)
    with NoWrites():
        assert client.get(SET_UP).status_code == 200
        assert client.get("/staff/").status_code == 302
    make_device(staff)
    with NoWrites():
        assert client.get(VERIFY).status_code == 200


def test_the_rule_sits_right_after_django_otps_middleware(settings: Any) -> None:
    order = list(settings.MIDDLEWARE)
    otp = order.index("django_otp.middleware.OTPMiddleware")
    assert order[otp + 1] == "councilperf.portal.middleware.TwoFactorMiddleware"


def test_an_ended_approver_no_longer_needs_two_factor() -> None:
    from councilperf.portal.models import Membership

    approver = make_council_user(authority=make_authority(), role="approver")
    assert twofactor.required(approver)
    Membership.objects.filter(user=approver).update(ended_at="2026-01-01T00:00Z")
    assert not twofactor.required(approver)
