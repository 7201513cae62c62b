"""The letter's stylesheets, read once per process: static/letters/letter.css (the letter,
on screen and in the PDF) and static/letters/letter-pages.css (the PDF's pages: size,
repeated banner, footers; WeasyPrint only)."""

from __future__ import annotations

import functools
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent / "static" / "letters" / "letter.css"
PAGES = STYLESHEET.with_name("letter-pages.css")


@functools.cache
def screen_stylesheet_text() -> str:
    """The stylesheet the HTML letter carries (no page rules)."""
    return STYLESHEET.read_text(encoding="utf-8")


@functools.cache
def stylesheet_text() -> str:
    """The PDF's stylesheet: the letter's, then its pages'."""
    return screen_stylesheet_text() + "\n" + PAGES.read_text(encoding="utf-8")
