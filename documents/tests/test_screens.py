"""Halftone screens (documents/screens.py): a grey fill printed as dots is found by its fine texture
and blurred to flat grey; text, rules, paper grain and JPEG blocks are not screens. Synthetic pages
and the form fixtures, no OCR (the fixtures read with tesseract: test_forms_ocr.py)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from documents import ocr, screens
from testsupport.pages import FONT_DIR

FORMS = Path(__file__).resolve().parents[2] / "eval" / "ocr" / "forms"
CELL = (100, 150, 700, 310)  # x0, y0, x1, y1 of the shaded cell on the 800 x 600 page


def _page(fill: str, noise: float = 4.0, period: float = 2.6) -> np.ndarray:
    """A 200 dpi page: a ruled cell filled with grey 190 (`fill`: flat, or printed as a 45° clustered-dot
    screen of `period` px), a label on it and a line of text under it, scanned (blur, paper noise).
    The screen is eval/ocr/generate_forms.halftone's formula, written out: that module imports the
    shared generator, which needs reportlab, and the service does not install it."""
    page = Image.new("L", (800, 600), 245)
    draw = ImageDraw.Draw(page)
    x0, y0, x1, y1 = CELL
    if fill == "screen":
        y, x = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        u, v = (x + y) * math.sqrt(0.5), (y - x) * math.sqrt(0.5)
        threshold = (np.cos(2 * np.pi * u / period) + np.cos(2 * np.pi * v / period)) / 4 + 0.5
        dots = np.where(1 - threshold < 1 - 190 / 255, 0, 245).astype(np.uint8)
        page.paste(Image.fromarray(dots), (x0, y0))
    else:
        draw.rectangle(CELL, fill=190)
    draw.rectangle(CELL, outline=30, width=2)
    face = ImageFont.truetype(str(FONT_DIR / "NanumGothic.ttf"), 36)
    draw.text((140, 205), "성명 생년월일", font=face, fill=20)
    draw.text((140, 420), "경기도 수원시 영통구 광교중앙로", font=face, fill=20)
    grey = np.asarray(page, np.float32)
    grey = grey + np.random.default_rng(7).normal(0, noise, grey.shape)
    return np.asarray(Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)))


def _inside(a: np.ndarray) -> np.ndarray:
    """The fill right of the label, away from the cell's rules."""
    return a[170:290, 420:680].astype(np.float64)


@pytest.mark.parametrize("period", [2.0, 2.6, 3.3])
def test_a_fill_printed_as_a_halftone_screen_is_blurred_to_flat_grey_and_the_rest_kept(period: float) -> None:
    page = _page("screen", period=period)
    tiles = screens.screen_tiles(page)
    assert tiles is not None
    ys, xs = np.nonzero(tiles)
    tile = screens.TILE  # every tile found lies on the cell, and most of the cell's tiles are found
    assert ys.min() * tile >= CELL[1] - tile and (ys.max() + 1) * tile <= CELL[3] + tile
    assert xs.min() * tile >= CELL[0] - tile and (xs.max() + 1) * tile <= CELL[2] + tile
    assert tiles.sum() >= 0.7 * ((CELL[2] - CELL[0]) // tile) * ((CELL[3] - CELL[1]) // tile)
    plain = screens.without_screens(page)
    assert plain is not None
    assert _inside(page).std() > 40 and _inside(plain).std() < 12  # dots, then an even grey ...
    assert abs(_inside(plain).mean() - _inside(page).mean()) < 3  # ... as dark as the dots were
    below = slice(CELL[3] + 2 * tile, None)  # the line of text under the cell is left as it was
    assert np.array_equal(plain[below], page[below])


@pytest.mark.parametrize(("fill", "noise", "jpeg"), [
    ("flat", 4.0, None), ("flat", 12.0, None), ("flat", 12.0, 60), ("flat", 4.0, 30),
])  # fmt: skip
def test_a_flat_fill_text_rules_noise_and_jpeg_blocks_are_no_screen(fill: str, noise: float, jpeg: int | None) -> None:
    page = _page(fill, noise=noise)
    if jpeg:
        out = io.BytesIO()
        Image.fromarray(page).save(out, "JPEG", quality=jpeg)
        page = np.asarray(Image.open(out).convert("L"))
    assert screens.screen_tiles(page) is None and screens.without_screens(page) is None


@pytest.mark.parametrize("name", [
    "career_certificate_ko.pdf", "career_certificate_ko_150dpi_q60.jpg", "resume_form_ko_skew3_q60.jpg",
    "resume_form_ko_photo.jpg", "posting_rules_ko_150dpi_q60.jpg", "resume_two_column_right_ko_q60.jpg",
])  # fmt: skip
def test_the_form_fixtures_shaded_flat_have_no_screen(name: str) -> None:
    from documents.extraction import raw_page_images

    for page in raw_page_images((FORMS / name).read_bytes()):
        grey = np.asarray(page.image.convert("L"))
        assert screens.without_screens(grey, page.dpi) is None


@pytest.mark.parametrize("name", ["career_certificate_ko_halftone.jpg", "resume_form_ko_halftone.jpg"])
def test_the_form_fixtures_printed_with_a_screen_have_one(name: str) -> None:
    grey = np.asarray(Image.open(FORMS / name).convert("L"))
    tiles = screens.screen_tiles(grey, screens.screen_scale(200))
    assert tiles is not None and tiles.sum() >= 700  # the shaded cells of every table: 801 and 1568 tiles


def test_a_screen_is_looked_for_at_the_page_s_resolution() -> None:
    scale = screens.screen_scale
    assert scale(None) == 1.0 and scale(150) == 1.0 and scale(200) == 1.0
    assert scale(300) == 1.5 and scale(1200) == screens.MAX_SCALE
    page = _page("screen", period=2.6)
    at_300 = np.asarray(Image.fromarray(page).resize((1200, 900), Image.Resampling.BICUBIC))  # dots 3.9 px apart
    assert screens.without_screens(at_300, 300) is not None


def test_plain_pages_are_not_looked_at(monkeypatch) -> None:
    def looked(*args: object) -> None:
        raise AssertionError("a plain page was looked at for screens")

    monkeypatch.setattr(screens, "without_screens", looked)
    lines = ["저는 결제 시스템을 만든 백엔드 개발자입니다.", "Kafka로 초당 5만 건의 결제 이벤트를 처리했습니다."] * 6
    face = ImageFont.truetype(str(FONT_DIR / "NanumGothic.ttf"), 36)
    page = Image.new("L", (1654, 1200), 245)
    for i, line in enumerate(lines):
        ImageDraw.Draw(page).text((160, 100 + 80 * i), line, font=face, fill=20)
    prepared = ocr.prepare_page(ocr.RawPage(1, page, 200))
    assert not prepared.features.ruled
