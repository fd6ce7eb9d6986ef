"""HWP 5 (binary) support. There is no .hwp fixture and no HWP writer installed, so these tests
build real OLE2 compound files with a minimal writer (`build_ole`) and HWP 5 streams by hand,
following the published format (Hancom "HWP Document File Formats 5.0", revision 1.3)."""

from __future__ import annotations

import struct
import time
import zlib

import olefile
import pytest

from aiserver.errors import DomainError, ErrorCode
from conftest import cer
from documents import wordproc
from documents.extraction import extract_text
from documents.filetypes import detect_type

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _cfb_key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())  # sibling order in a compound file directory


def build_ole(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding `streams` ({"Storage/Stream": data}, one level of storages).

    Streams shorter than 4096 bytes would belong in the mini stream, which this writer skips:
    callers pad their streams (olefile reads them back at the padded length).
    """
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "kids": [], "data": b""}]
    storages: dict[str, int] = {}
    for path, data in streams.items():
        assert len(data) >= 4096, f"{path}: pad streams to at least 4096 bytes"
        parent = 0
        if "/" in path:
            storage, path = path.split("/", 1)
            if storage not in storages:
                storages[storage] = len(entries)
                entries.append({"name": storage, "type": 1, "kids": [], "data": b""})
                entries[0]["kids"].append(storages[storage])
            parent = storages[storage]
        entries[parent]["kids"].append(len(entries))
        entries.append({"name": path, "type": 2, "kids": [], "data": data})

    # Sector plan: FAT sectors, directory sectors, then each stream's data.
    dir_sectors = -(-len(entries) // 4)
    data_sectors = [-(-len(e["data"]) // SECTOR) for e in entries]
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + sum(data_sectors):
        fat_sectors += 1
    fat = [FAT_SECTOR] * fat_sectors
    fat += [*range(fat_sectors + 1, fat_sectors + dir_sectors), END]
    for entry, count in zip(entries, data_sectors, strict=True):
        entry["start"] = len(fat) if count else END
        fat += [*range(len(fat) + 1, len(fat) + count), END] if count else []
    fat += [FREE] * (fat_sectors * 128 - len(fat))

    # Children of a storage: a right-leaning chain in directory order (a valid binary search tree).
    for entry in entries:
        kids = sorted(entry["kids"], key=lambda i: _cfb_key(entries[i]["name"]))
        entry["child"] = kids[0] if kids else NO_STREAM
        for left, right in zip(kids, kids[1:], strict=False):
            entries[left]["right"] = right

    directory = b""
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += name.ljust(64, b"\0") + struct.pack(
            "<HBBIII16sIQQIQ",
            len(name), entry["type"], 1, NO_STREAM, entry.get("right", NO_STREAM), entry["child"],
            b"", 0, 0, 0, entry["start"], len(entry["data"]),
        )  # fmt: skip
    directory = directory.ljust(dir_sectors * SECTOR, b"\0")

    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        bytes.fromhex("d0cf11e0a1b11ae1"), b"", 0x3E, 3, 0xFFFE, 9, 6, b"",
        0, fat_sectors, fat_sectors, 0, 4096, END, 0, END, 0, *difat,
    )  # fmt: skip
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    for entry in entries:
        body += entry["data"].ljust(-(-len(entry["data"]) // SECTOR) * SECTOR, b"\0")
    return header + body


def record(tag: int, level: int, payload: bytes) -> bytes:
    size = len(payload)
    if size >= 0xFFF:
        return struct.pack("<II", tag | level << 10 | 0xFFF << 20, size) + payload
    return struct.pack("<I", tag | level << 10 | size << 20) + payload


def para_text(text: str, *, controls: bool = False) -> bytes:
    """PARA_TEXT payload: UTF-16LE ending with a paragraph break (13); optionally led by a section
    definition (extended control 2, 8 WCHARs) and a table anchor (extended control 11)."""
    prefix = b""
    if controls:
        prefix = struct.pack("<H", 2) + b"dces" + b"\0" * 8 + struct.pack("<H", 2)
        prefix += struct.pack("<H", 11) + b" lbt" + b"\0" * 8 + struct.pack("<H", 11)
    return prefix + text.encode("utf-16-le") + struct.pack("<H", 13)


def section(paragraphs: list[str]) -> bytes:
    out = b""
    for i, text in enumerate(paragraphs):
        out += record(wordproc.HWPTAG_PARA_TEXT - 1, 0, b"\0" * 22)  # PARA_HEADER, skipped
        out += record(wordproc.HWPTAG_PARA_TEXT, 1, para_text(text, controls=i == 0))
    return out


def build_hwp(sections: list[list[str]], *, compressed: bool = True, flags: int = 0) -> bytes:
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, flags | compressed)
    streams = {"FileHeader": header.ljust(4096, b"\0")}
    for number, paragraphs in enumerate(sections):
        body = section(paragraphs)
        if compressed:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            body = packer.compress(body) + packer.flush()
        else:  # a filler record (>= 0xFFF bytes: extended size header) keeps the stream >= 4096 bytes
            body += record(0x3F0, 0, b"\0" * 4096)
        streams[f"BodyText/Section{number}"] = body.ljust(4096, b"\0")
    return build_ole(streams)


def test_ole_writer_round_trips_through_olefile() -> None:
    data = build_ole({"FileHeader": b"x" * 5000, "BodyText/Section0": b"y" * 4096, "BodyText/Section1": b"z" * 9000})
    ole = olefile.OleFileIO(data)
    assert sorted(ole.listdir()) == [["BodyText", "Section0"], ["BodyText", "Section1"], ["FileHeader"]]
    assert ole.openstream("BodyText/Section1").read() == b"z" * 9000


def test_record_walker_reads_normal_and_extended_sizes() -> None:
    stream = record(66, 0, b"ab") + record(67, 1, b"x" * 5000) + record(68, 2, b"")
    assert [(tag, level, len(p)) for tag, level, p in wordproc.hwp_records(stream)] == [
        (66, 0, 2),
        (67, 1, 5000),
        (68, 2, 0),
    ]


def test_record_walker_refuses_truncated_records() -> None:
    with pytest.raises(DomainError) as err:
        list(wordproc.hwp_records(record(67, 0, b"x" * 40)[:-1]))
    assert err.value.code == ErrorCode.CORRUPT_FILE


def test_para_text_drops_controls_and_keeps_characters() -> None:
    payload = para_text("경력 사항", controls=True)
    tab = struct.pack("<H", 9) + b"\0" * 12 + struct.pack("<H", 9)  # inline control: 8 WCHARs
    payload = payload[:-2] + tab + "Python😀".encode("utf-16-le") + struct.pack("<HHH", 10, 30, 13)
    assert wordproc.hwp_para_text(payload) == "경력 사항\tPython😀\n "


def test_inflate_stops_at_the_limit() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = packer.compress(b"\0" * 50_000_000) + packer.flush()
    started = time.perf_counter()
    with pytest.raises(DomainError) as err:
        wordproc.inflate_raw(bomb, 1_000_000)
    assert err.value.code == ErrorCode.ARCHIVE_TOO_LARGE
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("compressed", [True, False])
def test_hwp_document_end_to_end(fixtures_dir, compressed: bool) -> None:
    # The HWPX fixture's resume, written as binary HWP 5 over two sections.
    lines = (fixtures_dir / "resume_ko_hwp.expected.txt").read_text(encoding="utf-8").splitlines()
    data = build_hwp([lines[:8], lines[8:]], compressed=compressed)
    assert detect_type(data) == "hwp"
    extraction = extract_text(data)
    measured = cer(extraction.text, "\n".join(lines))
    print(f"hwp (generated, compressed={compressed}) CER {measured:.4f}")
    assert measured < 0.02
    assert extraction.file_type == "hwp" and extraction.ocr_pages == []


@pytest.mark.parametrize("flags", [wordproc.HWP_FLAG_PASSWORD, wordproc.HWP_FLAG_DISTRIBUTION, wordproc.HWP_FLAG_DRM])
def test_protected_hwp_is_refused(flags: int) -> None:
    with pytest.raises(DomainError) as err:
        extract_text(build_hwp([["비밀 문서"]], flags=flags))
    assert err.value.code == ErrorCode.ENCRYPTED_FILE


def test_hwp_section_bomb_is_refused(settings) -> None:
    settings.MAX_ARCHIVE_BYTES = 2_000_000
    settings.MAX_ARCHIVE_RATIO = 100
    huge = record(wordproc.HWPTAG_PARA_TEXT, 0, b"\0" * 20_000_000)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, 1)
    data = build_ole(
        {
            "FileHeader": header.ljust(4096, b"\0"),
            "BodyText/Section0": (packer.compress(huge) + packer.flush()).ljust(4096, b"\0"),
        }
    )
    with pytest.raises(DomainError) as err:
        extract_text(data)
    assert err.value.code == ErrorCode.ARCHIVE_TOO_LARGE


def test_hwp_without_body_text_is_corrupt() -> None:
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, 1)
    with pytest.raises(DomainError) as err:
        extract_text(build_ole({"FileHeader": header.ljust(4096, b"\0")}))
    assert err.value.code == ErrorCode.CORRUPT_FILE
