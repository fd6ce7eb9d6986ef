"""tesseract in process (documents.tesseract): the same text and word boxes as the `tesseract`
command, one OpenMP thread per reading thread, engines loaded once and kept apart across forks,
deadlines kept. Real tesseract throughout."""

from __future__ import annotations

import io
import multiprocessing
import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from documents import ocr, tesseract
from testsupport.pages import FONT_DIR, text_page

pytestmark = pytest.mark.slow
LINES = ["경력 사항: 백엔드 개발자 5년 (결제 정산 시스템)", "Python, Django, PostgreSQL, Kafka", "자격증: 정보처리기사"]


def page(dpi: int = 300) -> ocr.PageImage:
    image = Image.open(io.BytesIO(text_page(LINES, "NanumGothic.ttf", 11, dpi)))
    return ocr.prepare_page(ocr.RawPage(1, image, dpi))


def read(prepared: ocr.PageImage, timeout: float = 60) -> tuple[str, str]:
    return tesseract.read_page(prepared.image, psm=prepared.psm, dpi=prepared.dpi, invert=True, timeout=timeout)


def test_a_page_reads_exactly_as_the_tesseract_command_reads_it(tmp_path):
    prepared = page()
    path = str(tmp_path / "page.pgm")
    prepared.image.save(path, format="PPM")
    subprocess.run(ocr.tesseract_command(prepared, path), env=ocr.tesseract_env(), check=True, capture_output=True)
    txt, tsv = read(prepared)
    assert txt == (tmp_path / "page.txt").read_text() and "정보처리기사" in txt
    assert tsv == (tmp_path / "page.tsv").read_text()  # header row, boxes and confidences alike


def test_each_reading_thread_runs_tesseract_on_one_openmp_thread():
    levels: dict[str, int | None] = {}

    def reader() -> None:
        read(page(150))
        levels["reader"] = tesseract.openmp_levels_here()

    def bystander() -> None:  # e.g. the embedder's or the demo LLM's thread: its own setting
        levels["bystander"] = tesseract.openmp_levels_here()

    for target in (reader, bystander):
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    assert levels["reader"] == 0 and (levels["bystander"] or 0) >= 1


def test_engines_load_once_and_are_shared_one_reader_at_a_time():
    key = lambda: [k for k in tesseract._idle if k[0] == os.getpid()]  # noqa: E731
    prepared = page(150)
    read(prepared)
    before = sum(len(tesseract._idle[k]) for k in key())
    read(prepared)
    assert sum(len(tesseract._idle[k]) for k in key()) == before  # the same engine again
    with ThreadPoolExecutor(2) as pool:
        texts = list(pool.map(lambda _: read(prepared)[0], range(4)))
    assert len(set(texts)) == 1
    assert sum(len(tesseract._idle[k]) for k in key()) <= max(before, 2)


def test_a_read_past_its_deadline_is_cancelled_and_the_engine_reads_the_next_page():
    prepared = page()
    with pytest.raises(tesseract.Timeout):
        read(prepared, timeout=0.02)
    assert "정보처리기사" in read(prepared)[0]


def test_a_forked_worker_loads_its_own_engine_and_reads():
    read(page(150))  # the parent holds a loaded engine
    ctx = multiprocessing.get_context("fork")  # as Django-Q starts its workers
    results: Any = ctx.Queue()
    child = ctx.Process(target=_read_in_child, args=(results,))
    child.start()
    try:
        text, inherited_used = results.get(timeout=120)
    finally:
        child.join(30)
    assert "정보처리기사" in text and not inherited_used


def _read_in_child(results: Any) -> None:
    mine_before = [k for k in tesseract._idle if k[0] == os.getpid()]
    text = read(page(150))[0]
    results.put((text, bool(mine_before)))


def test_a_thread_is_named_tesseract_for_the_os_while_it_reads():
    """What `top -H` shows, and how the worker-kill test finds the worker that is reading a page."""
    from tasks.tests.live import thread_names

    seen: set[str] = set()
    reader = threading.Thread(target=read, args=(page(),), name="reader")
    reader.start()
    while reader.is_alive():
        seen.update(thread_names(os.getpid()))
    reader.join()
    assert "tesseract" in seen and "tesseract" not in thread_names(os.getpid())


