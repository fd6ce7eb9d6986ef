"""Word-processor formats: DOCX, HWPX (both ZIP packages) and HWP 5 (binary, OLE2 compound file).

Each `*_text(data) -> list[str]` returns the document's lines in reading order: one per paragraph,
one per table row (cells joined by a space). ZIP packages are checked for bombs from their directory
before anything is inflated; HWP streams are inflated with a hard output limit.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from itertools import takewhile
from typing import Any

from django.conf import settings

from aiserver.errors import DomainError, ErrorCode

MIN_ZIP_RATIO_BYTES = 1024 * 1024  # entries smaller than this may compress as well as they like
MAX_ZIP_ENTRIES = 10_000


def check_archive(data: bytes) -> zipfile.ZipFile:
    """Open a ZIP and refuse bombs from its directory alone (declared sizes, nothing inflated).

    zipfile stops reading an entry at its declared size (and fails the CRC), so a directory that
    lies about sizes cannot make a parser inflate more than was checked here.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise DomainError(ErrorCode.CORRUPT_FILE, f"The ZIP container is damaged: {exc}") from exc
    total = sum(info.file_size for info in entries)
    packed = sum(info.compress_size for info in entries)
    too_large = (
        len(entries) > MAX_ZIP_ENTRIES
        or total > settings.MAX_ARCHIVE_BYTES
        or (total > MIN_ZIP_RATIO_BYTES and total > settings.MAX_ARCHIVE_RATIO * max(packed, 1))
        or any(
            info.file_size > MIN_ZIP_RATIO_BYTES
            and info.file_size > settings.MAX_ARCHIVE_RATIO * max(info.compress_size, 1)
            for info in entries
        )
    )
    if too_large:
        archive.close()
        raise DomainError(
            ErrorCode.ARCHIVE_TOO_LARGE,
            f"The archive would inflate to {total:,} bytes from {packed:,} ({len(entries)} entries); "
            f"limits: {settings.MAX_ARCHIVE_BYTES:,} bytes, ratio {settings.MAX_ARCHIVE_RATIO}:1.",
        )
    return archive


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DOCX_TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
# Not running text: property blocks (tab stop definitions are w:tab too), text boxes (read as
# paragraphs of their own) and the VML copy of every text box.
_DOCX_SKIP = {f"{W}pPr", f"{W}rPr", f"{W}txbxContent", MC_FALLBACK}


def _inside(element: Any, stop: Any, tags: set[str]) -> bool:
    """True if an ancestor of `element` below `stop` has one of `tags`."""
    return any(a.tag in tags for a in takewhile(lambda a: a is not stop, element.iterancestors()))


def docx_paragraph_text(paragraph: Any) -> str:
    """Text of a w:p in order, including runs nested in hyperlinks, fields, inline content controls
    and tracked insertions (python-docx's Paragraph.text reads direct runs and hyperlinks only)."""
    parts = []
    for node in paragraph.iter(*_DOCX_TEXT):
        if not _inside(node, paragraph, _DOCX_SKIP):
            fixed = _DOCX_TEXT[node.tag]
            parts.append((node.text or "") if fixed is None else fixed)
    return "".join(parts)


def docx_blocks(element: Any) -> Iterator[str]:
    """Lines of a WordprocessingML container in body order: paragraphs, then table rows (cells
    joined by a space); content controls (w:sdt) are walked through."""
    for child in element:
        if child.tag == f"{W}p":
            yield docx_paragraph_text(child)
            for box in child.iter(f"{W}txbxContent"):
                if not _inside(box, child, {f"{W}txbxContent", MC_FALLBACK}):  # nested boxes: via recursion
                    yield from docx_blocks(box)
        elif child.tag == f"{W}tbl":
            for row in child.iterchildren(f"{W}tr"):
                cells = (" ".join(filter(None, docx_blocks(cell))) for cell in row.iterchildren(f"{W}tc"))
                yield " ".join(filter(None, cells))
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
            yield from docx_blocks(child)


def docx_text(data: bytes) -> list[str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_archive(data).close()
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(docx_blocks(document.element.body))
        # Contact details often live in the page header: keep unique header/footer lines around the body.
        seen: set[str] = set(lines)
        header: list[str] = []
        footer: list[str] = []
        for section in document.sections:
            for part, sink in ((section.first_page_header, header), (section.header, header),
                               (section.footer, footer)):  # fmt: skip
                if part.is_linked_to_previous:
                    continue
                for line in docx_blocks(part._element):
                    if line.strip() and line not in seen:
                        seen.add(line)
                        sink.append(line)
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile) as exc:
        raise DomainError(ErrorCode.CORRUPT_FILE, f"The DOCX cannot be read: {exc}") from exc
    return header + lines + footer


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def hwpx_lines(element: Any) -> Iterator[str]:
    """One line per hp:p paragraph in document order; tables give one line per row."""
    for child in element:
        name = _local(child.tag)
        if name == "p":
            yield from _hwpx_paragraph(child)
        elif name == "tbl":
            yield from _hwpx_table(child)
        else:
            yield from hwpx_lines(child)


def _hwpx_paragraph(paragraph: Any) -> list[str]:
    """The paragraph's text as one line; a table or text box inside it breaks the line there, so
    everything stays in document order."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            lines.append("".join(current))
            current.clear()

    def walk(node: Any) -> None:
        for child in node:
            name = _local(child.tag)
            if name == "t":
                current.append(child.text or "")
                for inline in child:  # hp:tab, hp:lineBreak ... inside the text run
                    current.append({"tab": "\t", "lineBreak": "\n"}.get(_local(inline.tag), ""))
                    current.append(inline.tail or "")
            elif name in ("tbl", "p"):  # tables; text boxes and other sub-lists
                flush()
                lines.extend(_hwpx_table(child) if name == "tbl" else _hwpx_paragraph(child))
            else:
                walk(child)

    walk(paragraph)
    flush()
    return lines or [""]  # an empty paragraph is a blank line


def _hwpx_table(table: Any) -> Iterator[str]:
    for row in table:
        if _local(row.tag) == "tr":
            cells = (" ".join(filter(None, hwpx_lines(cell))) for cell in row if _local(cell.tag) == "tc")
            yield " ".join(filter(None, cells))


def hwpx_text(data: bytes) -> list[str]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    with check_archive(data) as archive:
        names = archive.namelist()
        if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
            raise DomainError(ErrorCode.ENCRYPTED_FILE, "The HWPX document is password-protected.")
        found = [(m, n) for n in names if (m := re.fullmatch(r"Contents/section(\d+)\.xml", n))]
        sections = [name for match, name in sorted(found, key=lambda item: int(item[0].group(1)))]
        if not sections:
            raise DomainError(ErrorCode.CORRUPT_FILE, "The HWPX package has no Contents/section*.xml.")
        lines: list[str] = []
        for name in sections:
            try:
                lines.extend(hwpx_lines(fromstring(archive.read(name))))
            except (ParseError, DefusedXmlException, zipfile.BadZipFile) as exc:
                raise DomainError(ErrorCode.CORRUPT_FILE, f"{name} cannot be read: {exc}") from exc
    return lines


# ------------------------------------------------------------------------------------------ HWP 5
# Format: "HWP Document File Formats 5.0" (Hancom, revision 1.3). FileHeader: 32-byte signature,
# DWORD version, DWORD flags. BodyText/SectionN: a sequence of records, raw-deflated when bit 0 of
# the flags is set.
HWP_FLAG_COMPRESSED = 0x01
HWP_FLAG_PASSWORD = 0x02
HWP_FLAG_DISTRIBUTION = 0x04  # "배포용 문서": body moved to ViewText/, AES-encrypted
HWP_FLAG_DRM = 0x10
HWP_FLAG_CERT_ENCRYPTED = 0x100
HWPTAG_PARA_TEXT = 0x10 + 51  # 67
# Controls inside PARA_TEXT (code < 32). "Char" controls take one WCHAR; every other code is an
# inline or extended control taking 8 WCHARs (the code, 6 WCHARs of payload, the code again).
_HWP_CHAR_CONTROLS = {
    0: "",
    10: "\n",
    13: "",
    24: "-",
    25: "",
    26: "",
    27: "",
    28: "",
    29: "",
    30: " ",
    31: " ",
}
_HWP_TAB = 9  # an inline control (8 WCHARs) that reads as a tab


def hwp_records(stream: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(tag id, level, payload) for each record. Header: DWORD with tag = bits 0-9, level = 10-19,
    size = 20-31; size 0xFFF means the real size follows as another DWORD."""
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        (header,) = struct.unpack_from("<I", stream, pos)
        pos += 4
        tag, level, size = header & 0x3FF, (header >> 10) & 0x3FF, header >> 20
        if size == 0xFFF:
            if pos + 4 > end:
                raise DomainError(ErrorCode.CORRUPT_FILE, "HWP record header is truncated.")
            (size,) = struct.unpack_from("<I", stream, pos)
            pos += 4
        if pos + size > end:
            raise DomainError(ErrorCode.CORRUPT_FILE, "HWP record runs past the end of its stream.")
        yield tag, level, stream[pos : pos + size]
        pos += size


def hwp_para_text(payload: bytes) -> str:
    """Decode a PARA_TEXT payload (UTF-16LE) without its control characters."""
    units = struct.unpack(f"<{len(payload) // 2}H", payload[: len(payload) // 2 * 2])
    kept = bytearray()
    i = 0
    while i < len(units):
        code = units[i]
        if code >= 32:
            kept += struct.pack("<H", code)
            i += 1
        elif code in _HWP_CHAR_CONTROLS:
            kept += _HWP_CHAR_CONTROLS[code].encode("utf-16-le")
            i += 1
        else:  # tables, pictures, fields, footnotes...: their text comes as separate records
            if code == _HWP_TAB:
                kept += "\t".encode("utf-16-le")
            i += 8
    return kept.decode("utf-16-le", "replace")  # surrogate pairs re-join here


def inflate_raw(data: bytes, limit: int) -> bytes:
    """Raw-deflate (wbits=-15) with a hard cap on the output: a bomb stops at `limit` bytes."""
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise DomainError(ErrorCode.CORRUPT_FILE, f"HWP section cannot be decompressed: {exc}") from exc
    if len(out) > limit:
        raise DomainError(ErrorCode.ARCHIVE_TOO_LARGE, f"HWP body text inflates beyond {limit:,} bytes.")
    return out


def hwp_text(data: bytes) -> list[str]:
    """Lines of a binary HWP 5 document: one per paragraph (table cells, text boxes, headers and
    footnotes are paragraphs of their own, in stream order)."""
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError, struct.error) as exc:
        raise DomainError(ErrorCode.CORRUPT_FILE, f"The HWP file is damaged: {exc}") from exc
    with ole:
        try:
            header = ole.openstream("FileHeader").read(256)
            (flags,) = struct.unpack_from("<I", header, 36)
            if flags & (HWP_FLAG_PASSWORD | HWP_FLAG_DRM | HWP_FLAG_CERT_ENCRYPTED):
                raise DomainError(ErrorCode.ENCRYPTED_FILE, "The HWP document is password- or DRM-protected.")
            if flags & HWP_FLAG_DISTRIBUTION:
                raise DomainError(
                    ErrorCode.ENCRYPTED_FILE,
                    "HWP distribution documents (배포용 문서) are encrypted; not supported.",
                )
            found = [
                (int(p[1][7:]), p) for p in ole.listdir() if p[0] == "BodyText" and re.fullmatch(r"Section\d+", p[1])
            ]
            if not found:
                raise DomainError(ErrorCode.CORRUPT_FILE, "The HWP file has no BodyText sections.")
            streams = [ole.openstream(path).read() for _, path in sorted(found)]
        except (OSError, struct.error) as exc:
            raise DomainError(ErrorCode.CORRUPT_FILE, f"The HWP file is damaged: {exc}") from exc
    lines: list[str] = []
    budget = settings.MAX_ARCHIVE_BYTES
    for stream in streams:
        if flags & HWP_FLAG_COMPRESSED:
            limit = min(budget, max(MIN_ZIP_RATIO_BYTES, settings.MAX_ARCHIVE_RATIO * len(stream)))
            stream = inflate_raw(stream, limit)
            budget -= len(stream)
        lines.extend(hwp_para_text(payload) for tag, _, payload in hwp_records(stream) if tag == HWPTAG_PARA_TEXT)
    return lines
