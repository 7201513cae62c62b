"""The Nu HTML Checker (vnu, from npm's vnu-jar, run by Java) finds no error on one page of
every page type: the public pages (home, councils, council and council-year, every group's
compare page, side by side, review, revision, letter, methods, search, downloads, the API
page, the 404) and the staff pages. All pages go to the checker in one run (Java is slow to
start).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from councilperf.letters.batch import ensure_letter
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.factories import make_contact
from tests.site.conftest import World, build_world

VNU = Path(django_settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(files: list[Path]) -> list[dict[str, Any]]:
    """Every error (not warning) vnu reports over these files, in one run."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker (scripts/system-packages.sh test)"
    assert VNU.is_file(), f"{VNU} is missing: npm ci installs vnu-jar"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]


def test_vnu_reports_an_error_it_is_shown(tmp_path: Path) -> None:
    """The check itself can fail: vnu finds the two errors the compare pages once had."""
    page = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{}</body></html>'
    bodies = {
        "form.html": '<form action=""></form>',
        "figure.html": "<figure><p>chart</p><figcaption>c</figcaption><p>after</p></figure>",
        "good.html": "<figure><p>before</p><figcaption>c</figcaption></figure><form></form>",
    }
    for name, body in bodies.items():
        (tmp_path / name).write_text(page.format(body), encoding="utf-8")
    errors = vnu_errors([tmp_path / name for name in bodies])
    named = sorted(Path(e["url"].removeprefix("file:")).name for e in errors)
    assert named == ["figure.html", "form.html"], errors


def public_pages(world: World) -> dict[str, str]:
    south, north, county = world.south.slug, world.north.slug, world.county.slug
    pages = {
        "home": "/",
        "home, another year and measure": "/?year=2019-20&tier=lower&metric=compliance_rate",
        "councils": "/councils/",
        "council": f"/councils/{south}/",
        "council-year": f"/councils/{south}/2019-20/",
        "council, no year published": f"/councils/{county}/2019-20/",
        "letter": f"/councils/{south}/2019-20/letter/",
        "side by side": f"/compare/?councils={north},{south},{county}",
        "side by side, empty": "/compare/",
        "review": "/review/2019-20/",
        "revision": "/review/2019-20/revisions/1/",
        "methods": "/about/",
        "search": "/search/?q=borsetshire",
        "search, nothing found": "/search/?q=zzzz",
        "downloads": "/downloads/",
        "API page": "/api/",
        "release calendar": "/releases/",
        "accessibility statement": "/accessibility/",
        "404": "/councils/no-such-council/",
        "404 of a year": f"/councils/{south}/2030-31/",
        "embed card": f"/embed/councils/{south}/",
    }
    for group in ("district", "county", "unitary"):
        pages[f"compare {group}"] = f"/compare/2019-20/{group}/"
    pages["compare, highlighted and sorted"] = (
        f"/compare/2019-20/district/?council={south}&sort=upheld_rate"
    )
    return pages


STAFF = {
    "staff index": "/staff/",
    "staff year": "/staff/2019-20/",
    "staff year draft": "/staff/2021-22/",
    "staff figures": "/staff/2019-20/figures/",
    "staff send": "/staff/2019-20/send/",
    "staff deliveries": "/staff/2019-20/deliveries/",
    "staff template": "/staff/2019-20/template/",
    "staff letters": "/staff/letters/2019-20/",
}


@pytest.fixture
def site(transactional_db: None, settings: Any, tmp_path: Path) -> World:
    settings.BUILD_DIR = tmp_path / "build"
    settings.LETTERS_DIR = tmp_path / "letters"
    world = build_world(synthetic=True)
    correct_statistics(year=ReportingYear(2019), reason="A correction, so revision 1 has a page.")
    call_command("build_map_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("build_open_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    make_contact(authority=world.south, name="Ms Aldridge", job_title="Chief Executive")
    ensure_letter(authority=world.south, year=ReportingYear(2019), out=tmp_path / "letters")
    return world


@pytest.mark.slow
def test_every_page_type_passes_the_nu_html_checker(site: World, tmp_path: Path) -> None:
    public, staff, analyst = Client(), Client(), Client()
    for client, role in ((staff, "publisher"), (analyst, "analyst")):
        user = User.objects.create_user(username=role, password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
    south = site.south.gss_code
    staff_pages = {**STAFF, "staff letter preview": f"/staff/letters/2019-20/{south}/"}
    out = tmp_path / "pages"
    out.mkdir()
    files: dict[str, str] = {}
    for client, pages in (
        (public, public_pages(site)),
        (staff, staff_pages),
        (analyst, {"staff import": "/staff/import/"}),
    ):
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code in (200, 404), (name, url, response.status_code)
            assert response["Content-Type"].startswith("text/html"), (name, url)
            path = out / (name.replace(" ", "-").replace(",", "") + ".html")
            path.write_bytes(response.content)
            files[str(path)] = f"{name} {url}"
    errors = vnu_errors([Path(f) for f in files])
    found = [
        f"{files[e['url'].removeprefix('file:')]}:{e.get('lastLine')}: {e['message']} "
        f"[{e.get('extract', '').strip()[:80]}]"
        for e in errors
    ]
    assert found == [], "\n".join(found)
    assert len(files) >= 30