def test_a_line_is_read_symbol_by_symbol_left_to_right_and_a_blank_one_gives_none():
    line = Image.open(io.BytesIO(text_page(["Python과"], "NanumGothic.ttf", 11, 200))).convert("L")
    ink = np.asarray(line) < 128
    ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    line = line.crop((int(xs[0]) - 4, int(ys[0]) - 6, int(xs[-1]) + 5, int(ys[-1]) + 7))
    symbols = tesseract.read_line_symbols(line, timeout=30, languages="kor")
    assert symbols and symbols[-1][0] == "과" and all(0 < s[3] <= 100 for s in symbols)
    assert [s[1] for s in symbols] == sorted(s[1] for s in symbols) and symbols[-1][2] <= line.width
    # A crop too small to hold a line: no symbol (tesserocr's iterator raises on its empty position).
    assert tesseract.read_line_symbols(Image.new("L", (20, 20), 255), timeout=30) == []


@pytest.mark.parametrize("light_on_dark", [False, True])
def test_a_word_read_alone_reads_on_light_paper_and_in_a_dark_banner(light_on_dark: bool) -> None:
    # tesseract's try of an unsure line inverted is made for a crop mostly dark only (a banner's
    # word): dark ink on light paper gains nothing by it, and it is made for the unsure words.
    ground, ink = (30, 235) if light_on_dark else (235, 30)
    crop = Image.new("L", (260, 60), ground)
    face = ImageFont.truetype(str(FONT_DIR / "NanumGothic.ttf"), 34)
    ImageDraw.Draw(crop).text((8, 10), "채용 공고", font=face, fill=ink)
    assert tesseract._invert_if_dark(crop) == ("1" if light_on_dark else "0")
    ((text, confidences),) = tesseract.read_lines([crop], timeout=30)
    assert text.split() == ["채용", "공고"] and min(confidences) > 80


def _line_crops() -> list[Image.Image]:
    face = ImageFont.truetype(str(FONT_DIR / "NanumGothic.ttf"), 30)
    crops = []
    lines = ["경력 사항", "Python", "정보처리기사", "2019.03", "결제 정산", "Kafka 운영", "백엔드 개발자", "서류 전형"]
    for words in lines:
        crop = Image.new("L", (300, 56), 240)
        ImageDraw.Draw(crop).text((8, 10), words, font=face, fill=25)
        crops.append(crop)
    return crops


def test_a_long_batch_of_lines_read_alone_is_split_across_two_engines_and_reads_as_one_by_one(monkeypatch, settings):
    crops = _line_crops()
    assert len(crops) >= tesseract.SPLIT_AT
    one_by_one = [tesseract.read_lines([crop], timeout=30)[0] for crop in crops]
    threads: set[int] = set()
    real = tesseract._read_lines

    def counted(images: list[Image.Image], deadline: float, languages: str | None) -> Any:
        threads.add(threading.get_ident())
        return real(images, deadline, languages)

    monkeypatch.setattr(tesseract, "_read_lines", counted)
    settings.OCR_PROCESSES = 2
    assert tesseract.read_lines(crops, timeout=60) == one_by_one  # the same texts and confidences, in order
    assert len(threads) == 2
    # While another engine reads (a second page of the document), the batch stays on one thread.
    threads.clear()
    with tesseract._engine():
        assert tesseract.read_lines(crops, timeout=60) == one_by_one
    assert len(threads) == 1
    # A machine given one OCR process splits nothing either.
    threads.clear()
    settings.OCR_PROCESSES = 1
    assert tesseract.read_lines(crops, timeout=60) == one_by_one and len(threads) == 1
    # An engine that would not load is not counted as busy afterwards.
    settings.OCR_PROCESSES = 2
    with pytest.raises(RuntimeError), tesseract._engine("no_such_model"):
        pass
    assert tesseract._spare_core()
