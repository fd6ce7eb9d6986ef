"""Type detection from bytes: every fixture, every accepted image format, text encodings, and the
look-alikes that must not be mistaken for something else."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from PIL import Image

from aiserver.errors import DomainError, ErrorCode
from documents.filetypes import decode_text, detect_type
from documents.tests.test_hwp import build_hwp, build_ole

FIXTURE_TYPES = {
    "resume_ko_text.pdf": "pdf",
    "resume_en_text.pdf": "pdf",
    "resume_ko_scan.pdf": "pdf",
    "resume_ko_mixed_scan.pdf": "pdf",
    "job_posting_ko_screenshot.png": "png",
    "job_posting_en_photo.jpg": "jpeg",
    "job_posting_ko.docx": "docx",
    "resume_en.docx": "docx",
    "job_posting_en.txt": "text",
    "resume_ko.md": "text",
    "resume_ko_hwp.hwpx": "hwpx",
    "bad/truncated.pdf": "pdf",  # still a PDF by its bytes; extraction refuses it later
    "bad/decompression_bomb.png": "png",
    "bad/zip_bomb.docx": "docx",
}


@pytest.mark.parametrize(("name", "expected"), FIXTURE_TYPES.items())
def test_fixture_types(fixtures_dir, name: str, expected: str) -> None:
    assert detect_type((fixtures_dir / name).read_bytes()) == expected


@pytest.mark.parametrize(("fmt", "expected"), [("TIFF", "tiff"), ("WEBP", "webp"), ("GIF", "gif"), ("BMP", "bmp")])
def test_other_image_formats(fmt: str, expected: str) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (32, 16), "white").save(buf, format=fmt)
    assert detect_type(buf.getvalue()) == expected


@pytest.mark.parametrize(
    "data",
    [
        "이력서 # Markdown".encode(),
        "\ufeff이력서".encode(),  # UTF-8 with BOM
        "이력서\r\n경력".encode("utf-16"),  # UTF-16 with BOM
        "이력서 경력사항".encode("cp949"),  # legacy Korean Windows text
        b"BMW and other cars\n",  # starts like a BMP header, is text
        b"# Notes\nPDF files start with %PDF-1.7 and end with %%EOF\n",
    ],
)
def test_text_is_detected(data: bytes) -> None:
    assert detect_type(data) == "text"


def test_decode_text_encodings() -> None:
    assert decode_text("\ufeff한글".encode()) == "한글"
    assert decode_text("한글".encode("utf-16-be").join([b"\xfe\xff", b""])) == "한글"
    assert decode_text("한글".encode("cp949")) == "한글"
    assert decode_text(b"\x00\x01\x02binary") is None


def test_pdf_header_after_binary_junk_is_pdf() -> None:
    assert detect_type(b"\x00\x01junk\xff" + b"%PDF-1.4\n...") == "pdf"


def test_empty_file() -> None:
    with pytest.raises(DomainError) as err:
        detect_type(b"")
    assert err.value.code == ErrorCode.EMPTY_FILE


@pytest.mark.parametrize(
    "data",
    [
        b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8,  # executable
        b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64,  # audio
        bytes(range(256)) * 16,  # random-looking binary
        b"\x1f\x8b\x08\x00" + b"\x00" * 64,  # gzip
    ],
)
def test_binary_is_unsupported(data: bytes) -> None:
    with pytest.raises(DomainError) as err:
        detect_type(data)
    assert err.value.code == ErrorCode.UNSUPPORTED_TYPE


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_containers() -> None:
    assert detect_type(_zip({"mimetype": b"application/hwp+zip", "Contents/x.xml": b""})) == "hwpx"
    assert detect_type(_zip({"Contents/section0.xml": b"<a/>"})) == "hwpx"
    with pytest.raises(DomainError) as err:
        detect_type(_zip({"xl/workbook.xml": b"<a/>"}))  # XLSX
    assert err.value.code == ErrorCode.UNSUPPORTED_TYPE


def test_damaged_zip_is_corrupt() -> None:
    with pytest.raises(DomainError) as err:
        detect_type(b"PK\x03\x04" + b"\x00" * 100)
    assert err.value.code == ErrorCode.CORRUPT_FILE


def test_ole_containers() -> None:
    assert detect_type(build_hwp([["문단"]])) == "hwp"
    # Password-protected DOCX: an OLE2 wrapper with EncryptionInfo + EncryptedPackage.
    encrypted = build_ole({"EncryptionInfo": b"\0" * 4096, "EncryptedPackage": b"\0" * 4096})
    with pytest.raises(DomainError) as err:
        detect_type(encrypted)
    assert err.value.code == ErrorCode.ENCRYPTED_FILE
    legacy_doc = build_ole({"WordDocument": b"\0" * 4096})
    with pytest.raises(DomainError) as err:
        detect_type(legacy_doc)
    assert err.value.code == ErrorCode.UNSUPPORTED_TYPE


def test_bmp_needs_a_consistent_header() -> None:
    header = b"BM" + struct.pack("<IHHI", 70, 0, 0, 54) + struct.pack("<I", 40)
    assert detect_type(header + b"\0" * (70 - len(header))) == "bmp"
