"""The demo's council people: made only with COUNCILPERF_DEMO=1, three councils of three
groups (an officer and an approver each) and one shared-services officer of two councils, a
confirmed demo authenticator for every demo person who must use a second factor, the README
telling the truth about their names and passwords, and a second run that changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilperf.portal import demo
from councilperf.portal.models import Membership
from tests.factories import make_authority
from tests.test_readme import README

pytestmark = pytest.mark.django_db

YEARS = ("2023-24", "2024-25")


@pytest.fixture
def councils():
    """The demo's preferred councils are absent but for North East Derbyshire: stand-ins."""
    # Made first, so it has the lowest London code: chosen if being alive did not count.
    make_authority(name="Gone Before", group="london", years=("2023-24",))
    return [
        make_authority(name="North East Derbyshire", gss_code="E07000038", years=YEARS),
        make_authority(name="Ambridge", group="district", years=YEARS),
        make_authority(name="Felpersham", group="unitary", years=YEARS),
        make_authority(name="Loxley Barrett", group="london", years=YEARS),
        make_authority(name="Borsetshire", group="county", years=YEARS),
    ]


@pytest.fixture
def demo_env(monkeypatch):
    monkeypatch.setenv("COUNCILPERF_DEMO", "1")
    call_command("create_demo_users", stdout=StringIO())


def run() -> str:
    out = StringIO()
    call_command("create_demo_council_users", stdout=out)
    return out.getvalue()


def live(username: str) -> list[tuple[str, str]]:
    return sorted(
        Membership.objects.filter(user__username=username, ended_at__isnull=True).values_list(
            "authority__short_name", "role"
        )
    )


@pytest.mark.parametrize("command", [["create_demo_council_users"], ["demo_totp", "publisher"]])
def test_refused_without_the_demo_flag(councils, monkeypatch, command):
    monkeypatch.delenv("COUNCILPERF_DEMO", raising=False)
    with pytest.raises(CommandError, match="COUNCILPERF_DEMO=1"):
        call_command(*command, stdout=StringIO())
    assert not User.objects.exists() and not TOTPDevice.objects.exists()


def test_refused_before_the_demo_staff_users_exist(councils, monkeypatch):
    monkeypatch.setenv("COUNCILPERF_DEMO", "1")
    with pytest.raises(CommandError, match="create_demo_users first"):
        run()
    assert not Membership.objects.exists()


def test_three_councils_of_three_groups_and_a_shared_officer(councils, demo_env):
    run()
    ned, ambridge, felpersham, loxley = councils[:4]
    # The preferred code where it exists in the latest year; else the first of its group
    # alive then (Gone Before ended a year earlier, so it is never chosen).
    for council in (ned, felpersham, loxley):
        officer, approver = f"officer-{council.slug}", f"approver-{council.slug}"
        assert live(officer) == [(council.short_name, "officer")]
        assert live(approver) == [(council.short_name, "approver")]
        for username in (officer, approver):
            assert User.objects.get(username=username).check_password(demo.password_of(username))
            assert not User.objects.get(username=username).is_staff
    assert live("shared-services-officer") == [
        (ambridge.short_name, "officer"),
        (ned.short_name, "officer"),
    ]
    assert User.objects.get(username="shared-services-officer").check_password(
        "shared-services-demo-password"
    )
    assert demo.password_of(f"officer-{ned.slug}") == f"{ned.slug}-officer-demo-password"


def test_staff_and_approvers_have_a_confirmed_demo_device_officers_none(councils, demo_env):
    run()
    with_device = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    )
    approvers = {f"approver-{c.slug}" for c in (councils[0], councils[2], councils[3])}
    assert with_device == {"analyst", "publisher", *approvers}
    for device in TOTPDevice.objects.all():
        assert device.key == demo.demo_key(device.user.username)


def test_demo_totp_prints_the_code_the_device_accepts(councils, demo_env):
    run()
    username = f"approver-{councils[0].slug}"
    out = StringIO()
    call_command("demo_totp", username, stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__username=username)
    assert device.verify_token(code)
    assert not device.verify_token(code)  # used once: the device's own replay check


def test_demo_totp_refuses_a_user_without_a_demo_device(councils, demo_env):
    run()
    with pytest.raises(CommandError, match="no demonstration authenticator"):
        call_command("demo_totp", f"officer-{councils[0].slug}", stdout=StringIO())


def test_current_code_is_rfc_6238():
    # RFC 6238's SHA-1 test vector: secret "12345678901234567890", T = 59 s, 8 digits.
    device = TOTPDevice(key=b"12345678901234567890".hex(), digits=8)
    assert demo.current_code(device, at=59) == "94287082"
    device.digits = 6
    assert demo.current_code(device, at=59) == "287082"


def test_a_second_run_changes_nothing(councils, demo_env):
    run()
    before = (
        list(Membership.objects.order_by("pk").values()),
        list(TOTPDevice.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "username", "password", "email")),
    )
    run()
    after = (
        list(Membership.objects.order_by("pk").values()),
        list(TOTPDevice.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "username", "password", "email")),
    )
    assert after == before


def test_a_changed_role_or_password_is_put_back(councils, demo_env):
    run()
    officer = f"officer-{councils[0].slug}"
    Membership.objects.filter(user__username=officer).update(role="approver")
    user = User.objects.get(username=officer)
    user.set_password("something else")
    user.save()
    run()
    assert live(officer) == [(councils[0].short_name, "officer")]
    assert User.objects.get(username=officer).check_password(demo.password_of(officer))


def test_the_readme_gives_every_demo_name_and_password():
    text = " ".join(README.read_text(encoding="utf-8").split())  # lines wrap anywhere
    for slug in ("north-east-derbyshire", "york", "camden"):
        for username in (demo.officer_name(slug), demo.approver_name(slug)):
            assert f"`{username}` / `{demo.password_of(username)}`" in text
    assert f"`{demo.SHARED_USERNAME}` / `{demo.SHARED_PASSWORD}`" in text
    assert "demo_totp USERNAME" in text and "/council/" in text
