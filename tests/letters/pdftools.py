"""Reading generated PDFs in tests: their text (poppler's ``pdftotext``) and internals."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from councilperf.letters.wording import DEMO_LABEL

# The running footer every page carries; the reference text (extracted from the published
# letter, whose page furniture was not text) has none, so it is left out like the label.
PAGE_FOOTER = re.compile(r"\bPage \d+ of \d+\b")


def pdftotext(pdf: Path | bytes) -> str:
    """The text poppler extracts, in reading order (what a screen reader or search sees)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext not found: run scripts/system-packages.sh test (poppler-utils)")
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def normalise(text: str) -> str:
    """The comparison the issue asks for: whitespace collapsed, ``**`` emphasis markers and
    ``[text](#)`` link markers removed (the text stays), the demonstration-data label and
    the running page footer left out."""
    text = text.replace(DEMO_LABEL, " ")
    text = PAGE_FOOTER.sub(" ", text)
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = text.replace("**", "")
    return " ".join(text.split())


def flat(text: str) -> str:
    """Whitespace collapsed only (line breaks of the PDF layout do not matter)."""
    return " ".join(text.split())


def pages(pdf: Path | bytes) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return [page for page in pdftotext(pdf).split("\f") if page.strip()]


def internals(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (objects, structure tree, links)."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
