"""Safe defaults: the documented production settings pass `check --deploy`; no secret key, no
start; security headers; login throttling on the admin (and staff) login; the 500 page;
/healthz."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client

from councilperf.serving import health

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {  # as docs/deployment.md sets them
    "DJANGO_SECRET_KEY": "k" * 20 + "an-example-of-a-long-random-production-secret-key",
    "DJANGO_ALLOWED_HOSTS": "performance.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://performance.example.org",
    "DJANGO_HTTPS": "1",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean["DJANGO_SETTINGS_MODULE"] = "councilperf.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_without_https() -> None:
    result = manage("check", "--deploy", env={**PRODUCTION, "DJANGO_HTTPS": "0"})
    assert "security.W004" in result.stderr + result.stdout  # no HSTS over plain HTTP


def test_without_a_secret_key_nothing_starts() -> None:
    result = manage("check", env={})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set and DEBUG is off: refusing to start" in result.stderr
    dev = manage("check", env={"DJANGO_DEBUG": "1"})
    assert dev.returncode == 0, dev.stderr


def test_gunicorn_refuses_to_start_without_a_secret_key() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "python:councilperf.serving.gunicorn_conf"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "councilperf.settings", "PORT": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Council Performance cannot start: DJANGO_SECRET_KEY is not set" in result.stderr


def test_https_settings_switch_on_hsts_and_secure_cookies() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "councilperf.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True", "False"], result.stderr


def test_security_headers(client: Client, settings: Any, db: None) -> None:
    response = client.get("/about/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.has_header("Strict-Transport-Security")  # plain HTTP
    settings.SECURE_HSTS_SECONDS = 31536000  # as DJANGO_HTTPS=1 sets it (read at start-up)
    secure = Client().get("/about/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_inline_script_in_pages(client: Client, db: None) -> None:
    from tests.site.conftest import build_world

    world = build_world()
    for url in ("/", f"/councils/{world.south.slug}/2019-20/", "/about/", "/review/2019-20/"):
        body = client.get(url).content.decode()
        for tag in body.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, (url, opening)
        assert 'style="' not in body, url


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user(
        "editor", password="the right password 1", is_staff=True, is_superuser=True
    )


def login(client: Client, username: str, password: str, address: str) -> Any:
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_admin_login_locks_the_account_from_that_address_after_five_failures(
    client: Client, staff: User
) -> None:
    for _ in range(4):
        assert login(client, "editor", "wrong", "203.0.113.1").status_code == 200
    assert login(client, "editor", "wrong", "203.0.113.1").status_code == 429
    # The right password, from the same address, is refused while the lock lasts.
    locked = login(client, "editor", "the right password 1", "203.0.113.1")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_of_one_account_do_not_lock_another_out_of_the_same_address(
    client: Client, staff: User
) -> None:
    User.objects.create_user("publisher", password="the right password 2", is_staff=True)
    for _ in range(6):
        login(client, "editor", "wrong", "203.0.113.2")
    assert login(client, "editor", "the right password 1", "203.0.113.2").status_code == 429
    assert login(client, "publisher", "the right password 2", "203.0.113.2").status_code == 302


def test_a_lock_is_lifted_by_an_administrator(client: Client, staff: User) -> None:
    for _ in range(5):
        login(client, "editor", "wrong", "203.0.113.4")
    assert login(client, "editor", "the right password 1", "203.0.113.4").status_code == 429
    call_command("axes_reset_username", "editor", stdout=io.StringIO())  # docs/deployment.md
    assert login(client, "editor", "the right password 1", "203.0.113.4").status_code == 302


def test_staff_pages_send_people_to_the_throttled_login(client: Client, staff: User) -> None:
    response = client.get("/staff/letters/2019-20/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_correct_login_before_the_limit_works(client: Client, staff: User) -> None:
    for _ in range(2):
        login(client, "editor", "wrong", "203.0.113.3")
    assert login(client, "editor", "the right password 1", "203.0.113.3").status_code == 302


@pytest.mark.urls("tests.serving.urls")
def test_the_500_page_is_friendly(db: None) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "Traceback" not in body and "RuntimeError" not in body


def test_healthz_checks_the_database(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in ok["Cache-Control"]

    class Unreachable:
        def cursor(self) -> Any:
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json()["database"] == "error"
