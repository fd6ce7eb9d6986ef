"""Extraction quality on the shared fixtures (CER against *.expected.txt) and the routing rules.

Limits: CER < 0.02 for born-digital documents, < 0.10 for scans and images (fixtures/README.md).
OCR tests are marked slow (real tesseract, ~1-2 s a page on 2 cores).
"""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from aiserver.errors import DomainError, ErrorCode
from conftest import cer
from documents import ocr
from documents.extraction import (
    ExtractedPage,
    Extraction,
    extract_text,
    layer_needs_ocr,
    prepare_page_images,
    render_scale,
)

BORN_DIGITAL = [
    "resume_ko_text.pdf",
    "resume_en_text.pdf",
    "job_posting_ko.docx",
    "resume_en.docx",
    "job_posting_en.txt",
    "resume_ko.md",
    "resume_ko_hwp.hwpx",
]
# Each scanned fixture's CER as measured on 2026-12-01 (docs/ocr.md, session 17: 0.0065 / 0.0066 /
# 0.0087 / 0.0012) plus ~0.01; the issue asks <= 0.04 of the scan.
SCANNED = {
    "resume_ko_scan.pdf": 0.02,
    "resume_ko_mixed_scan.pdf": 0.02,
    "job_posting_ko_screenshot.png": 0.02,
    "job_posting_en_photo.jpg": 0.01,
}


def _expected(fixtures_dir, name: str) -> str:
    return (fixtures_dir / f"{name.rsplit('.', 1)[0]}.expected.txt").read_text(encoding="utf-8")


def _measure(fixtures_dir, name: str) -> tuple[Extraction, float]:
    started = time.perf_counter()
    extraction = extract_text((fixtures_dir / name).read_bytes())
    elapsed = time.perf_counter() - started
    measured = cer(extraction.text, _expected(fixtures_dir, name))
    print(f"{name}: CER {measured:.4f}, {elapsed:.2f} s, pages {extraction.page_count}, ocr {extraction.ocr_pages}")
    return extraction, measured


@pytest.mark.parametrize("name", BORN_DIGITAL)
def test_born_digital_cer(fixtures_dir, name: str) -> None:
    extraction, measured = _measure(fixtures_dir, name)
    assert measured < 0.02
    assert extraction.ocr_pages == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SCANNED)
def test_scanned_cer(fixtures_dir, name: str) -> None:
    extraction, measured = _measure(fixtures_dir, name)
    assert measured <= SCANNED[name]
    assert extraction.ocr_pages


@pytest.mark.slow
def test_mixed_pdf_ocrs_only_the_scanned_page(fixtures_dir) -> None:
    extraction = extract_text((fixtures_dir / "resume_ko_mixed_scan.pdf").read_bytes())
    assert extraction.ocr_pages == [2]
    assert [page.ocr for page in extraction.pages] == [False, True, False]
    assert "경 력 증 명 서" in extraction.pages[1].text or "경력증명서" in extraction.pages[1].text
    # The born-digital pages are the text layer, exactly.
    expected = _expected(fixtures_dir, "resume_ko_mixed_scan.pdf")
    assert " ".join(extraction.pages[0].text.split()) in " ".join(expected.split())


def test_text_pdf_pages_come_from_the_text_layer(fixtures_dir) -> None:
    extraction = extract_text((fixtures_dir / "resume_ko_text.pdf").read_bytes())
    assert extraction.file_type == "pdf"
    assert extraction.page_count == 2
    assert extraction.text == "\n\n".join(page.text for page in extraction.pages)


def test_docx_keeps_the_table_in_body_order(fixtures_dir) -> None:
    text = extract_text((fixtures_dir / "job_posting_ko.docx").read_bytes()).text
    expected_lines = [line for line in _expected(fixtures_dir, "job_posting_ko.docx").splitlines() if line]
    assert [line for line in text.splitlines() if line] == expected_lines


def test_markdown_is_kept_as_is(fixtures_dir) -> None:
    data = (fixtures_dir / "resume_ko.md").read_bytes()
    assert extract_text(data, declared_type="text/markdown").text == data.decode("utf-8").strip("\n")
    hard_break = "첫 줄  \n둘째 줄".encode()  # Markdown line break: two trailing spaces
    assert extract_text(hard_break).text == "첫 줄  \n둘째 줄"


def test_utf16_text_with_bom() -> None:
    extraction = extract_text("이력서\r\n경력사항".encode("utf-16"))
    assert extraction.text == "이력서\n경력사항"


def test_declared_type_does_not_override_the_bytes(fixtures_dir) -> None:
    extraction = extract_text((fixtures_dir / "resume_en_text.pdf").read_bytes(), declared_type="image/png")
    assert extraction.file_type == "pdf"


def test_whitespace_only_text_has_no_text() -> None:
    with pytest.raises(DomainError) as err:
        extract_text(b"  \n\t\n ")
    assert err.value.code == ErrorCode.NO_TEXT_FOUND


