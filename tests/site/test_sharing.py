"""Sharing and citing: every public page has a canonical link and Open Graph and Twitter card
tags with absolute addresses from SITE_URL (never the request's host); council, compare and
review pages have a share box that works without JavaScript and "Cite these figures"."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from councilperf.site.presentation.citation import bibtex_text, citation_key, cite
from tests.site.conftest import World, get_page

SITE = "https://councils.example.org"


class Head(HTMLParser):
    """The <link> and <meta> elements of a page, and its share box's field."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, list[str]] = {}
        self.meta: dict[str, list[str]] = {}
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link":
            self.links.setdefault(str(found.get("rel")), []).append(str(found.get("href")))
        elif tag == "meta":
            key = found.get("property") or found.get("name")
            if key:
                self.meta.setdefault(key, []).append(str(found.get("content")))
        elif tag == "input" and found.get("id"):
            self.inputs[str(found["id"])] = found

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    @property
    def canonical(self) -> str:
        (found,) = self.links["canonical"]
        return found


def head_of(client: Client, url: str, **extra: Any) -> Head:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return Head(response.content.decode())


@pytest.fixture
def site_url(settings: Any) -> str:
    settings.SITE_URL = SITE
    return SITE


def public_pages(world: World) -> list[str]:
    return [
        "/",
        "/about/",
        "/search/",
        "/councils/",
        "/downloads/",
        "/api/",
        f"/councils/{world.south.slug}/",
        f"/councils/{world.south.slug}/2019-20/",
        "/compare/2019-20/district/",
        "/compare/",
        "/review/2019-20/",
    ]


def test_every_public_page_has_canonical_and_sharing_tags_from_site_url(
    client: Client, world: World, site_url: str
) -> None:
    for url in public_pages(world):
        head = head_of(client, url, HTTP_HOST="127.0.0.1")
        assert head.canonical.startswith(SITE + "/"), url
        assert head.one("og:url") == head.canonical, url
        assert head.one("og:image").startswith(SITE + "/"), url
        assert head.one("og:title") and head.one("og:description"), url
        assert head.one("twitter:card") == "summary_large_image", url
        assert "127.0.0.1" not in head.canonical + head.one("og:image"), url


def test_a_council_page_and_its_latest_year_share_one_canonical(
    client: Client, world: World, site_url: str
) -> None:
    slug = world.south.slug
    plain = head_of(client, f"/councils/{slug}/", HTTP_HOST="127.0.0.1")
    dated = head_of(client, f"/councils/{slug}/2019-20/?page=1", HTTP_HOST="127.0.0.1")
    assert plain.canonical == dated.canonical == f"{SITE}/councils/{slug}/2019-20/"
    assert plain.one("og:title") == "South Borsetshire Council: complaint decisions 2019-20"
    assert plain.one("og:image") == f"{SITE}/councils/{slug}/2019-20/card.png"
    # The oEmbed link names the site's address too, not the request's.
    (oembed,) = [href for href in plain.links["alternate"] if "oembed" in href]
    assert f"{SITE}/releases.atom" in plain.links["alternate"]  # the feed beside it
    assert oembed.startswith(f"{SITE}/api/oembed?")
    assert parse_qs(urlsplit(oembed).query)["url"] == [f"{SITE}/councils/{slug}/2019-20/"]


def test_the_compare_page_shares_the_view_shown_and_cites_the_group(
    client: Client, world: World, site_url: str
) -> None:
    url = f"/compare/2019-20/district/?council={world.south.slug}"
    html = client.get(url).content.decode()
    head = Head(html)
    assert head.canonical == f"{SITE}/compare/2019-20/district/"
    assert head.inputs["share-link"]["value"] == SITE + url  # the highlight kept
    assert "District Councils compared, 2019-20" in html


@pytest.mark.parametrize(
    "path", ["/councils/{south}/2019-20/", "/compare/2019-20/district/", "/review/2019-20/"]
)
def test_share_box_and_citation_without_javascript(
    client: Client, world: World, site_url: str, path: str
) -> None:
    path = path.format(south=world.south.slug)
    page = get_page(client, path)
    html = client.get(path).content.decode()
    head = Head(html)
    # Without JavaScript: the link is a read-only field holding the page's address; the
    # buttons wait hidden for share.js.
    field = head.inputs["share-link"]
    assert field["value"] == SITE + path and "readonly" in field
    assert re.search(r'<div class="cp-share__actions" hidden>', html)
    assert "Cite these figures" in page.text
    assert "revision 1, published 29 July 2020" in page.text
    assert f"{SITE}{path} (accessed " in page.text
    assert "@misc{cp-" in html and "  version = {1}," in html
    assert "  urldate = {" in html and f"  url = {{{SITE}{path}}}," in html
    assert re.search(r'<script src="[^"]*/share[^"]*\.js" defer>', html)  # a file: the CSP


def test_pages_without_a_share_box_have_none(client: Client, world: World) -> None:
    html = client.get("/about/").content.decode()
    assert "share-link" not in html and "Cite these figures" not in html


# ── the citation itself (pure) ────────────────────────────────────────────────────────────


def test_citation_plain_text_and_bibtex() -> None:
    found = cite(
        title="Brighton & Hove City Council: complaint decisions 2019-20",
        revision=2,
        published=dt.date(2020, 7, 29),
        url="https://councils.example.org/councils/brighton-and-hove/2019-20/",
        accessed=dt.date(2026, 12, 7),
        key="cp-brighton-and-hove-2019-20",
    )
    assert found.plain == (
        "The ombudsman. Brighton & Hove City Council: complaint decisions 2019-20. Your "
        "council's performance, revision 2, published 29 July 2020. "
        "https://councils.example.org/councils/brighton-and-hove/2019-20/ "
        "(accessed 7 December 2026)."
    )
    lines = found.bibtex.splitlines()
    assert lines[0] == "@misc{cp-brighton-and-hove-2019-20,"
    assert "  title = {{Brighton \\& Hove City Council: complaint decisions 2019-20}}," in lines
    assert "  year = 2020," in lines and "  month = jul," in lines
    assert "  version = {2}," in lines
    assert "  urldate = {2026-12-07}," in lines
    assert lines[-1] == "}"
    # Balanced braces: a reference manager reads the entry whole.
    assert found.bibtex.count("{") - found.bibtex.count("\\{") == found.bibtex.count(
        "}"
    ) - found.bibtex.count("\\}")


def test_citation_without_revision_or_date_leaves_them_out() -> None:
    found = cite(
        title="A page",
        revision=None,
        published=None,
        url="https://x.example/p/",
        accessed=dt.date(2026, 1, 2),
        key="k",
    )
    assert found.plain == (
        "The ombudsman. A page. Your council's performance. https://x.example/p/ "
        "(accessed 2 January 2026)."
    )
    assert "version" not in found.bibtex and "year =" not in found.bibtex


def test_bibtex_specials_and_keys() -> None:
    assert bibtex_text("50% of £1_000 & {x} #1 ~ ^") == (
        "50\\% of £1\\_000 \\& \\{x\\} \\#1 \\textasciitilde{} \\textasciicircum{}"
    )
    assert citation_key("cp", "St. Helens", "2019-20") == "cp-st-helens-2019-20"
