"""Pathological files fail with a code within bounded time and memory, each extracted in its own
process (as a worker would) so its peak memory can be measured: a PDF of 100,000 tiny objects, a
1 x 1 px image, and a DOCX whose XML declares external entities."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

pytestmark = [pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
MAX_SECONDS, MAX_MIB = 60, 600
EXTRACT = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiserver.settings")
django.setup()
from aiserver.errors import DomainError
from documents.extraction import extract_text
try:
    result = extract_text(open(sys.argv[1], "rb").read())
    answer = f"ok {sum(len(p.text) for p in result.pages)}"
except DomainError as exc:
    answer = f"refused {exc.code}"
# VmHWM: this process image's peak RSS (ru_maxrss would count the parent's pages from before exec).
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(answer)
print(peak)
"""


def many_objects_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.Junk = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(N=i)) for i in range(100_000)])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def one_pixel_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(out, "PNG")
    return out.getvalue()


def xxe_docx() -> bytes:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        b'<!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        b"<w:p><w:r><w:t>Resume &xxe; &remote;</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    b'package/2006/content-types"/>')  # fmt: skip
        zf.writestr("word/document.xml", body)
    return out.getvalue()


def run_alone(data: bytes, tmp_path: Path) -> tuple[str, float, float]:
    """The extraction's answer, its seconds and its peak memory (MiB), in a process of its own."""
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", EXTRACT, str(path)], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "OCR_TIMEOUT": "30"})  # fmt: skip
    output, errors = (stream.decode() for stream in proc.communicate(timeout=MAX_SECONDS * 2))
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, errors[-3000:]
    answer, peak_kib = output.strip().splitlines()[-2:]
    return answer, seconds, int(peak_kib) / 1024


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (many_objects_pdf, "refused no_text_found"),
        (one_pixel_png, "refused no_text_found"),
        (xxe_docx, "refused corrupt_file"),
    ],  # fmt: skip
    ids=["pdf-100k-objects", "png-1x1", "docx-external-entities"],
)
def test_a_pathological_file_fails_with_a_code_in_bounded_time_and_memory(make, expected, tmp_path):
    answer, seconds, peak_mib = run_alone(make(), tmp_path)
    print(f"{make.__name__}: {answer} in {seconds:.2f} s, peak {peak_mib:.0f} MiB")
    assert answer == expected
    assert "root:" not in answer  # no file content came through an entity
    assert seconds < MAX_SECONDS and peak_mib < MAX_MIB, (seconds, peak_mib)