def test_text_limit(settings) -> None:
    settings.MAX_TEXT_CHARS = 100
    with pytest.raises(DomainError) as err:
        extract_text(b"word " * 50)
    assert err.value.code == ErrorCode.FILE_TOO_LARGE


def test_extraction_properties() -> None:
    extraction = Extraction(
        "pdf", [ExtractedPage(1, "a", False), ExtractedPage(2, "", True), ExtractedPage(3, "c", True)]
    )
    assert extraction.text == "a\n\nc"
    assert extraction.page_count == 3
    assert extraction.ocr_pages == [2, 3]


@pytest.mark.parametrize(
    ("text", "coverage", "needs_ocr"),
    [
        ("", 0.0, True),
        ("Page 1", 0.0, True),  # a page number alone is no text layer
        ("경력사항 " * 10, 0.0, False),
        ("\ue000\ue001\ue002" * 10, 0.0, True),  # private-use glyph codes: broken ToUnicode
        ("\x01\x02\x03\x04" * 10, 0.0, True),
        ("Scanned with ExampleScanner app", 1.0, True),  # a stamp over a full-page image
        ("경력사항 " * 40, 1.0, False),  # real text layer over a background image
    ],
)
def test_layer_needs_ocr(text: str, coverage: float, needs_ocr: bool) -> None:
    assert layer_needs_ocr(text, coverage) is needs_ocr


def test_render_scale_caps_huge_pages(settings) -> None:
    settings.OCR_DPI = 300
    settings.MAX_IMAGE_PIXELS = 40_000_000
    assert render_scale(595, 842) == pytest.approx(300 / 72)
    poster = render_scale(72 * 100, 72 * 100)  # a 100-inch square page
    assert (72 * 100 * poster) ** 2 <= 40_000_000 * 1.0001


