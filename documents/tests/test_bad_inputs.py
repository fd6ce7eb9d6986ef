"""Bad inputs fail fast with a stable code, and bombs are refused before anything is inflated."""

from __future__ import annotations

import io
import time
import zipfile

import pikepdf
import pytest
from PIL import Image, ImageFile

from aiserver.errors import DomainError, ErrorCode
from documents.extraction import extract_text

BAD = {
    "empty.pdf": ErrorCode.EMPTY_FILE,
    "truncated.pdf": ErrorCode.CORRUPT_FILE,
    "encrypted.pdf": ErrorCode.ENCRYPTED_PDF,
    "not_a_pdf.pdf": ErrorCode.UNSUPPORTED_TYPE,
    "decompression_bomb.png": ErrorCode.IMAGE_TOO_LARGE,
    "zip_bomb.docx": ErrorCode.ARCHIVE_TOO_LARGE,
    "many_pages.pdf": ErrorCode.TOO_MANY_PAGES,
    "unsupported.xyz": ErrorCode.UNSUPPORTED_TYPE,
    "javascript.pdf": ErrorCode.PDF_ACTIVE_CONTENT,
}


def _refused(data: bytes, **kwargs: str) -> DomainError:
    with pytest.raises(DomainError) as err:
        extract_text(data, **kwargs)
    return err.value


def test_every_bad_fixture_is_covered(fixtures_dir) -> None:
    names = {p.name for p in (fixtures_dir / "bad").iterdir() if p.name != "README.md"}
    assert names == set(BAD)


@pytest.mark.parametrize(("name", "code"), BAD.items())
def test_bad_fixture_fails_fast_with_its_code(fixtures_dir, name: str, code: ErrorCode) -> None:
    data = (fixtures_dir / "bad" / name).read_bytes()
    # Timed the second time: the first may import the format's parser (50-300 ms, once a process; 2.9 s
    # once on a busy disk), which is no cost of refusing this input.
    _refused(data, declared_type=name.rsplit(".", 1)[-1])
    started = time.perf_counter()
    error = _refused(data, declared_type=name.rsplit(".", 1)[-1])
    elapsed = time.perf_counter() - started
    print(f"{name}: {error.code} in {elapsed * 1000:.1f} ms: {error.message}")
    assert error.code == code
    assert error.message and not error.retryable
    assert elapsed < 1.0


def test_zip_bomb_is_refused_from_the_directory(fixtures_dir, monkeypatch) -> None:
    def no_inflating(*args: object, **kwargs: object) -> None:
        raise AssertionError("an archive member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    assert _refused((fixtures_dir / "bad" / "zip_bomb.docx").read_bytes()).code == ErrorCode.ARCHIVE_TOO_LARGE


def test_decompression_bomb_is_refused_from_the_header(fixtures_dir, monkeypatch) -> None:
    def no_decoding(self: object) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    data = (fixtures_dir / "bad" / "decompression_bomb.png").read_bytes()
    assert _refused(data).code == ErrorCode.IMAGE_TOO_LARGE


def test_image_over_our_pixel_limit(settings, monkeypatch) -> None:
    settings.MAX_IMAGE_PIXELS = 10_000  # far below Pillow's own bomb limit: our check must fire
    buf = io.BytesIO()
    Image.new("L", (200, 100), 255).save(buf, format="PNG")
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("pixels were decoded"))
    assert _refused(buf.getvalue()).code == ErrorCode.IMAGE_TOO_LARGE


def test_file_size_limit(settings, fixtures_dir) -> None:
    settings.MAX_FILE_BYTES = 1000
    assert _refused((fixtures_dir / "resume_en_text.pdf").read_bytes()).code == ErrorCode.FILE_TOO_LARGE


def test_page_limit(settings, fixtures_dir) -> None:
    settings.MAX_PAGES = 1
    assert _refused((fixtures_dir / "resume_ko_text.pdf").read_bytes()).code == ErrorCode.TOO_MANY_PAGES


def test_tiff_frame_limit(settings) -> None:
    settings.MAX_PAGES = 2
    frames = [Image.new("L", (20, 20), 255) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    assert _refused(buf.getvalue()).code == ErrorCode.TOO_MANY_PAGES


def test_high_ratio_archive_member(settings) -> None:
    settings.MAX_ARCHIVE_BYTES = 100 * 1024 * 1024
    settings.MAX_ARCHIVE_RATIO = 100
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (20 * 1024 * 1024))  # ~1000:1, under the size cap
    assert _refused(buf.getvalue()).code == ErrorCode.ARCHIVE_TOO_LARGE


def test_damaged_docx_is_corrupt() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", b"<not xml")
    assert _refused(buf.getvalue()).code == ErrorCode.CORRUPT_FILE


def test_hwpx_with_entity_expansion_is_refused() -> None:
    laughs = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><s>&b;</s>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", b"application/hwp+zip")
        zf.writestr("Contents/section0.xml", laughs)
    assert _refused(buf.getvalue()).code == ErrorCode.CORRUPT_FILE


def test_truncated_image_is_corrupt(fixtures_dir) -> None:
    data = (fixtures_dir / "job_posting_ko_screenshot.png").read_bytes()
    assert _refused(data[: len(data) // 3]).code == ErrorCode.CORRUPT_FILE


def _pdf_with(fixtures_dir, change) -> bytes:
    pdf = pikepdf.open(fixtures_dir / "resume_en_text.pdf")
    change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _js(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


@pytest.mark.parametrize(
    "change",
    [
        lambda pdf: setattr(pdf.Root, "OpenAction", _js(pdf)),  # direct action in the catalog
        lambda pdf: setattr(pdf.Root, "OpenAction", pdf.make_indirect(_js(pdf))),
        lambda pdf: setattr(pdf.pages[0].obj, "AA", pikepdf.Dictionary(O=_js(pdf))),  # page-open action
        lambda pdf: setattr(
            pdf.pages[0].obj,
            "Annots",
            pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, A=_js(pdf))]),
        ),
        lambda pdf: setattr(
            pdf.Root, "OpenAction", pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        ),
    ],
    ids=["openaction-direct", "openaction-indirect", "page-aa", "link-annotation", "launch"],
)
def test_active_content_anywhere_is_refused(fixtures_dir, change) -> None:
    assert _refused(_pdf_with(fixtures_dir, change)).code == ErrorCode.PDF_ACTIVE_CONTENT


def test_pdf_with_plain_link_is_accepted(fixtures_dir) -> None:
    uri = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.com"))
    data = _pdf_with(fixtures_dir, lambda pdf: setattr(pdf.Root, "OpenAction", uri))
    assert extract_text(data).page_count == 1
