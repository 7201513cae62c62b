"""The letter's one stylesheet (static/letters/letter.css), read once per process."""

from __future__ import annotations

import functools
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent / "static" / "letters" / "letter.css"


@functools.cache
def stylesheet_text() -> str:
    return STYLESHEET.read_text(encoding="utf-8")
