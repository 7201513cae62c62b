"""A letter template cannot attach a server file, make the server fetch an address, or put
script on a page: its HTML is cut to an allow-list, and the PDF renderer reads nothing but
the letters' own static files."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from councilperf.authorities.models import Authority
from councilperf.letters import rendering, safety, services
from councilperf.letters.batch import ensure_letter
from councilperf.letters.pdf import PdfRenderer
from councilperf.letters.stylesheet import STYLESHEET
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.letters.conftest import reference_statistics
from tests.letters.pdftools import internals


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b"secret attachment"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server in a thread that records every request it receives."""
    seen: list[str] = []
    handler = type("Recording", (Recorder,), {"requests": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def hostile_lines(base: str) -> str:
    return "\n\n".join(
        [
            '<a rel="attachment" href="file:///etc/hostname">hostname</a>',
            '<a rel="attachment" href="/etc/passwd">passwd</a>',
            f'<a rel="attachment" href="{base}/attached.txt">remote</a>',
            f'<img src="{base}/x.png" alt="x">',
            '<img src="/etc/hostname" alt="local">',
            '<p onmouseover="x()">Hover</p><script>alert(1)</script>',
            '<img src="x" onerror="alert(2)">',
            f"![markdown image]({base}/md.png)",
        ]
    )


def embedded(pdf_bytes: bytes) -> list[bytes]:
    """What the PDF embeds besides text and fonts: attached files and images (its objects
    read with every stream inflated, as ``pdftools.internals`` does)."""
    inside = internals(pdf_bytes)
    markers = (b"/EmbeddedFile", b"/FileAttachment", b"/Filespec", b"/Subtype /Image")
    return [marker for marker in markers if marker in inside] + [
        secret for secret in (b"secret attachment", b"root:") if secret in inside
    ]


def test_the_renderer_fetches_nothing_but_the_letters_static_files(
    server: tuple[str, list[str]],
) -> None:
    base, seen = server
    page = f"<html><body><main>{hostile_lines(base)}</main></body></html>"
    pdf_bytes = PdfRenderer().render(page)  # raw HTML: the renderer's own defence
    assert embedded(pdf_bytes) == []
    assert seen == []
    assert safety.static_file(STYLESHEET.as_uri()) == STYLESHEET.resolve()
    for refused in ("file:///etc/hostname", f"{base}/x.png", "data:text/plain,hi"):
        with pytest.raises(safety.RefusedFetch):
            safety.static_file(refused)
    escaping = STYLESHEET.parent.as_uri() + "/../../../settings.py"
    with pytest.raises(safety.RefusedFetch):
        safety.static_file(escaping)


def test_a_template_cannot_attach_a_file_or_fetch_an_address(
    review_year: ReviewYear,
    north_east_derbyshire: Authority,
    server: tuple[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    base, seen = server
    statistics = {"E07000038": reference_statistics()}
    monkeypatch.setattr("councilperf.letters.sources.load_statistics", lambda year: statistics)
    template = services.template_for_year(review_year)
    template.body = hostile_lines(base) + "\n\n" + template.body
    template.save()
    letter = ensure_letter(authority=north_east_derbyshire, year=ReportingYear(2019), out=tmp_path)
    assert embedded(Path(letter.pdf_path).read_bytes()) == []
    assert seen == []
    html = Path(letter.html_path).read_text(encoding="utf-8")
    for absent in ("<script", "onerror", "onmouseover", "<img", "attachment", "/etc/"):
        assert absent not in html
    assert "Hover" in html and "Dear Mr Hickin" in html  # the words stay, the markup goes


def test_template_html_is_cut_to_the_allow_list() -> None:
    body = rendering.markdown_to_html(
        "Visit [the site](https://www.lgo.org.uk/) or [a file](file:///etc/hostname).\n\n"
        "<!-- new page -->\n\n"
        '<p style="color:red" onclick="x()">Later</p><iframe src="https://x"></iframe>'
    )
    first, _, rest = body.partition(rendering.PAGE_BREAK)
    assert '<a href="https://www.lgo.org.uk/">the site</a>' in first
    assert "file:" not in first and "<a>a file</a>" in first
    assert rest.strip() == "<p>Later</p>"
