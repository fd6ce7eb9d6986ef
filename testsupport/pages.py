"""Korean text pages rendered with the Nanum fonts (Debian fonts-nanum, installed by `make setup`),
for the OCR tests and evaluations that need a page of known text."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/nanum")


def text_page(lines: list[str], font: str, pt: float, dpi: int) -> bytes:
    """A PNG of an A4-wide page: `lines` in `font` at `pt` points and `dpi`, one every two line heights."""
    px = round(pt * dpi / 72)
    face = ImageFont.truetype(str(FONT_DIR / font), px)
    image = Image.new("L", (round(8.27 * dpi), px * 2 * (len(lines) + 2)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((round(0.8 * dpi), px * 2 * (i + 1)), line, font=face, fill=20)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
