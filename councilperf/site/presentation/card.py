"""A page's card: the 1200 × 630 PNG image a link preview shows (``og:image``).

Drawn with Pillow from text already formatted (``statistics.format`` by way of
``statistics.cards``): a heading (the council's name), a line under it (the year), up to three
figures with their titles, and the demonstration-data label when the figures are synthetic.
No Django; the fonts are read from the machine (DejaVu or Liberation Sans, else Pillow's own).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
BLUE = "#1d4f76"
BLACK = "#0b0c0c"
GREY = "#505a5f"
PALE = "#f3f2f1"
DEMO = "#d4351c"
SITE_NAME = "Your council's performance"
DEMO_TEXT = "Demonstration data — not real ombudsman decisions"

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/liberation2"),
)
FONT_FILES = {
    False: ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
    True: ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"),
}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.cache
def font(size: int, *, bold: bool = False) -> Font:
    for folder in FONT_DIRS:
        for name in FONT_FILES[bold]:
            if (folder / name).is_file():
                return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _width(draw: ImageDraw.ImageDraw, text: str, face: Font) -> float:
    return draw.textlength(text, font=face)


def wrap(draw: ImageDraw.ImageDraw, text: str, face: Font, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (a word longer than that stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(draw, f"{lines[-1]} {word}", face) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _heading(draw: ImageDraw.ImageDraw, heading: str, subheading: str) -> int:
    """The heading (the largest size that fits in two lines) and the line under it; the y
    below them."""
    y = 120
    for size in (64, 56, 48, 40, 34):
        face = font(size, bold=True)
        lines = wrap(draw, heading, face, WIDTH - 2 * MARGIN)
        if len(lines) <= 2:
            break
    for line in lines[:2]:
        draw.text((MARGIN, y), line, font=face, fill=BLACK)
        y += int(size * 1.2)
    draw.text((MARGIN, y + 4), subheading, font=font(34), fill=GREY)
    return y + 64


def _figures(draw: ImageDraw.ImageDraw, figures: Sequence[tuple[str, str]], top: int) -> None:
    count = max(len(figures), 1)
    gap = 24
    box = (WIDTH - 2 * MARGIN - gap * (count - 1)) / count
    for index, (title, value) in enumerate(figures):
        left = MARGIN + index * (box + gap)
        draw.rectangle((left, top, left + box, top + 210), fill=PALE)
        draw.rectangle((left, top, left + 8, top + 210), fill=BLUE)
        y = top + 18
        for line in wrap(draw, title, font(24), box - 44)[:3]:
            draw.text((left + 26, y), line, font=font(24), fill=BLACK)
            y += 29
        draw.text((left + 26, top + 114), value, font=font(72, bold=True), fill=BLUE)


def draw_card(
    *, heading: str, subheading: str, figures: Sequence[tuple[str, str]], demo: bool
) -> bytes:
    """The card as PNG bytes (the same text always gives the same bytes)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 84), fill=BLUE)
    draw.text((MARGIN, 22), SITE_NAME, font=font(36, bold=True), fill="white")
    below = _heading(draw, heading, subheading)
    if figures:
        _figures(draw, figures, min(below, HEIGHT - 300))
    if demo:
        draw.rectangle((0, HEIGHT - 64, WIDTH, HEIGHT), fill=DEMO)
        draw.text((MARGIN, HEIGHT - 50), DEMO_TEXT, font=font(30, bold=True), fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
