"""Korean text pages rendered with the Nanum fonts (Debian fonts-nanum, installed by `make setup`) or
Noto Sans CJK KR (fonts-noto-cjk, installed by `make test`), for the OCR tests and evaluations that need
a page of known text."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
# Noto Sans CJK KR (Source Han Sans): a typeface with a narrow space (0.22 em) and proportional marks,
# as 맑은 고딕 has; the Korean face is the second of its collection.
NOTO_SANS_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_KR_INDEX = 1


def font_face(font: str | Path, px: int) -> ImageFont.FreeTypeFont:
    """A Nanum font by its file name in FONT_DIR, or a font file by its path (a .ttc: its Korean face)."""
    path = font if isinstance(font, Path) else FONT_DIR / font
    return ImageFont.truetype(str(path), px, index=NOTO_KR_INDEX if path.suffix == ".ttc" else 0)


def text_page(lines: list[str], font: str | Path, pt: float, dpi: int) -> bytes:
    """A PNG of an A4-wide page: `lines` in `font` at `pt` points and `dpi`, one every two line heights."""
    px = round(pt * dpi / 72)
    face = font_face(font, px)
    image = Image.new("L", (round(8.27 * dpi), px * 2 * (len(lines) + 2)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((round(0.8 * dpi), px * 2 * (i + 1)), line, font=face, fill=20)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
