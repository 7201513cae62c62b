"""PDF rendering with WeasyPrint: A4, tagged (PDF/UA-1), fonts embedded, links live.

What a naive render spends its time on, and what is done instead:

- a font configuration (fontconfig, Pango) and the parsed stylesheet, the same for every
  letter: a :class:`PdfRenderer` makes them once and reuses them for every letter a process
  renders (the HTML it is given carries no stylesheet of its own);
- the pages after the body's page break (``rendering.PAGE_BREAK``): the same words for every
  authority of a year, so they are laid out once per process and their pages reused in every
  letter (``Document.copy`` with pages of two documents, WeasyPrint's documented way of
  combining documents); each letter lays out only its first page and its statistics. The
  page footers ("Page 2 of 3") are fixed strings for each page. When a letter's first part
  does not fit its first page, that letter is laid out whole instead: the same result.

Page furniture (the demonstration banner, the footers) is marked as artifacts by a finisher
(:mod:`councilperf.letters.artifacts`), so that all else is in the structure tree.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from councilperf.letters.artifacts import mark_margin_artifacts
from councilperf.letters.safety import url_fetcher
from councilperf.letters.stylesheet import STYLESHEET, stylesheet_text

PDF_OPTIONS: dict[str, Any] = {
    "pdf_variant": "pdf/ua-1",  # tagged PDF with the PDF/UA metadata (implies pdf_tags)
    "pdf_tags": True,
    "presentational_hints": False,
    "full_fonts": False,  # embed subsets of the fonts used
}


def weasyprint_version() -> str:
    import weasyprint

    return str(weasyprint.__version__)


class PdfRenderer:
    """Renders letter HTML to PDF bytes, reusing one font configuration and stylesheet."""

    CONTINUATIONS_KEPT = 8

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.base_url = STYLESHEET.parent.as_uri() + "/"
        self.url_fetcher = url_fetcher()
        self.stylesheet = CSS(
            string=stylesheet_text(),
            base_url=self.base_url,
            font_config=self.font_config,
            url_fetcher=self.url_fetcher,
        )
        self._footers: dict[str, Any] = {}
        self._continuations: OrderedDict[str, Any] = OrderedDict()

    def _footer_css(self, labels: tuple[str, ...]) -> Any:
        """A stylesheet giving page N of a document the footer ``labels[N - 1]``."""
        from weasyprint import CSS

        text = "\n".join(
            f'@page :nth({number}) {{ @bottom-right {{ content: "{label}" }} }}'
            for number, label in enumerate(labels, start=1)
        )
        if text not in self._footers:
            self._footers[text] = CSS(
                string=text, font_config=self.font_config, url_fetcher=self.url_fetcher
            )
        return self._footers[text]

    def document(self, page: str, *extra: Any) -> Any:
        """A laid-out WeasyPrint document (not yet a PDF)."""
        from weasyprint import HTML

        return HTML(string=page, base_url=self.base_url, url_fetcher=self.url_fetcher).render(
            stylesheets=[self.stylesheet, *extra], font_config=self.font_config, **PDF_OPTIONS
        )

    def render(self, page: str) -> bytes:
        """One HTML document, laid out whole."""
        pdf = self.document(page).write_pdf(finisher=mark_margin_artifacts, **PDF_OPTIONS)
        assert isinstance(pdf, bytes)
        return pdf

    def _continuation(self, page: str) -> Any:
        """The shared pages after the page break, numbered from page 2 of a letter whose
        first part and statistics take a page each (laid out once, kept for reuse)."""
        if page in self._continuations:
            self._continuations.move_to_end(page)
            return self._continuations[page]
        count = len(self.document(page).pages)
        total = count + 2
        labels = tuple(f"Page {number} of {total}" for number in range(2, count + 2))
        document = self.document(page, self._footer_css(labels))
        self._continuations[page] = document
        if len(self._continuations) > self.CONTINUATIONS_KEPT:
            self._continuations.popitem(last=False)
        return document

    def render_letter(self, *, whole: str, first: str = "", continuation: str = "") -> bytes:
        """A letter: its ``first`` part (head, body up to the page break, statistics) with
        the shared ``continuation`` pages in between; or ``whole`` laid out in one piece
        when there is no page break or the first part does not fit its page."""
        if not first or not continuation:
            return self.render(whole)
        shared = self._continuation(continuation)
        total = len(shared.pages) + 2
        labels = (f"Page 1 of {total}", f"Page {total} of {total}")
        opening = self.document(first, self._footer_css(labels))
        if len(opening.pages) != 2:
            return self.render(whole)
        pages = [opening.pages[0], *shared.pages, opening.pages[1]]
        pdf = opening.copy(pages).write_pdf(finisher=mark_margin_artifacts, **PDF_OPTIONS)
        assert isinstance(pdf, bytes)
        return pdf


_local = threading.local()


def shared_renderer() -> PdfRenderer:
    """This thread's renderer: one per process in batch workers, one per thread in a web
    server (WeasyPrint's font objects are not shared between threads)."""
    renderer: PdfRenderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = PdfRenderer()
    return renderer


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` by way of a temporary file in the same directory and a
    rename, so that a reader (or a resumed run) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(directory: Path) -> int:
    """Delete temporary files left behind by processes that no longer run (an interrupted
    run); files of a process still writing are left alone. Returns how many were removed."""
    removed = 0
    for leftover in directory.glob(".*.tmp"):
        parts = leftover.name.split(".")
        # ".E07000038.pdf.<pid>.<random>.tmp" splits into ["", code, ext, pid, random, "tmp"]
        pid = int(parts[3]) if len(parts) == 6 and parts[3].isdigit() else None
        if pid is not None and pid != os.getpid() and _running(pid):
            continue
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed
