"""File type detection from content (magic bytes), never from the name or the declared type.

A name or a Content-Type is whatever the uploader says; the bytes are what the parsers will see.
"""

from __future__ import annotations

import io
import struct
import zipfile

from aiserver.errors import DomainError, ErrorCode

FILE_TYPES = ("pdf", "png", "jpeg", "tiff", "webp", "gif", "bmp", "docx", "hwpx", "hwp", "text")
IMAGE_TYPES = frozenset({"png", "jpeg", "tiff", "webp", "gif", "bmp"})

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP_SIGNATURE = b"HWP Document File"
HWPX_MIMETYPE = b"application/hwp+zip"
_TEXT_SNIFF_BYTES = 64 * 1024
# Bytes allowed in text besides printable characters: tab, LF, VT, FF, CR, ESC (ANSI logs).
_TEXT_CONTROLS = frozenset("\t\n\x0b\x0c\r\x1b")


def detect_type(data: bytes) -> str:
    """Return one of FILE_TYPES, or raise DomainError (EMPTY_FILE, UNSUPPORTED_TYPE, ENCRYPTED_FILE)."""
    if not data:
        raise DomainError(ErrorCode.EMPTY_FILE, "The file is empty.")
    head = data[:16]
    # PDF readers accept the header anywhere in the first 1 KiB (some tools prepend binary junk),
    # but a text file that merely mentions "%PDF-" must stay text.
    pdf_at = data.find(b"%PDF-", 0, 1024)
    if pdf_at == 0 or (pdf_at > 0 and decode_text(data[:pdf_at]) is None):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if _is_bmp(data):
        return "bmp"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _detect_zip(data)
    if head[:8] == OLE_MAGIC:
        return _detect_ole(data)
    if looks_like_text(data):
        return "text"
    raise DomainError(ErrorCode.UNSUPPORTED_TYPE, _unsupported_message(data))


def _is_bmp(data: bytes) -> bool:
    # "BM" alone is too weak (a text file may start with it): check the header's own sizes too.
    if len(data) < 26 or data[:2] != b"BM":
        return False
    declared_size, dib_size = struct.unpack_from("<I", data, 2)[0], struct.unpack_from("<I", data, 14)[0]
    return dib_size in (12, 40, 52, 56, 64, 108, 124) and declared_size in (0, len(data))


def _detect_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "Contents/section0.xml" in names:
                return "hwpx"
            small_mimetype = "mimetype" in names and zf.getinfo("mimetype").file_size <= 64
            if small_mimetype and zf.read("mimetype").strip() == HWPX_MIMETYPE:
                return "hwpx"
    # zipfile raises NotImplementedError for compression methods it cannot read: a damaged or
    # exotic container, reported like any other unreadable ZIP.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise DomainError(ErrorCode.CORRUPT_FILE, f"The ZIP container is damaged: {exc}") from exc
    raise DomainError(
        ErrorCode.UNSUPPORTED_TYPE,
        "ZIP archive that is neither DOCX nor HWPX (other Office formats and plain ZIPs are not supported).",
    )


def _detect_ole(data: bytes) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError, struct.error) as exc:  # olefile raises OSError for damaged files
        raise DomainError(ErrorCode.CORRUPT_FILE, f"The compound (OLE2) file is damaged: {exc}") from exc
    try:
        has_header = ole.exists("FileHeader") and ole.get_size("FileHeader") >= 32
        if has_header and ole.openstream("FileHeader").read(32).startswith(HWP_SIGNATURE):
            return "hwp"
        if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
            # A password-protected DOCX/XLSX is an OLE2 wrapper around the encrypted ZIP.
            raise DomainError(
                ErrorCode.ENCRYPTED_FILE, "The Office document is password-protected; remove the password."
            )
    finally:
        ole.close()
    raise DomainError(
        ErrorCode.UNSUPPORTED_TYPE,
        "Legacy OLE2 document (.doc/.xls/.ppt or similar) is not supported; save it as DOCX or PDF.",
    )


def decode_text(data: bytes) -> str | None:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else CP949 (legacy Korean).

    Returns None when the bytes do not decode or look binary.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[tuple[bytes, str], ...] = ((data[3:], "utf-8"),)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ((data, "utf-16"),)
    elif b"\x00" in data[:_TEXT_SNIFF_BYTES]:
        return None  # NUL bytes without a UTF-16 BOM: binary
    else:
        candidates = ((data, "utf-8"), (data, "cp949"))
    for raw, encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text
    return None


def looks_like_text(data: bytes) -> bool:
    # Sniff a prefix only: cut at a safe point so a multi-byte character split at the end still decodes.
    sample = data[:_TEXT_SNIFF_BYTES]
    if len(data) > _TEXT_SNIFF_BYTES:
        if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
            sample = sample[: len(sample) // 2 * 2 - 2]
        else:
            sample = sample[: sample.rfind(b"\n") + 1 or len(sample) - 4]
    return decode_text(sample) is not None


def _mostly_printable(text: str) -> bool:
    if "\x00" in text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _TEXT_CONTROLS)
    return controls <= len(text) // 100


def _unsupported_message(data: bytes) -> str:
    head = data[:12]
    if head[:4] == b"RIFF":
        return f"Unsupported RIFF file ({data[8:12].decode('latin-1')!r}); only WebP images are accepted."
    if head[:4] == b"\x7fELF":
        return "This is an executable (ELF), not a document."
    return "Unsupported file type: not a PDF, image, DOCX, HWP/HWPX or text file."
