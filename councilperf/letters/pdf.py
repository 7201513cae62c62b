"""PDF rendering with WeasyPrint: A4, tagged (PDF/UA-1), fonts embedded, links live.

Most of a naive render's time goes on work that is the same for every letter: building a
font configuration (fontconfig, Pango) and parsing the stylesheet. A :class:`PdfRenderer`
does both once and is reused for every letter a process renders; the HTML it is given
carries no stylesheet of its own (``services.render_html(..., inline_css=False)``).
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any

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

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.base_url = STYLESHEET.parent.as_uri() + "/"
        self.stylesheet = CSS(
            string=stylesheet_text(), base_url=self.base_url, font_config=self.font_config
        )

    def render(self, page: str) -> bytes:
        from weasyprint import HTML

        document = HTML(string=page, base_url=self.base_url)
        pdf = document.write_pdf(
            stylesheets=[self.stylesheet], font_config=self.font_config, **PDF_OPTIONS
        )
        assert isinstance(pdf, bytes)
        return pdf


@functools.cache
def shared_renderer() -> PdfRenderer:
    """This process's renderer (one per process: WeasyPrint objects are not shared)."""
    return PdfRenderer()


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
