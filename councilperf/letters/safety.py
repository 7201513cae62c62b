"""What a letter may contain and fetch: template HTML cut to an allow-list, and a PDF
renderer that reads nothing but the letters' own static files.

A template body is Markdown written by staff; Markdown keeps raw HTML, so without this a
template line could attach a server file to the PDF (``<a rel="attachment" href="file:…">``),
make the server fetch an address (``<img src="http://…">``) or put script on the public
letter page. The allow-list is what the default templates use (paragraphs, headings, lists,
emphasis and links to web or mail addresses); everything else is dropped, its text kept.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3

from councilperf.letters.stylesheet import STYLESHEET

logger = logging.getLogger(__name__)

# The body of a template, after Markdown.
BODY_TAGS = frozenset(
    {"p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "ul", "ol", "li", "a"}
    | {"blockquote", "code"}
)
BODY_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# The stored letter page's ``<main>`` (our own template around the body), for the public page.
PAGE_TAGS = (
    BODY_TAGS
    | {"article", "header", "footer", "section", "div", "span", "h1"}
    | {
        "address",
        "time",
    }
)
PAGE_ATTRIBUTES = {
    "*": {"class", "id", "role", "aria-label", "aria-labelledby"},
    "a": {"href", "title"},
    "time": {"datetime"},
}

# The only directory a letter's PDF may read from: letters/static/letters/.
STATIC = STYLESHEET.parent


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    """Links only to web or mail addresses or within the page: a relative address would
    resolve against the renderer's base (a file on the server)."""
    if attribute != "href":
        return value
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    return value if scheme in URL_SCHEMES or value.startswith("#") else None


def clean_body(html: str) -> str:
    """Template HTML cut to the body allow-list (comments dropped: split on the page break
    first)."""
    return nh3.clean(
        html,
        tags=set(BODY_TAGS),
        attributes={tag: set(names) for tag, names in BODY_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_absolute_links_only,
        link_rel=None,
    )


def clean_page(html: str) -> str:
    """A stored letter's ``<main>`` content cut to what our letter template writes."""
    return nh3.clean(
        html,
        tags=set(PAGE_TAGS),
        attributes={tag: set(names) for tag, names in PAGE_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_absolute_links_only,
        link_rel=None,
    )


class RefusedFetch(ValueError):
    """A letter asked for something other than its own static files."""


def static_file(url: str) -> Path:
    """The file under letters/static/letters/ that ``url`` names; anything else refused."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedFetch(f"letters fetch only their own static files, not {url[:200]}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC.resolve()) or not path.is_file():
        raise RefusedFetch(f"not one of the letters' static files: {url[:200]}")
    return path


def url_fetcher() -> Any:
    """A WeasyPrint URL fetcher serving the letters' static files from disk, refusing (and
    logging) every other address: no network, no other file, no ``data:``."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                path = static_file(url)
            except RefusedFetch:
                logger.warning("letter PDF: refused to fetch %s", url[:200])
                raise
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
            )

    return StaticOnly(allowed_protocols=("file",))
