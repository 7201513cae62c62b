"""The worked examples on ``/api/`` (curl, Python with pandas, R) are true: on the demo data
every address in them answers 200 on the test server, and the Python example runs as
written (its downloads and API calls routed to the test server) and finds what it says."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import pandas
import pytest
import requests
from django.core.management import call_command
from django.test import Client
from requests.structures import CaseInsensitiveDict

from tests.site.conftest import World

pytestmark = pytest.mark.django_db
SITE = "https://ombudsman.example"
BLOCK = re.compile(
    r'<pre class="cp-code"[^>]*aria-label="(?P<label>[^"]+)"><code>(.*?)</code></pre>', re.S
)
ADDRESS = re.compile(r"https://ombudsman\.example/[^\s'\"]+")


@pytest.fixture
def site(settings: Any, tmp_path: Path) -> None:
    settings.SITE_URL = SITE
    settings.BUILD_DIR = tmp_path / "build"


def blocks(client: Client) -> dict[str, str]:
    """The page's code blocks by their label, as a reader would copy them."""
    page = client.get("/api/")
    assert page.status_code == 200
    return {m["label"]: html.unescape(m[2]) for m in BLOCK.finditer(page.content.decode())}


def fetch(client: Client, url: str) -> Any:
    assert url.startswith(SITE + "/"), url
    return client.get(url.removeprefix(SITE))


def test_the_page_has_examples_in_curl_python_and_r(
    client: Client, world: World, site: None
) -> None:
    found = blocks(client)
    labels = " ".join(found)
    assert "curl" in labels and "Python" in labels and "R example" in labels
    for label, code in found.items():
        addresses = ADDRESS.findall(code)
        assert addresses, label
        assert all("127.0.0.1" not in a for a in addresses)
    page = client.get("/api/").content.decode()
    assert "Open Government Licence v3.0" in page and 'id="examples"' in page


def as_response(client: Client, url: str) -> requests.Response:
    """The test server's answer as a ``requests`` response (its ``links`` parse ``Link``)."""
    answer = fetch(client, url)
    found = requests.Response()
    found.status_code = answer.status_code
    found._content = answer.getvalue()
    found.headers = CaseInsensitiveDict(dict(answer.items()))
    found.url = url
    return found


def run_python(client: Client, code: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    read_csv = pandas.read_csv
    monkeypatch.setattr(
        pandas,
        "read_csv",
        lambda url, **kw: read_csv(io.BytesIO(fetch(client, url).getvalue()), **kw),
    )
    monkeypatch.setattr(requests, "get", lambda url, **kw: as_response(client, url))
    namespace: dict[str, Any] = {}
    exec(compile(code, "api-page-python-example", "exec"), namespace)
    return namespace


@pytest.mark.slow
def test_every_example_address_answers_and_the_python_example_runs(
    client: Client, demo_data: None, site: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("build_open_data", stdout=io.StringIO(), stderr=io.StringIO())
    found = blocks(client)
    addresses = {a for code in found.values() for a in ADDRESS.findall(code)}
    assert len(addresses) >= 5
    for url in sorted(addresses):
        answer = fetch(client, url)
        assert answer.status_code == 200, url
        assert answer["Access-Control-Allow-Origin"] == "*", url
        assert len(answer.getvalue()) > 100, url
    python = next(code for label, code in found.items() if label.startswith("Python"))
    done = run_python(client, python, monkeypatch)
    years = [y["year"] for y in client.get("/api/v1/years").json()]
    assert list(done["trend"].columns) == years  # the all-years file: every published year
    north_east = client.get("/api/v1/figures?measure=upheld_rate&region=North+East").json()
    assert len(done["north_east"]) == north_east["count"] > 50  # more than one page followed
    assert set(done["north_east"]["region"]) == {"North East"}
    assert set(done["years"]["year"]) == {"2020-21", "2021-22", "2022-23", "2023-24", "2024-25"}