def _text_image(size: tuple[int, int], font_px: int, background: int = 255, angle: float = 0.0) -> Image.Image:
    image = Image.new("L", size, background)
    draw = ImageDraw.Draw(image)
    for y in range(size[1] // 10, size[1] * 9 // 10, font_px * 2):
        draw.rectangle((size[0] // 10, y, size[0] * 9 // 10, y + font_px), fill=20)  # a "line of text"
    return image.rotate(angle, fillcolor=background) if angle else image


def _screen(size: tuple[int, int], font_px: int) -> Image.Image:
    """A screenshot's lines: flat white, with the soft edges of antialiased glyphs (grey levels between
    ink and paper; two levels only are a black-and-white scan, never a screen)."""
    return _text_image(size, font_px).filter(ImageFilter.GaussianBlur(0.7))


def test_analyse_detects_skew_and_small_text() -> None:
    features = ocr.analyse(_text_image((1600, 2200), 30, background=235, angle=3.0))
    assert features.skew == pytest.approx(-3.0, abs=0.3)
    small = ocr.prepare_page(ocr.RawPage(1, _screen((900, 1000), 12), None))
    assert small.features.kind == "screen" and small.psm == 6
    assert small.features.line_height > ocr.TINY_LINE_PX
    assert small.image.size == (1800, 2000)  # ~13 px lines upscaled 2x
    tiny = ocr.prepare_page(ocr.RawPage(1, _screen((600, 700), 10), None))
    factor = tiny.image.size[0] / 600  # 10 px lines (an 80 dpi screen): towards 32 px, up to 3x
    assert tiny.features.line_height <= ocr.TINY_LINE_PX and 2.5 <= factor <= 3.0


@pytest.mark.parametrize("degrees", [3.0, -2.7, 0.6, -0.4, 12.4, -35.0])
@pytest.mark.parametrize("size", [(1240, 1754), (1241, 877)])
def test_a_page_is_straightened_in_two_halves_into_pillows_own_image_byte_for_byte(size, degrees: float) -> None:
    """The text read from a straightened page cannot depend on the split: half a grey level moved
    single evaluation pages by 0.01-0.05 CER (docs/benchmarks.md, session 27)."""
    grey = _text_image(size, 24, background=236, angle=2.0).filter(ImageFilter.GaussianBlur(1.2))
    whole = grey.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=231)
    halves = ocr.rotated(grey, degrees, 231)
    assert halves.size == whole.size and halves.tobytes() == whole.tobytes()


def test_analyse_recognises_a_photographed_page() -> None:
    photo = Image.new("L", (1000, 1300), 70)  # dark desk
    photo.paste(_text_image((900, 1200), 20, background=200), (50, 50))
    page = ocr.prepare_page(ocr.RawPage(1, photo, None))
    assert page.features.kind == "photo" and page.psm == 6


def test_analyse_recognises_a_photo_on_a_desk_as_light_as_its_paper() -> None:
    # No dark frame to tell it by: the phone's light falling off across the sheet does.
    page = np.asarray(_text_image((1000, 1300), 20, background=235), dtype=np.float32)
    yy, xx = np.mgrid[0:1300, 0:1000]
    lit = page * (0.6 + 0.4 * (1 - ((xx / 1000 - 0.35) ** 2 + (yy / 1300 - 0.3) ** 2) ** 0.5))
    assert ocr.analyse(Image.fromarray(lit.astype(np.uint8))).kind == "photo"
    assert ocr.analyse(_text_image((1000, 1300), 20, background=235)).kind != "photo"  # evenly lit


@pytest.mark.slow
def test_prepare_page_images_matches_what_is_ocrd(fixtures_dir) -> None:
    pages = prepare_page_images((fixtures_dir / "resume_ko_mixed_scan.pdf").read_bytes())
    assert [page.number for page in pages] == [2]
    assert pages[0].image.mode == "L" and pages[0].psm == 4 and pages[0].dpi == 300
    assert ocr.tesseract_command(pages[0], "page.pgm")[:2] == ["tesseract", "page.pgm"]
    assert prepare_page_images((fixtures_dir / "resume_ko_text.pdf").read_bytes()) == []


@pytest.mark.slow
def test_blank_image_has_no_text() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buf, format="PNG")
    with pytest.raises(DomainError) as err:
        extract_text(buf.getvalue())
    assert err.value.code == ErrorCode.NO_TEXT_FOUND


@pytest.mark.slow
def test_ocr_timeout(settings, fixtures_dir) -> None:
    settings.OCR_TIMEOUT = 0.05
    with pytest.raises(DomainError) as err:
        extract_text((fixtures_dir / "job_posting_en_photo.jpg").read_bytes())
    assert err.value.code == ErrorCode.OCR_TIMEOUT


@pytest.mark.slow
def test_multipage_tiff_is_ocrd_page_by_page(fixtures_dir) -> None:
    photo = Image.open(fixtures_dir / "job_posting_en_photo.jpg")
    buf = io.BytesIO()
    photo.save(buf, format="TIFF", save_all=True, append_images=[photo.copy()], compression="tiff_lzw")
    extraction = extract_text(buf.getvalue())
    assert extraction.file_type == "tiff" and extraction.ocr_pages == [1, 2]
    assert extraction.pages[0].text == extraction.pages[1].text


def test_docx_header_inline_controls_and_text_boxes() -> None:
    import docx
    from docx.oxml import parse_xml

    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    )
    box = "<w:txbxContent><w:p><w:r><w:t>상자 속 글</w:t></w:r></w:p></w:txbxContent>"
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "홍길동 | 010-0000-1234"
    document.add_paragraph("본문 첫 줄")
    paragraph = document.add_paragraph("이름: ")
    paragraph._p.append(parse_xml(f"<w:sdt {ns}><w:sdtContent><w:r><w:t>김철수</w:t></w:r></w:sdtContent></w:sdt>"))
    paragraph._p.append(
        parse_xml(
            f"<w:r {ns}><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing>{box}</w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "기간", "2020 ~ 현재"
    buf = io.BytesIO()
    document.save(buf)
    lines = [line for line in extract_text(buf.getvalue()).text.splitlines() if line]
    assert lines == ["홍길동 | 010-0000-1234", "본문 첫 줄", "이름: 김철수", "상자 속 글", "기간 2020 ~ 현재"]


def test_hwpx_tables_become_rows(fixtures_dir) -> None:
    import zipfile

    hp = 'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"'

    def cell(text: str) -> str:
        return f"<hp:tc><hp:subList><hp:p><hp:run><hp:t>{text}</hp:t></hp:run></hp:p></hp:subList></hp:tc>"

    rows = f"<hp:tr>{cell('자격증')}{cell('SQLD')}</hp:tr><hp:tr>{cell('어학')}{cell('TOEIC 900')}</hp:tr>"
    table = f"<hp:tbl>{rows}</hp:tbl>"
    section = (
        f'<hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" {hp}>'
        f"<hp:p><hp:run><hp:t>표 앞<hp:tab/>문단</hp:t></hp:run></hp:p>"
        f"<hp:p><hp:run>{table}</hp:run><hp:run><hp:t>표 뒤</hp:t></hp:run></hp:p></hs:sec>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(fixtures_dir / "resume_ko_hwp.hwpx") as source, zipfile.ZipFile(buf, "w") as target:
        for item in source.infolist():
            data = section.encode() if item.filename == "Contents/section0.xml" else source.read(item)
            target.writestr(item, data)
    lines = extract_text(buf.getvalue()).text.splitlines()
    assert lines == ["표 앞\t문단", "자격증 SQLD", "어학 TOEIC 900", "표 뒤"]


def test_concurrent_pdf_extraction_is_safe(fixtures_dir) -> None:
    # pdfium is not thread-safe; the module serialises it, so threads (e.g. an ASGI server) may share it.
    from concurrent.futures import ThreadPoolExecutor

    data = (fixtures_dir / "resume_ko_text.pdf").read_bytes()
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(lambda _: extract_text(data).text, range(16)))
    assert len(set(texts)) == 1
