"""The year's data package carries the councils' own words: two resources, complaint-handling
and replies, in the descriptor, the downloads page's dictionary and valid CSVs — for
published years only."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from councilperf.portal.models import ComplaintReturn, ReplyVersion
from tests.api.test_open_data_files import build, built, validate  # noqa: F401
from tests.portal.factories_public import make_reply, make_return
from tests.site.conftest import World

pytestmark = pytest.mark.django_db
ACCEPTED = ReplyVersion.Status.ACCEPTED


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8"))))


def test_the_package_lists_both_resources_and_its_csvs_validate(
    world: World,
    built: Path,  # noqa: F811
) -> None:
    make_return(world.unitary, ratings={"definition": ("meets", "=1+1 typed by a council")})
    make_return(world.south, status=ComplaintReturn.Status.DRAFT)
    make_reply(world.south, "2019-20", ("Old.", ACCEPTED), ("New.\n\nTwo.", ACCEPTED))
    make_return(world.north, "2020-21")
    make_reply(world.north, "2020-21", ("Embargoed words", ACCEPTED))
    build()
    folder = built / "2019-20" / "r1"
    descriptor = json.loads((folder / "datapackage.json").read_text())
    described: dict[str, Any] = {r["name"]: r for r in descriptor["resources"]}
    assert {"complaint-handling", "replies"} <= set(described)
    assert "not verified by the ombudsman" in described["complaint-handling"]["description"]
    assert "own words" in described["replies"]["description"]
    report = validate(folder / "datapackage.json")
    assert report["valid"], [t["errors"][:3] for t in report["tasks"]]
    assert len(report["tasks"]) == 8

    handling = {r["authority_code"]: r for r in rows(folder, "complaint-handling.csv")}
    assert len(handling) == 4
    assert handling[world.unitary.gss_code]["stage1_received"] == "300"
    assert handling[world.unitary.gss_code]["code_definition"] == "meets"
    assert handling[world.unitary.gss_code]["code_definition_comment"].startswith("'=1+1")
    for code in (world.south.gss_code, world.north.gss_code):  # a draft, and nothing
        assert handling[code]["reported"] == "false" and handling[code]["stage1_received"] == ""
    replies = rows(folder, "replies.csv")
    assert [(r["version"], r["current"], r["text"]) for r in replies] == [
        ("2", "true", "New.\n\nTwo."),
        ("1", "false", "Old."),
    ]
    assert not (built / "2020-21").exists()
    assert "Embargoed" not in "".join(p.read_text() for p in folder.glob("*.csv"))


def test_the_downloads_page_describes_both(client: Client, world: World, built: Path) -> None:  # noqa: F811
    build()
    text = client.get("/downloads/").content.decode()
    assert (
        "Councils&#x27; own complaint handling" in text
        or "Councils' own complaint handling" in text
    )
    assert "code_remedies" in text and "accepted_date" in text
