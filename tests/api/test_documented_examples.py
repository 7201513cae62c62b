"""Every example request in docs/api.md, run on the demo data: the documented answer holds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
EXAMPLE = re.compile(
    r"^`GET (?P<url>\S+)` → (?P<status>\d{3})[^\n]*\n\n```json\n(?P<body>.*?)\n```", re.M | re.S
)


def examples() -> list[tuple[str, int, Any]]:
    text = DOC.read_text(encoding="utf-8")
    return [(m["url"], int(m["status"]), json.loads(m["body"])) for m in EXAMPLE.finditer(text)]


def holds(documented: Any, found: Any, where: str = "") -> list[str]:
    """Where the documented value is not in the answer: objects may leave keys out, a
    documented list is the start of the answer's list, anything else is equal."""
    if isinstance(documented, dict):
        if not isinstance(found, dict):
            return [f"{where}: not an object"]
        problems = []
        for key, value in documented.items():
            if key not in found:
                problems.append(f"{where}.{key}: missing")
            else:
                problems += holds(value, found[key], f"{where}.{key}")
        return problems
    if isinstance(documented, list):
        if not isinstance(found, list) or len(found) < len(documented):
            return [f"{where}: not a list this long"]
        return [p for i, v in enumerate(documented) for p in holds(v, found[i], f"{where}[{i}]")]
    if documented != found or type(documented) is not type(found):
        return [f"{where}: documented {documented!r}, answer {found!r}"]
    return []


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    """The address the documented next/previous links are on."""
    settings.SITE_URL = "https://ombudsman.example"


def test_the_checker_itself() -> None:
    assert holds({"a": [1]}, {"a": [1, 2], "b": 3}) == []
    assert holds({"a": [1, 2]}, {"a": [1]}) == [".a: not a list this long"]
    assert holds({"a": 1}, {"a": 1.0}) == [".a: documented 1, answer 1.0"]
    assert holds({"c": None}, {}) == [".c: missing"]


def test_every_endpoint_has_an_example(client: Client, world: Any) -> None:
    documented = {re.sub(r"\?.*", "", url) for url, _, _ in examples()}
    schema = client.get("/api/v1/openapi.json").json()
    for route in schema["paths"]:
        pattern = re.sub(r"\{[^}]+\}", r"[^/]+", route) + "$"
        assert any(re.match(pattern, url) for url in documented), f"no example of {route}"


@pytest.mark.slow
def test_every_documented_example_is_true(client: Client, demo_data: None) -> None:
    found = examples()
    assert len(found) >= 12
    for url, status, body in found:
        response = client.get(url)
        assert response.status_code == status, url
        assert holds(body, response.json()) == [], url
