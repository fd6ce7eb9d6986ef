"""OCR of page images with tesseract (in process: documents.tesseract), pages in parallel.

Why tesseract directly and not ocrmypdf (17.13, now only a benchmark peer): it costs ~2.5 s fixed per call
and builds an output PDF we never use; we need plain text, and born-digital pages already come from
the PDF text layer. Calling tesseract ourselves also lets us pick the page segmentation mode per page.

Why one tesseract run per page: the OCR stage must cost at most ~1.15x raw tesseract on the same
images, so we never OCR a page twice and keep the best (one exception: a page read so poorly that it
may lie sideways or upside down is read again turned, `ocr_page`; upright pages never are).
Preprocessing and the page segmentation mode are chosen up front from cheap image features (tens of
milliseconds against ~1-2 s of tesseract):

- "photo" (a page lying on a darker surface: the image border is much darker than its centre):
  psm 6. On the fixtures psm 6 reads photos almost perfectly where psm 3/4 split blocks.
- "screen" (flat background: one exact grey level covers most pixels, no scanner/sensor noise):
  psm 6, and upscale when text lines are small; tesseract wants ~30 px lines, UI text is ~15 px.
- "scan" (everything else: paper pages, renders of image-only PDF pages): psm 4, the best single mode
  for Korean documents (psm 3 splits short lines and key/value forms into columns).
- Deskew only beyond MIN_DESKEW_DEGREES: tesseract copes with ~1 degree itself and resampling blurs
  glyphs (measured: a 1 degree scan got worse when rotated; a 3.5 degree one went from CER 0.24 to 0.07).
  Pages with tables or column rules from MIN_DESKEW_DEGREES_RULED: their rules and rows must be level.
- Ruled pages (documents.layout, docs/ocr.md): rules erased, shaded cells flattened, photos and logos
  whitened before tesseract; tables then read row by row from tesseract's word boxes (TSV), unsure
  words read again alone. The thumbnail decides: any other page (heading rules alone included) is
  untouched.
- Photos out of focus (their sharpest edges rise slowly, `edge_steepness`): the ink sharpened last.

One thread per page: tesseract's own OpenMP threading was ~4x slower on 2 cores (measured with the
command; in process each reading thread limits it to itself, documents.tesseract), so pages are read
in parallel instead (settings.OCR_PROCESSES at once). `tesseract_command` is the command-line
equivalent of a page's read, which the benchmarks time as the raw tool (with `tesseract_env`: one
thread).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import logging
import math
import os
import re
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np
from django.conf import settings
from PIL import Image, ImageFilter

from aiserver import metrics
from aiserver.errors import DomainError, ErrorCode
from documents import layout, marks, screens, tesseract
from documents.components import components

logger = logging.getLogger(__name__)

ANALYSIS_SIDE = 1000  # px, longest side of the thumbnail the features are computed on
# A page half of one flat colour is a screen (drawn, not scanned) only when its lines are level within
# SCREEN_MAX_SKEW degrees and it holds more than two grey levels (SCREEN_LEVEL_SHARE of it each at
# least: antialiased glyphs). A scan with no paper grain (noiseless, paper whitened by the scanner,
# black and white) is as flat; read as screens (never straightened, psm 6, laid out only for a grid)
# such scans read at CER 0.06-0.86. Screens of the evaluation sets: skew 0.0-0.1 degrees, 5-40 levels.
SCREEN_MAX_SKEW = 0.5
SCREEN_LEVEL_SHARE = 0.001
FLAT_PAPER_BLUR = 1.0  # px: a scan on flat paper is blurred this much (prepare_page)
MIN_DESKEW_DEGREES = 1.5
MIN_DESKEW_DEGREES_RULED = 0.5
# Beyond 45° a page is turned (_read_turned). 10 until session 13: a sheet scanned or photographed 12-35°
# off read at CER 0.08-0.97 (6 until session 12).
MAX_SKEW_DEGREES = 45.0
LEVEL_TO_LOOK_DEGREES = 4.0  # a thumbnail this skewed is looked at for rules level (its rules break into steps)
FADED_INK = 0.45  # the page's darkest ink (its INK_PERCENTILE) lighter than this share of the paper: faded
INK_PERCENTILE = 0.2  # (every evaluation page: 0.22-0.40; toner faded to 60% contrast: 0.44-0.54)
INK_TARGET = 0.3  # ... and stretched so that its ink is this share of the paper
DARK_PAPER = 225  # grey level of the paper (90th percentile) under which a page is stretched to white
DARKEST_PAPER = 100  # ... down to this
KEYSTONE = 0.08  # a photographed sheet whose opposite edges differ this much in length is squared up
SHEET_TILT_DEGREES = 10.0  # ... as is one whose top edge is this far from level
# ... when the sheet found covers this share of the photo at least (0.4 until session 13: a sheet turned
# 28-35° to fit in the frame covers 0.33-0.37 of it)
SHEET_MIN_SHARE = 0.25
CUT_CORNERS = 2  # a sheet's outline may have this many corners cut off by the light falling off ...
CUT_CORNER_SHARE = 0.08  # ... each by an edge at most this share of the outline
SHEET_INSET = 0.005  # ... and this share of its width and height is cut off each edge of the squared sheet
EDGE_SAMPLES = 60  # points along a sheet's edge where its change of level is measured (_edge_strength)
CORNERS_AGREE = 8.0  # thumbnail px: two placings of a sheet's corner this close are the same (_corners_on_edges)
LIGHT_DESK = 0.5  # a desk this light (a share of the paper's level) beside a sheet is painted paper ...
DESK_INSET = 0.02  # ... up to this share of the sheet's size inside its outline ...
DESK_FRAME_MARGIN = 0.01  # ... when the sheet is this share of the photo's size inside the frame
UNEVEN_LIGHT = 0.95  # paper this much darker over a quarter of the page than at its brightest: a photo
BLURRED_EDGES = 0.39  # a photo whose sharpest edges rise by less than this share of their contrast a px ...
EDGE_CONTRAST = 80  # ... (edges: a 9 px window spanning this many grey levels) is out of focus ...
SHARPEN = ImageFilter.UnsharpMask(radius=2, percent=150, threshold=2)  # ... and read sharpened ...
SHARPEN_BELOW = 230  # ... where it is darker than this (paper and the lifted desk are left as they are)
TARGET_LINE_PX = 32.0  # upscale text lines shorter than SMALL_LINE_PX towards this height
SMALL_LINE_PX = 22.0
MAX_UPSCALE = 2.0
# Lines this small (text under ~9 pt on an 80-96 dpi screen) may go up to 3x: at 2x their glyphs stay
# below what tesseract reads well (an 80 dpi image posting: CER 0.116 at 2x, 0.080 at 2.5x, 0.057 at
# 2.75x); 13.75 px lines (100 dpi) read no better above 2x (0.034 at 2x, 0.039 at 2.25x).
TINY_LINE_PX = 12.5
MAX_UPSCALE_TINY = 3.0
MAX_OCR_PIXELS = 36_000_000  # never upscale beyond this (memory, tesseract time)
PSM_BY_KIND = {"scan": 4, "photo": 6, "screen": 6}
REREAD_CONFIDENCE = 70.0  # words of a laid-out page tesseract is less sure of are read again alone
REREAD_MARGIN = 10.0  # ... and replaced when the second reading is this much surer
REREAD_MAX_WORDS = 60  # at most this many a page (a bad page does not double its OCR time)
# A word of marks only with one of these (no résumé or posting writes them) is read again however sure
JUNK_MARKS = frozenset("£¥€¢§¤^«»®©™¬¦¶µ¨¯´¸¿¡")
OVERLAPPED = 0.6  # a neighbour this much inside a word's box is read with it when the word is read again
# A short line tesseract split into its glyphs' top and bottom halves (see mend_split_lines).
SPLIT_MAX_WORDS = 4  # each half a heading or a label: a few words
SPLIT_MAX_GAP = 0.15  # em units between the halves (apart lines are set wider)
SPLIT_MAX_EMS = 1.9  # both halves together, in em units, or (a large title) ...
SPLIT_MAX_HEIGHT = 1.7  # ... in heights of the taller half (two lines of text: 2 or more)
SPLIT_REACH = 0.6  # em units: ink this close beside the halves is read with them
NOISE_CONFIDENCE = 50.0  # a word still this unsure after its second reading, and no Hangul ...
SURE_CONFIDENCE = 80.0  # ... is taken as the Korean model reads it alone, when that is this sure
HANGUL = re.compile("[\uac00-\ud7a3]")
EMPTY_CELL_INK = 0.1  # a cell with no word but this much ink (in squared line heights) is read alone
EMPTY_CELL_MAX = 20  # ... at most this many cells a page
SPECK_KERNEL = np.ones((2, 2), np.uint8)  # ... counting strokes, not single pixels of noise or dust
EMPTY_CELL_SURE = 40.0  # ... and keeping what it reads there when its words are this sure on average
EMPTY_CELL_LINES = 10_000  # tesseract's block numbers of the words read so start here
# A line set large (a name atop a résumé) that tesseract, reading a photo as one block (psm 6), read
# nothing or a piece of: ink no word covers, TALL_LINE_MIN-TALL_LINE_MAX em high, read alone (read_tall_lines)
TALL_LINE_MIN = 1.6
TALL_LINE_MAX = 4.0  # ... (taller: a banner, a seal, a photo)
TALL_LINE_GAP = 3.0  # ... its glyphs no farther apart than this many em ...
TALL_LINE_UNREAD = 0.6  # ... this share of its ink covered by no word ...
TALL_LINE_SURE = 85.0  # ... and taken when every piece of its reading is this sure
TALL_LINE_MAX_LINES = 4  # ... at most this many a page
TALL_LINES = 20_000  # tesseract's block numbers of the words read so start here
SPECK_SIZE = 0.15  # em units: a word of marks no larger than this across (a bullet is 0.19 or more) ...
POOR_SURENESS = 70.0  # a page read less surely than this may lie sideways or upside down (_sureness_of_text)
POOR_CHARS_PER_INK = 2.5  # ... or reads fewer letters and digits per 1000 px of ink (ImageFeatures.ink;
# upright pages 6-30, the same pages sideways 0.0-1.6 when read surely)
TURNED_MARGIN = 10.0  # a turned reading read poorly too replaces the first when this much surer
SPECK_ALONE = 0.8  # ... with no word of its line this close on either side is a speck of dust
# A glyph left out of a word (glyphs_beside_words): ink darker than BESIDE_INK of the paper that no
# word's box holds, starting within BESIDE_GAP em of the word and ending within BESIDE_REACH, with gaps
# inside it under BESIDE_GLYPH_GAP (between a syllable's jamo), at least BESIDE_MIN_WIDTH wide and
# BESIDE_MIN_HEIGHT tall; the page is looked at BESIDE_LOOK em further for the word on its other side.
BESIDE_INK = 0.6
BESIDE_GAP = 0.45
BESIDE_REACH = 1.4
BESIDE_GLYPH_GAP = 0.25
BESIDE_MIN_WIDTH = 0.35
BESIDE_MIN_HEIGHT = 0.5
BESIDE_LOOK = 0.6
BESIDE_MAX_WORDS = 12  # ... read again, at most this many a page
BESIDE_REPLACE_CHARS = 3  # a first reading without Hangul this short may be replaced ...
BESIDE_REPLACE_SURE = 90.0  # ... by a second reading this sure of every word
RING_SIZE = (0.6, 1.2)  # em: a circled number's ring is this tall and wide (0.85-0.9 in the Nanum fonts) ...
RING_INK = 0.35  # ... with ink on at most this share of it (a filled disc or a glyph: more)
RING_MAX = 20  # rings looked at on a page at most
RING_FAINT = 0.8  # ... its ink darker than this share of the paper (faint: a thin ring blurred by step 26)
RING_ANGLES = 36  # ... and closed: ink near its edge in this many sectors ...
RING_CLOSED = 0.9  # ... all but this share of them
RING_EDGE = 0.75  # ... its ink this far out from its centre (in radii) ...
RING_INSIDE = 0.7  # ... and its number's within this
CIRCLED = {n: chr(0x2460 + n - 1) for n in range(1, 21)}  # ① .. ⑳


@dataclass(frozen=True)
class RawPage:
    """A page image as rendered or decoded, before OCR preprocessing."""

    number: int
    image: Image.Image
    dpi: float | None  # None when unknown (screenshots, most photos)


@dataclass(frozen=True)
class ImageFeatures:
    kind: str  # "scan" | "photo" | "screen"
    skew: float  # degrees to rotate counter-clockwise to straighten the text lines
    line_height: float  # upper-quartile text line height in full-resolution px, 0.0 if none found
    ruled: bool = False  # documents.layout.needs_layout: tables, column rules, shading or pictures
    ink: float = 0.0  # ink pixels of the page drawn ANALYSIS_SIDE px on its longest side
    flat: bool = False  # half the page or more at one grey level: paper with no grain (a screen's, or not)


@dataclass(frozen=True)
class PageImage:
    """Exactly what tesseract receives for one page: the image and its options."""

    number: int
    image: Image.Image  # mode "L"
    psm: int
    dpi: int | None
    features: ImageFeatures
    layout: layout.PageLayout | None = None  # tables and column rules found (reading order from geometry)

    @functools.cached_property
    def pixels(self) -> np.ndarray:
        """The image as an array, made once (a copy: ~7 ms for a 200 dpi page), for the word repairs."""
        return np.asarray(self.image)


def to_grey(image: Image.Image) -> Image.Image:
    """Greyscale on white: transparent pixels would otherwise turn black and hide black text."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        canvas.alpha_composite(rgba)
        return canvas.convert("L")
    return image if image.mode == "L" else image.convert("L")


def analyse(grey: Image.Image) -> ImageFeatures:
    """Classify the capture and measure skew and line height on a thumbnail (~15 ms for an A4 page)."""
    small, factor = _thumbnail(grey)
    w, h = small.size
    bh, bw = max(1, h // 25), max(1, w // 25)
    frame = [
        small.crop(box).histogram() for box in ((0, 0, w, bh), (0, h - bh, w, h), (0, 0, bw, h), (w - bw, 0, w, h))
    ]
    frame_level = _percentile([sum(counts) for counts in zip(*frame, strict=True)], 50)
    centre_level = _percentile(small.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4)).histogram(), 50)
    # Full resolution on purpose: a thumbnail blends away exact flat colours.
    levels = np.array(grey.histogram())
    flat = bool(levels.max() >= 0.5 * grey.width * grey.height)
    if frame_level < 0.7 * max(centre_level, 1.0):
        kind = "photo"
    elif flat and np.count_nonzero(levels >= SCREEN_LEVEL_SHARE * levels.sum()) > 2:
        kind = "screen"  # unless its lines are skewed (below)
    else:
        kind = _paper_kind(small)
    ys, xs = np.nonzero(_ink(small))
    ink_share = len(ys) * (ANALYSIS_SIDE / max(w, h)) ** 2
    if len(ys) < 50:
        return ImageFeatures(kind, 0.0, 0.0, ink=ink_share, flat=flat)
    skew, profile = _estimate_skew(ys.astype(np.float32), xs.astype(np.float32) - w / 2, h)
    if kind == "screen" and abs(skew) >= SCREEN_MAX_SKEW:
        kind = _paper_kind(small)
    line_height = _line_height(profile)
    if abs(skew) >= LEVEL_TO_LOOK_DEGREES and kind != "screen":
        # Rules 4° or more off step a pixel every ~14 px or less: too steep to be runs of a rule, and a
        # form 5-9° off was taken for plain text (the two-column page 0.41-0.44).
        paper = _percentile(small.histogram(), 90)
        small = small.rotate(skew, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=int(paper))
    # Screens only for a grid of rules (a table): their tags, buttons and underlines are drawn, not
    # scanned, and tesseract reads them (the screenshot fixture: CER 0.038 as is, 0.048 laid out),
    # but psm 6 drops a ruled table's text altogether.
    ruled = layout.needs_layout(
        np.asarray(small), line_height or 10.0, uneven_light=kind == "photo", grid_only=kind == "screen"
    )
    return ImageFeatures(kind, skew, line_height * factor, ruled, ink_share, flat)


def _paper_kind(small: Image.Image) -> str:
    """A sheet of paper with no dark frame around it: a photo when told by its light alone (on a desk
    as light as the paper), else a scan."""
    return "photo" if _unevenly_lit(small) else "scan"


def _thumbnail(grey: Image.Image) -> tuple[Image.Image, int]:
    factor = max(1, -(-max(grey.size) // ANALYSIS_SIDE))
    return (grey.reduce(factor) if factor > 1 else grey), factor  # box filter, integer factor: fast


def _ink(small: Image.Image) -> np.ndarray:
    """Ink = clearly darker than the local background, so uneven light does not count; a dark
    background (the desk around a photographed page) and the outer 5% (page edges) are no text."""
    w, h = small.size
    lum = np.asarray(small, dtype=np.float32)
    background = np.asarray(small.filter(ImageFilter.BoxBlur(max(4, min(h, w) // 40))), dtype=np.float32)
    ink = (lum < 0.72 * background) & (background > 0.6 * _percentile(small.histogram(), 90))
    ink[: h // 20], ink[h - h // 20 :], ink[:, : w // 20], ink[:, w - w // 20 :] = False, False, False, False
    return ink


def _unevenly_lit(small: Image.Image) -> bool:
    """The paper's level (90th percentile) in a quarter of a 6x6 grid of the page is under UNEVEN_LIGHT
    of its level in the brightest tenth: a phone's light falling off across the sheet. Photos of the
    evaluation sets: 0.81-0.91 (light 0.55-0.78); scans, renders and screenshots 0.99 or more."""
    a = np.asarray(small)
    h, w = a.shape
    if h < 6 or w < 6:  # no grid to compare: a thumbnail of an image a few pixels across
        return False
    levels = [
        np.percentile(a[h * i // 6 : h * (i + 1) // 6, w * j // 6 : w * (j + 1) // 6], 90)
        for i in range(6)
        for j in range(6)
    ]
    return bool(np.percentile(levels, 25) < UNEVEN_LIGHT * max(float(np.percentile(levels, 90)), 1.0))


def lies_sideways(grey: Image.Image) -> bool:
    """The page's text lines run up and down: its ink is more unevenly spread over columns than over
    rows (lines and the gaps between them). Upright evaluation pages: rows 1.33-3.4x as uneven as
    columns, the same pages turned 90 degrees 0.29-0.75x (51 pages, skew up to 3 degrees)."""
    ink = _ink(_thumbnail(grey)[0])

    def unevenness(profile: np.ndarray) -> float:
        core = profile[profile.size // 20 : -(profile.size // 20) or None].astype(np.float64)
        return float((core**2).mean() / max(core.mean(), 1e-9) ** 2)

    return unevenness(ink.sum(axis=0)) > unevenness(ink.sum(axis=1))


def _paper_level(grey: Image.Image) -> float:
    """The page's paper grey level: the 90th percentile of a quarter-size copy."""
    return _percentile(grey.reduce(4).histogram(), 90)


def _percentile(histogram: list[int], q: float) -> float:
    """Grey level below which q% of the pixels of a 256-bin histogram fall."""
    cumulative = np.cumsum(histogram)
    return float(np.searchsorted(cumulative, cumulative[-1] * q / 100))


def _projection(ys: np.ndarray, xs: np.ndarray, height: int, degrees: float) -> np.ndarray:
    rows = np.round(ys + xs * np.tan(np.radians(degrees))).astype(np.int64) + height
    return np.bincount(rows[(rows >= 0) & (rows < 3 * height)], minlength=3 * height)


def _estimate_skew(ys: np.ndarray, xs: np.ndarray, height: int) -> tuple[float, np.ndarray]:
    """Angle whose horizontal projection is sharpest (text lines line up), coarse then fine."""

    def score(deg: float) -> float:
        p = _projection(ys, xs, height, deg).astype(np.float64)
        return float(np.dot(p, p))

    best = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5), key=score)
    if abs(best) == MAX_SKEW_DEGREES:  # no line across the page within reach: a page lying sideways
        return 0.0, _projection(ys, xs, height, 0.0)
    best = max(np.arange(best - 0.4, best + 0.41, 0.1), key=score)
    # Rows shift by +x*tan(a) when sheared; straightening means rotating the image by -a.
    return -round(float(best), 1), _projection(ys, xs, height, best)


def _line_height(profile: np.ndarray) -> float:
    """Upper-quartile height of the text lines in the projection profile.

    A low row threshold keeps ascenders and descenders, so Latin lines measure close to their
    full height rather than the x-height (Hangul fills the em box either way).
    """
    if not profile.any():
        return 0.0
    text_rows = profile > 0.05 * np.percentile(profile[profile > 0], 90)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], text_rows.astype(np.int8), [0]])))
    runs = edges[1::2] - edges[::2]
    runs = runs[runs >= 2]  # lone rows are specks and rules, not text lines
    return float(np.percentile(runs, 75)) if len(runs) else 0.0


def prepare_page(page: RawPage, *, paint_dark_desk: bool = False) -> PageImage:
    """Greyscale, deskew when clearly skewed, upscale small text, sharpen an out-of-focus photo; pick the
    page segmentation mode. `paint_dark_desk`: a photo's desk is painted paper however dark (ocr_page)."""
    grey = with_dark_ink(to_grey(page.image))
    features = analyse(grey)
    if features.flat and features.kind == "scan":
        grey = with_grain(grey)
        features = dataclasses.replace(analyse(grey), kind="scan")
    elif (
        features.ruled
        and features.kind != "screen"
        and (plain := screens.without_screens(np.asarray(grey), page.dpi)) is not None
    ):
        # A fill printed as a halftone screen, blurred to the flat grey it prints. Only laid-out pages
        # are looked at (a screened fill is shading on the thumbnail): plain pages pay nothing.
        grey = Image.fromarray(plain)
    blurred = features.kind == "photo" and edge_steepness(grey) < BLURRED_EDGES
    if features.kind == "photo":
        corners = sheet_corners(grey)
        if (square := squared_up(grey, corners)) is not None:
            grey, features = square, dataclasses.replace(analyse(square), kind="photo")
        else:
            grey = without_light_desk(grey, corners, any_desk=paint_dark_desk)
    grey = on_white_paper(straighten(grey, features))
    factor = 1.0
    if 0 < features.line_height < SMALL_LINE_PX:
        cap = MAX_UPSCALE_TINY if features.line_height <= TINY_LINE_PX else MAX_UPSCALE
        factor = min(cap, TARGET_LINE_PX / features.line_height)
        factor = min(factor, (MAX_OCR_PIXELS / (grey.width * grey.height)) ** 0.5)
        factor = round(factor * 4) / 4  # quarter steps: no point in 1.03x resampling
    if factor > 1.0:
        grey = grey.resize((round(grey.width * factor), round(grey.height * factor)), Image.Resampling.LANCZOS)
    dpi = round(page.dpi * factor) if page.dpi else None
    page_layout = None
    if features.ruled:
        cleaned, page_layout = layout.prepare_layout(
            np.asarray(grey),
            layout_unit(features, dpi, factor),
            uneven_light=features.kind == "photo",
        )
        if page_layout.changed:
            grey = Image.fromarray(cleaned)
    if blurred:
        grey = with_sharper_ink(grey)
    psm = PSM_BY_KIND[features.kind]
    if features.kind == "screen" and page_layout is not None and page_layout.changed:
        # A screen with a table, cleaned: psm 6 (one block) splits a large heading into two lines
        # of half glyphs; psm 4 reads it, and the table's rows come from its cells anyway.
        psm = PSM_BY_KIND["scan"]
    return PageImage(page.number, grey, psm, dpi, features, page_layout)


def straighten(grey: Image.Image, features: ImageFeatures) -> Image.Image:
    """The page rotated level when its text is clearly skewed, else as it is."""
    # Screens are never rotated: a skew "found" in a UI layout is an artefact of its boxes.
    # Ruled pages are straightened from a smaller angle: a rule 1° off steps a pixel every ~57 px, so
    # the rule finder and the row grouping need it level, and that outweighs the resampling blur.
    min_skew = MIN_DESKEW_DEGREES_RULED if features.ruled else MIN_DESKEW_DEGREES
    if features.kind == "screen" or abs(features.skew) < min_skew:
        return grey
    return rotated(grey, features.skew, int(_paper_level(grey)))


def rotated(grey: Image.Image, degrees: float, fill: int) -> Image.Image:
    """Pillow's `grey.rotate(degrees, BILINEAR, expand=True, fillcolor=fill)`, its upper and lower
    halves made at once on two threads (Pillow lets go of the GIL while it transforms): the same
    matrix as Pillow's, each half's moved down to its first row, so the same image byte for byte. A
    300 dpi page took 130-160 ms on one thread. Not OpenCV's warpAffine, 3-4x faster: its grey levels
    differ by ~0.5 and the forms read worse (docs/benchmarks.md, session 27)."""
    width, height = grey.size
    angle = -math.radians(degrees % 360.0)
    a, b = round(math.cos(angle), 15), round(math.sin(angle), 15)
    d, e = round(-math.sin(angle), 15), round(math.cos(angle), 15)

    def to_input(x: float, y: float, c: float, f: float) -> tuple[float, float]:
        return a * x + b * y + c, d * x + e * y + f

    c, f = to_input(-width / 2, -height / 2, 0.0, 0.0)
    c, f = c + width / 2, f + height / 2
    xs, ys = zip(*(to_input(x, y, c, f) for x, y in ((0, 0), (width, 0), (width, height), (0, height))), strict=True)
    new_width = math.ceil(max(xs)) - math.floor(min(xs))
    new_height = math.ceil(max(ys)) - math.floor(min(ys))
    c, f = to_input(-(new_width - width) / 2.0, -(new_height - height) / 2.0, c, f)

    def rows(top: int, bottom: int) -> Image.Image:
        matrix = (a, b, c + b * top, d, e, f + e * top)
        return grey.transform(
            (new_width, bottom - top), Image.Transform.AFFINE, matrix, Image.Resampling.BILINEAR, fillcolor=fill
        )

    half = new_height // 2
    # A pool per call, as tesseract.read_lines: no thread outlives the call into a forked worker.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rotate") as pool:
        lower = pool.submit(rows, half, new_height)
        upper = rows(0, half)
        turned = Image.new(grey.mode, (new_width, new_height))
        turned.paste(upper, (0, 0))
        turned.paste(lower.result(), (0, half))
    return turned


def sheet_corners(grey: Image.Image) -> np.ndarray | None:
    """The corners of a photographed sheet in the photo's pixels (top-left, top-right, bottom-right,
    bottom-left), or None: the largest bright region of the thumbnail, a quadrilateral over
    SHEET_MIN_SHARE of it (on a desk as light as the paper none is found)."""
    small, factor = _thumbnail(grey)
    blurred = cv2.GaussianBlur(np.asarray(small), (5, 5), 0)
    _, sheet = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    sheet = cv2.morphologyEx(sheet, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))  # text and rules filled in
    contours, _ = cv2.findContours(sheet, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = cv2.convexHull(max(contours, key=cv2.contourArea))
    polygon = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True).reshape(-1, 2)
    corners = _four_corners(polygon.astype(np.float32), sheet.shape)
    if corners is None or cv2.contourArea(corners) < SHEET_MIN_SHARE * sheet.size:
        return None
    # The outline's polygon places a corner the light cut off where its edges meet, but simplified
    # at 2% of the outline an edge beside the cut runs into it (a sheet on a desk as light as itself:
    # the far corner 45-135 px inside the sheet, its text squared up askew). The quadrilateral that
    # holds the whole outline places it right, but takes in a patch of desk lit as light as the paper
    # (the near corner 27-57 px off). Each corner is taken from whichever of the two puts the sheet's
    # edges on the steepest change of level.
    hull = cv2.approxPolyN(outline, 4, epsilon_percentage=-1, ensure_convex=True).reshape(-1, 2)
    level = cv2.GaussianBlur(np.asarray(small, np.float32), (3, 3), 0)
    steps = (cv2.Sobel(level, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(level, cv2.CV_32F, 0, 1, ksize=3))
    corners = _corners_on_edges(
        np.array(_clockwise_from_top_left(corners)), np.array(_clockwise_from_top_left(hull.astype(np.float32))), steps
    )
    return corners * factor


def _corners_on_edges(first: np.ndarray, second: np.ndarray, steps: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Of two quadrilaterals of the same sheet (corners clockwise from top left), the corners, one
    from either, whose four edges lie on the steepest change of level across them (`steps`: the
    level's x and y gradients): on the sheet's edge rather than beside it. Corners the two place
    within CORNERS_AGREE of each other are the first's."""
    height, width = steps[0].shape
    if not (np.all(second >= -1) and np.all(second[:, 0] <= width) and np.all(second[:, 1] <= height)):
        return first
    # Where both put a corner in the same place (a px or two apart on a dark desk), the first stands.
    agree = np.linalg.norm(first - second, axis=1) <= CORNERS_AGREE
    second = np.where(agree[:, None], first, second)
    best, best_strength = first, -1.0
    for choice in itertools.product((first, second), repeat=4):
        corners = np.array([quad[i] for i, quad in enumerate(choice)])
        strength = sum(_edge_strength(steps, corners[i - 1], corners[i]) for i in range(4))
        if strength > best_strength:
            best, best_strength = corners, strength
    return best


def _edge_strength(steps: tuple[np.ndarray, np.ndarray], start: np.ndarray, end: np.ndarray) -> float:
    """The mean change of level across the line from `start` to `end`, at EDGE_SAMPLES points on it."""
    along = end - start
    normal = np.array([-along[1], along[0]]) / (float(np.linalg.norm(along)) or 1.0)
    points = start + along * np.linspace(0.02, 0.98, EDGE_SAMPLES)[:, None]
    xs = np.clip(np.round(points[:, 0]).astype(int), 0, steps[0].shape[1] - 1)
    ys = np.clip(np.round(points[:, 1]).astype(int), 0, steps[0].shape[0] - 1)
    return float(np.mean(np.abs(steps[0][ys, xs] * normal[0] + steps[1][ys, xs] * normal[1])))


def _four_corners(polygon: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """The sheet's quadrilateral from the outline's polygon: a corner the threshold cut off (the light
    falling off into it left the paper there as dark as the desk) is a short edge, and the edges on
    either side of it meet where the corner is. None when more than CUT_CORNERS are cut, a cut is
    longer than CUT_CORNER_SHARE of the outline, or a corner would lie outside the frame (`shape`):
    then the sheet runs out of the frame, or is no quadrilateral."""
    height, width = shape[:2]
    corners = [np.asarray(p, dtype=np.float64) for p in polygon]
    if not 4 <= len(corners) <= 4 + CUT_CORNERS:
        return None
    perimeter = sum(float(np.linalg.norm(corners[i - 1] - corners[i])) for i in range(len(corners)))
    while len(corners) > 4:
        n = len(corners)
        i = min(range(n), key=lambda k: float(np.linalg.norm(corners[(k + 1) % n] - corners[k])))
        a, b, c, d = (corners[(i + k) % n] for k in (-1, 0, 1, 2))
        if np.linalg.norm(c - b) > CUT_CORNER_SHARE * perimeter:
            return None
        # Where the line through a and b meets the line through c and d.
        ab, cd = b - a, d - c
        cross = ab[0] * cd[1] - ab[1] * cd[0]
        if abs(cross) < 1e-6 * float(np.linalg.norm(ab) * np.linalg.norm(cd)):
            return None
        t = ((c - a)[0] * cd[1] - (c - a)[1] * cd[0]) / cross
        corner = a + t * ab
        if not (-1 <= corner[0] <= width and -1 <= corner[1] <= height):
            return None
        corners = [p for k, p in enumerate(corners) if k not in (i, (i + 1) % n)]
        corners.insert(i if (i + 1) % n else 0, corner)
    return np.array(corners, dtype=np.float32)


def squared_up(grey: Image.Image, corners: np.ndarray | None) -> Image.Image | None:
    """A photographed sheet (its `corners`, sheet_corners) seen at a slant (its far edge KEYSTONE or
    more shorter than its near one) or turned SHEET_TILT_DEGREES or more in the frame, warped to the
    level rectangle it is, or None.
    Rules that converge are no rules to the layout step, and lines that fan out defeat the deskew: a
    경력증명서 photographed 16% off square read at CER 0.16-0.40, 0.02 squared up. A turned sheet
    straightened by rotation keeps the desk beside it, read as text (CER up to 12). Bicubic: the far
    edge is stretched, and bilinear blurred its hairline rules away (0.19). Photos less slanted or
    turned stay as they are (straighten): warping resamples the glyphs (a blurred photo read 0.15 ->
    0.49 warped at 4%)."""
    if corners is None:
        return None
    tl, tr, br, bl = corners
    top, bottom = float(np.linalg.norm(tr - tl)), float(np.linalg.norm(br - bl))
    left, right = float(np.linalg.norm(bl - tl)), float(np.linalg.norm(br - tr))
    tilt = abs(float(np.degrees(np.arctan2(tr[1] - tl[1], tr[0] - tl[0]))))
    if max(abs(top - bottom) / max(top, bottom), abs(left - right) / max(left, right)) < KEYSTONE and (
        tilt < SHEET_TILT_DEGREES
    ):
        return None
    width, height = int(max(top, bottom)), int(max(left, right))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    warp = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    squared = cv2.warpPerspective(np.asarray(grey), warp, (width, height), flags=cv2.INTER_CUBIC,
                                  borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    # The corners are found on the thumbnail, a few pixels out: a sliver of desk left along an edge was
    # taken for a column rule (the two-column page photographed 12° off: 0.42). Margins hold no text.
    dx, dy = round(width * SHEET_INSET), round(height * SHEET_INSET)
    return Image.fromarray(squared[dy : height - dy, dx : width - dx])


def without_light_desk(grey: Image.Image, corners: np.ndarray | None, *, any_desk: bool = False) -> Image.Image:
    """A photo of a sheet (its `corners`, sheet_corners) lying wholly inside the frame on a light desk
    (at least LIGHT_DESK of the paper's level) with the desk painted the level of the paper nearest it.
    A light desk is neither paper nor ink to tesseract: out of focus, the sheet's edge beside it was
    read as a `|` before every line (a plain résumé blurred 2 px: CER 0.15-0.24; 0.04-0.06 without
    it). A dark desk reads as a picture and is left (painting it changed photos' texts both ways,
    mostly worse). The sheet's outline is shrunk by DESK_INSET first (its corners come from the
    thumbnail, a few pixels out; margins hold no text), and the paint is that of the sheet's nearest
    margin, so no new edge is drawn along it. A sheet running out of the frame is left as it is: its
    text may reach the frame's edge. `any_desk`: a dark desk is painted too (a photo read poorly,
    _read_desk_painted). ~14 ms on a 3.4 MP photo (a dark desk: ~4 ms)."""
    if corners is None:
        return grey
    pixels = np.asarray(grey)
    height, width = pixels.shape
    margin = DESK_FRAME_MARGIN * max(width, height)
    xs, ys = corners[:, 0], corners[:, 1]
    if xs.min() < margin or ys.min() < margin or xs.max() > width - 1 - margin or ys.max() > height - 1 - margin:
        return grey
    small, factor = _thumbnail(grey)
    levels = cv2.medianBlur(np.asarray(small), 5)  # the paper's level, without its ink and grain
    centre = corners.mean(axis=0)
    shrunk = corners + (centre - corners) * 2 * DESK_INSET
    on_sheet, in_outline = np.zeros(levels.shape, np.uint8), np.zeros(levels.shape, np.uint8)
    cv2.fillConvexPoly(on_sheet, np.round(shrunk / factor).astype(np.int32), 1)
    cv2.fillConvexPoly(in_outline, np.round(corners / factor).astype(np.int32), 1)
    sheet, desk = on_sheet > 0, on_sheet == 0
    beyond = levels[in_outline == 0]  # the desk itself, not the sheet's margin the shrinking left out
    if not beyond.size or (not any_desk and np.median(beyond) < LIGHT_DESK * np.percentile(levels[sheet], 90)):
        return grey
    # Each desk pixel of the thumbnail takes the level of the sheet's pixel nearest it.
    _, nearest = cv2.distanceTransformWithLabels(desk.astype(np.uint8), cv2.DIST_L2, 3,
                                                 labelType=cv2.DIST_LABEL_PIXEL)  # fmt: skip
    level_of = np.zeros(int(nearest.max()) + 1, np.uint8)
    level_of[nearest[sheet]] = levels[sheet]
    paint = cv2.resize(level_of[nearest], (width, height), interpolation=cv2.INTER_LINEAR)
    keep = np.zeros(pixels.shape, np.uint8)
    cv2.fillConvexPoly(keep, np.round(shrunk).astype(np.int32), 1)
    return Image.fromarray(np.where(keep > 0, pixels, paint))


def _clockwise_from_top_left(points: np.ndarray) -> tuple[np.ndarray, ...]:
    """A quadrilateral's corners as top-left, top-right, bottom-right, bottom-left: clockwise around
    its centre, from the corner whose edge to the next runs within 45° of level, left to right (a
    sheet turned further is turned, not tilted: _read_turned)."""
    centre = points.mean(axis=0)
    ring = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]  # clockwise (y down)
    edges = np.roll(ring, -1, axis=0) - ring
    start = int(np.argmin(np.abs(np.arctan2(edges[:, 1], edges[:, 0]))))
    return tuple(np.roll(ring, -start, axis=0))


def edge_steepness(grey: Image.Image) -> float:
    """How steeply the page's sharpest edges rise: the 99th percentile, over the pixels of an edge (a
    9 px window around them spans EDGE_CONTRAST grey levels or more), of the gradient there as a share
    of that span. A step blurred by a Gaussian of s px rises by ~0.4/s of its height a pixel, so this
    falls as focus is lost: photos of the evaluation sets 0.401-0.449 in focus, 0.349-0.366 blurred
    1.2 px, 0.295-0.304 blurred 1.6 px (measured on the image as decoded). ~30 ms on a 3 MP photo."""
    pixels = np.asarray(grey)
    values = pixels.astype(np.float32)
    gradient = cv2.magnitude(cv2.Sobel(values, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(values, cv2.CV_32F, 0, 1, ksize=3))
    window = np.ones((9, 9), np.uint8)
    span = cv2.subtract(cv2.dilate(pixels, window), cv2.erode(pixels, window))
    edges = span >= EDGE_CONTRAST
    if not edges.any():
        return 1.0
    return float(np.percentile(gradient[edges] / (8.0 * span[edges]), 99))  # Sobel's 3x3 weighs 8x a px


def with_sharper_ink(grey: Image.Image) -> Image.Image:
    """An out-of-focus photo's prepared page with its ink sharpened (SHARPEN: an unsharp mask) where it
    is darker than SHARPEN_BELOW, and only ever darkened there. Sharpened whole, the grain of the desk
    around the sheet and the sheet's edge came out as text (`Sega pecans`, a column of `|`: a 2 px
    blur 0.31 -> 5.5)."""
    pixels = np.asarray(grey)
    sharp = np.asarray(grey.filter(SHARPEN))
    return Image.fromarray(np.where(pixels < SHARPEN_BELOW, np.minimum(pixels, sharp), pixels))


def with_grain(grey: Image.Image) -> Image.Image:
    """A scan on flat paper blurred by FLAT_PAPER_BLUR px. A scanner that throws the paper's grey away
    (whitened paper, black and white: 1 bit a pixel, as PNG, PDF or JPEG) also dithers grey fills into
    dots and leaves glyphs with hard edges: blurred, a dithered shaded cell or sidebar is an even grey
    again, which the layout step finds as shading (read as dots, the two-column page's sidebar was read
    across its main column: 0.44-0.58), and glyphs have the soft edges of every other scan. On scans
    with no grain at all (noiseless) it changes little either way (measured: docs/ocr.md, step 26)."""
    return grey.filter(ImageFilter.GaussianBlur(FLAT_PAPER_BLUR))


def with_dark_ink(grey: Image.Image) -> Image.Image:
    """A page printed with faded toner (or scanned too light) with its levels stretched, the paper kept,
    so that its darkest ink is INK_TARGET of the paper. The layout's tests are shares of the paper and
    of the background: on a page faded to 60% contrast its rules were too light to be rules on the
    analysis thumbnail, the page was not laid out and its two columns were read across (CER 0.43).
    Pages whose ink is darker than FADED_INK of the paper (every evaluation page) are left as they are."""
    histogram = _thumbnail(grey)[0].histogram()
    paper, ink = _percentile(histogram, 90), _percentile(histogram, INK_PERCENTILE)
    if ink <= FADED_INK * paper:
        return grey
    gain = (1 - INK_TARGET) * paper / max(paper - ink, 1.0)
    return grey.point([max(0, min(255, round(paper - (paper - level) * gain))) for level in range(256)])


def on_white_paper(grey: Image.Image) -> Image.Image:
    """A page on dark paper (recycled paper, a scanner's dark gamma: paper under DARK_PAPER) with its
    levels stretched so the paper is white. The layout step flattens shaded cells to white: on paper
    left at 167 Otsu's threshold then fell between the two whites, and the whole page was taken for
    rules and erased (a form: CER 0.015 -> 0.89). Pages on paper of 234 or more (every evaluation page)
    are left as they are."""
    paper = _paper_level(grey)
    if not DARKEST_PAPER <= paper < DARK_PAPER:  # darker still is a dark background (a dark-mode screen)
        return grey
    scale = 255 / max(paper, 1.0)
    return grey.point([min(255, round(level * scale)) for level in range(256)])


def layout_unit(features: ImageFeatures, dpi: int | None, factor: float) -> float:
    """Text line height in px of the prepared image, for the layout thresholds. The measured height
    can be inflated by table rows and rules, so it is capped at a 12 pt line where the dpi is known."""
    unit = features.line_height * factor or 30.0
    return min(unit, dpi * 12 / 72 * 1.2) if dpi else unit


def tesseract_command(page: PageImage, input_path: str) -> list[str]:
    """The exact tesseract command the stage runs on `input_path` (the page image saved as PGM).

    It writes the text and the word boxes (TSV) of the same run to files beside the input: the boxes
    place a laid-out page's words in its tables (documents.layout.assemble) and find the arrows
    tesseract misreads (documents.marks)."""
    cmd = ["tesseract", input_path, input_path.rsplit(".", 1)[0], "-l", settings.OCR_LANGUAGES, "--psm", str(page.psm)]
    if page.dpi:
        cmd += ["--dpi", str(page.dpi)]
    if page.layout is not None and page.layout.changed:
        # Light-on-dark bands are already reversed (documents.layout): tesseract's own try of every
        # unsure line inverted finds nothing more there, and costs ~7% of its time (measured).
        cmd += ["-c", "tessedit_do_invert=0"]
    return cmd + ["txt", "tsv"]


def plain_tesseract_command(input_path: str, dpi: float | None) -> list[str]:
    """Raw tesseract with default settings on a page as rendered or decoded: the baseline the OCR
    benchmark and evaluation compare the stage with (bench/run.py, eval/ocr/run.py)."""
    cmd = ["tesseract", input_path, "stdout", "-l", settings.OCR_LANGUAGES]
    return cmd + ["--dpi", str(round(dpi))] if dpi else cmd


def tesseract_env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class Reading:
    text: str
    sureness: float  # tesseract's confidence in its words with letters or digits, per character (0-100)


def read_prepared(page: PageImage, *, timeout: float | None = None) -> Reading:
    timeout = settings.OCR_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    laid_out = page.layout if page.layout is not None and page.layout.changed else None
    with _timeout_as_error(page.number, timeout):
        # Light-on-dark bands of a laid-out page are already reversed (documents.layout): tesseract's
        # own try of every unsure line inverted finds nothing more there, and costs ~7% of its time.
        txt, tsv = tesseract.read_page(page.image, psm=page.psm, dpi=page.dpi, invert=laid_out is None, timeout=timeout)
        words = layout.parse_tsv(tsv, txt)
        sureness = _sureness_of_text(words)
        changed = without_specks(mend_split_lines(page, words, deadline - time.monotonic()))
        changed = marks.bullets_apart(page.image, changed)  # before the words are cut out to be read again
        if laid_out is not None:
            changed = read_words_again(page, changed, deadline)
            changed += read_empty_cells(page, changed, laid_out, deadline - time.monotonic())
            changed = read_tall_lines(page, changed, laid_out, deadline - time.monotonic())
            text = layout.assemble(marks.read_marks(page.image, changed), laid_out)
            return Reading(clean_ocr_text(text), sureness)
        # Other pages keep tesseract's text, with the unsure words read again (OCR_REREAD_ALL_PAGES,
        # on by default: ~10-15% of the time) and the words changed written in place.
        if settings.OCR_REREAD_ALL_PAGES:
            changed = read_words_again(page, changed, deadline)
        text = layout.rewrite_words(txt, words, marks.read_marks(page.image, changed))
        return Reading(clean_ocr_text(text), sureness)


def _sureness_of_text(words: list[layout.Word]) -> float:
    """Confidence per character of the words with a letter or digit; 0 with none. Upright pages read
    at 82-95 (51 evaluation pages: forms, scans, photos, screenshots at 80-300 dpi), the same pages
    turned sideways or upside down at 0-62 (tesseract makes words of the strokes, unsure of each)."""
    text_words = [w for w in words if any(c.isalnum() for c in w.text)]
    chars = sum(len(w.text) for w in text_words)
    return sum(w.confidence * len(w.text) for w in text_words) / chars if chars else 0.0


@contextlib.contextmanager
def _timeout_as_error(number: int, timeout: float) -> Iterator[None]:
    try:
        yield
    except tesseract.Timeout as exc:
        raise DomainError(ErrorCode.OCR_TIMEOUT, f"OCR of page {number} took longer than {timeout:g} s.") from exc
    except RuntimeError as exc:  # tesserocr: the models would not load, the image would not convert
        raise DomainError(ErrorCode.INTERNAL_ERROR, f"tesseract failed on page {number}: {exc}") from exc


def read_words_again(page: PageImage, words: list[layout.Word], deadline: float) -> list[layout.Word]:
    """The word-level second readings, in order: the words under a seal, then the unsure words, then Latin
    words with a particle (whose Latin part the unsure words' reading may have mended), then words read as
    numbers, then Korean words read as Latin, then words read without a glyph beside them, then circled
    numbers; last, titles set with a space between their syllables."""
    words = words_under_stamps(page, words, deadline - time.monotonic())
    words = reread_unsure_words(page, words, deadline - time.monotonic())
    words = particles_after_latin(page, words, deadline - time.monotonic())
    words = numbers_read_again(page, words, deadline - time.monotonic())
    words = korean_read_as_latin(page, words, deadline - time.monotonic())
    words = glyphs_beside_words(page, words, deadline - time.monotonic())
    words = circled_numbers(page, words, deadline - time.monotonic())
    return spaced_titles(page, words)


def words_under_stamps(page: PageImage, words: list[layout.Word], timeout: float) -> list[layout.Word]:
    """The words of a line a company seal is stamped on, read again with the seal taken out: on every
    OCR'd page, first of the word-level readings.

    Korean certificates are stamped with a seal over or beside `(인)`, the signature's place. In grey a
    red seal's ink is a mid grey (~0.6 of the paper), and tesseract read its ring with the glyphs it
    touches as `a)`, `ac)`, `cart`, `@)` on all 60 certificate pages of the evaluation sets (the
    ring's own marks, `| ㅣ`, as words of their own beside them). Seals are found by their ink
    (_stamps); the words of each line under one, with those within STAMP_REACH beside it, are cut out
    as one crop in which the seal's box keeps only the dark strokes of text (and the paper around
    them), and read alone (psm 7). The reading replaces those words when STAMP_SURE on average; when no
    text is left in the crop, or it reads as nothing, the words wholly inside the seal's box (its ring
    read as marks) are dropped."""
    em = _text_height(words)
    if em is None:
        return words
    grey = page.pixels
    paper = _paper_of(grey)
    stamps = _stamps(grey, em, paper)
    if not stamps:
        return words
    side = round(STAMP_REACH * em)
    found: list[tuple[list[layout.Word], layout.Box, tuple[Image.Image, layout.Box] | None]] = []
    for line in _by_line([w for w in words if w.text]).values():
        height = int(np.median([w.box.y0 for w in line])), int(np.median([w.box.y1 for w in line]))
        top, bottom = _stamp_crop_band(height)
        for stamp in stamps:
            if not any(w.box.overlaps(stamp) for w in line) or stamp.y1 <= top or stamp.y0 >= bottom:
                # No seal on this line, or one off the band its crop would take (a word of the line
                # boxed tall reached it): nothing of the seal to take out of the crop.
                continue
            reach = dataclasses.replace(stamp, x0=stamp.x0 - side, x1=stamp.x1 + side)
            under = sorted((w for w in line if w.box.overlaps(reach)), key=lambda w: w.box.x0)
            found.append((under, stamp, _without_stamp(grey, _union(under), height, stamp, paper, em)))
    crops = [cut[0] for _, _, cut in found if cut is not None]
    readings = iter(tesseract.read_lines(crops, timeout=timeout) if crops else [])
    changed: dict[int, layout.Word] = {}
    for under, stamp, cut in found:
        text, confidences = ("", []) if cut is None else next(readings)
        text = " ".join(text.split())
        sure = sum(confidences) / len(confidences) if confidences else 0.0
        if cut is not None and text and sure >= STAMP_SURE:
            changed |= {under[0].index: dataclasses.replace(under[0], box=cut[1], text=text, confidence=sure)}
            changed |= {w.index: dataclasses.replace(w, text="") for w in under[1:]}
        elif not text:
            changed |= {w.index: dataclasses.replace(w, text="") for w in under if w.box.within(stamp)}
    return [changed.get(w.index, w) for w in words]


def _stamps(grey: np.ndarray, em: float, paper: float) -> list[layout.Box]:
    """The boxes of the seals on a page: pieces of ink darker than STAMP_INK of the `paper`, STAMP_SIZE
    across, about square, inking at most STAMP_FILL of their box (a ring, a square frame, seal script)
    and at most STAMP_DARK_SHARE of it as dark as text (the glyphs a seal touches join its piece). A seal
    inside another's box (the square in a ring) is the outer one's. Looked for at half size when em
    allows: 7.8 ms a page on average over the evaluation pages, against 13 ms at full size."""
    step = 2 if em >= STAMP_MIN_EM_PX else 1
    small = np.ascontiguousarray(grey[::step, ::step])
    inked = (small < STAMP_INK * paper).astype(np.uint8)
    _, labels, stats = components(inked)
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    sized = (
        (np.minimum(widths, heights) * step >= STAMP_SIZE[0] * em)
        & (np.maximum(widths, heights) * step <= STAMP_SIZE[1] * em)
        & (widths >= 0.7 * heights)
        & (widths <= 1.4 * heights)
        & (stats[:, cv2.CC_STAT_AREA] <= STAMP_FILL * widths * heights)
    )
    sized[0] = False  # the paper
    found = []
    for i in np.flatnonzero(sized):
        x, y, w, h, area = (int(v) for v in stats[i])
        piece = labels[y : y + h, x : x + w] == i
        if (piece & (small[y : y + h, x : x + w] < STAMP_DARK * paper)).sum() > STAMP_DARK_SHARE * area:
            continue
        # A pixel's rim around the box at half size: the ring's edge between two sampled rows is its own.
        found.append(layout.Box(max(0, x - 1) * step, max(0, y - 1) * step, (x + w + 1) * step, (y + h + 1) * step))
    return [a for a in found if not any(b != a and a.within(b) for b in found)]


def _without_stamp(
    grey: np.ndarray, box: layout.Box, height: tuple[int, int], stamp: layout.Box, paper: float, em: float
) -> tuple[Image.Image, layout.Box] | None:
    """The crop of a line's words `box` with a seal taken out, and the box of the text left in it (page
    coordinates); None when nothing as dark as text is left (tesseract reads a blank crop as `0`).

    In the seal's box only the strokes darker than STAMP_DARK of the paper (and a pixel around them) are
    kept, the rest painted paper. Dark specks under STAMP_SPECK em squared go too (a halftone's dots of
    the ring) unless STAMP_STROKE em long (a thin stroke of a serif glyph: `인` read `ㅇ` without its 1 px
    `ㅣ`). The crop and the text's box are the line's `height` (the words tesseract made of a ring had the
    ring's box: a word beside them then looked for its glyphs over three lines, step 29), and the crop is
    framed in paper: cut close, `(인)` read `(위)`."""
    top, bottom = height
    margin = _stamp_crop_margin(height)
    # Across the seal's box too: a syllable its ring crossed may be no word of the first reading.
    x0, y0 = max(0, min(box.x0, stamp.x0) - CROP_SIDE), max(0, top - margin)
    crop = grey[y0 : bottom + margin, x0 : max(box.x1, stamp.x1) + CROP_SIDE].copy()
    region = crop[max(0, stamp.y0 - y0) : max(0, stamp.y1 - y0), max(0, stamp.x0 - x0) : max(0, stamp.x1 - x0)]
    dark = (region < STAMP_DARK * paper).astype(np.uint8)
    _, labels, stats = components(dark)
    strokes = (stats[:, cv2.CC_STAT_AREA] >= (STAMP_SPECK * em) ** 2) | (
        np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) >= STAMP_STROKE * em
    )
    strokes[0] = False  # the rest
    keep = cv2.dilate(strokes[labels].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    region[~keep] = round(paper)
    columns = np.flatnonzero((crop < STAMP_DARK * paper).any(axis=0))
    if not len(columns):
        return None
    text = layout.Box(x0 + int(columns[0]), top, x0 + int(columns[-1]) + 1, bottom)
    return Image.fromarray(np.pad(crop, margin, constant_values=round(paper))), text


def _stamp_crop_margin(height: tuple[int, int]) -> int:
    return max(4, (height[1] - height[0]) // 4)


def _stamp_crop_band(height: tuple[int, int]) -> tuple[int, int]:
    """The rows (top, bottom) of the page a line of `height` is cut out in, seal and all (_without_stamp)."""
    margin = _stamp_crop_margin(height)
    return height[0] - margin, height[1] + margin


def _paper_of(grey: np.ndarray) -> float:
    """A prepared page's paper level for the word-level readings: its 90th percentile, sampled every 8th
    pixel each way (~0.1 ms)."""
    return float(np.percentile(grey[::8, ::8], 90))


def _primary_language() -> str | None:
    """The first of OCR_LANGUAGES when there are several (kor of kor+eng): the model some words are
    read by alone; None with one language."""
    primary = settings.OCR_LANGUAGES.split("+")[0]
    return None if primary == settings.OCR_LANGUAGES else primary


def reread_unsure_words(page: PageImage, words: list[layout.Word], timeout: float) -> list[layout.Word]:
    """Read again, each on its own (psm 7), the words tesseract was unsure of: on a laid-out page, and
    on any page with OCR_REREAD_ALL_PAGES.

    In a table row tesseract reads across wide gaps between cells, and a short word alone in its cell
    or a Latin word among Hangul comes out as noise with a low confidence (`+S` for 수를, `26010` for
    Zeplin, `S` for 중). Cut out on its own, the same word mostly reads right and sure (~10 ms a word,
    by an engine already loaded, in practice the one that read the page); the second reading replaces
    the word when it is clearly surer. Measured on the forms: twice the size read no better than as is.
    """
    deadline = time.monotonic() + timeout
    bullets = marks.leading_bullets(page.image, words)  # told by their ink (documents.marks), not read again
    unsure = [
        w
        for w in words
        if w.text
        and (w.confidence < REREAD_CONFIDENCE or _junk_marked(w.text))
        and w.box.height >= 6
        and not w.is_rule_debris
        and w.index not in bullets
    ][:REREAD_MAX_WORDS]
    if not unsure:
        return words
    crops = [_box_crop(page.image, word.box) for word in unsure]
    lines = _by_line([w for w in words if w.text])
    better: dict[int, layout.Word] = {}
    for word, (text, confidences) in zip(unsure, tesseract.read_lines(crops, timeout=timeout), strict=True):
        text = _without_overlapped(" ".join(text.split()), word, lines[word.line])
        if confidences and text and same_extent(word.text, text) and not _part_of(text, word.text):
            sure = sum(confidences) / len(confidences)
            # Syllables for as many syllables: two readings of the same ink that disagree glyph by glyph
            # (`부서` at 17 read `드시` at 35 alone); the second is taken only when sure itself.
            swap = len(text) == len(word.text) and all(HANGUL.match(c) for c in text + word.text)
            if sure > word.confidence + REREAD_MARGIN and (sure >= SURE_CONFIDENCE or not swap):
                better[word.index] = dataclasses.replace(word, text=" ".join(text.split()), confidence=sure)
    words = [better.get(word.index, word) for word in words]
    reread = [better.get(w.index, w) for w in unsure]
    return _latin_noise_read_as_korean(page, words, reread, deadline - time.monotonic())


def _junk_marked(text: str) -> bool:
    """A word of marks only, one of them a mark no résumé or posting writes (`£=` for `또는`):
    tesseract's reading of glyphs it did not know, however sure it says it is."""
    return any(c in JUNK_MARKS for c in text) and not any(c.isalnum() for c in text)


def _latin_noise_read_as_korean(
    page: PageImage, words: list[layout.Word], reread: list[layout.Word], timeout: float
) -> list[layout.Word]:
    """Words still read as Latin noise after the second reading, in a line that has Hangul, read once
    more by the primary language's model alone (kor).

    With kor+eng, a word the Korean model reads with one unsure syllable goes to the English model as
    well, and tesseract can keep the English reading however poor: `센텀중앙로` came out `AASS=`
    (confidence 12), alone as well as in its line, where kor alone reads `센텀중앙로` or `셈중앙로`
    at 93-96. Only such words (no Hangul, confidence < NOISE_CONFIDENCE, Hangul beside them) are
    read so, and kept when the reading has Hangul and is sure: 9 words of 75 evaluation documents,
    2 taken. So is a Korean word read as Latin before a parenthesis (`신용장(L/C)` read `ASA(L/C)` at 60,
    8 times over the pages drawn in Noto Sans KR) under REREAD_CONFIDENCE: kor alone reads `신용장` at
    91-93 and the part in parentheses as noise, so the Korean word is taken before the first reading's
    parenthesis."""
    by_line = _by_line(words)
    noise = [
        w for w in reread
        if w.text and not HANGUL.search(w.text)
        and (w.confidence < NOISE_CONFIDENCE or _korean_before_parenthesis(w))
        and any(HANGUL.search(other.text) for other in by_line[w.line] if other is not w)
    ]  # fmt: skip
    primary = _primary_language()
    if not noise or primary is None:
        return words
    crops = [_box_crop(page.image, word.box) for word in noise]
    better: dict[int, layout.Word] = {}
    for word, (text, confidences) in zip(
        noise, tesseract.read_lines(crops, timeout=timeout, languages=primary), strict=True
    ):
        if (latin := LATIN_BEFORE_PARENTHESIS.match(word.text)) and word.confidence >= NOISE_CONFIDENCE:
            # Only the Korean word before the parenthesis is taken from kor, and measured: kor reads the
            # Latin in it as noise, its last word (`신용장(/0)` at 92, 93, 91 and 0; `(Ｌ/0)` at 9).
            korean = KOREAN_BEFORE_PARENTHESIS.match(text.strip())
            text = f"{korean.group()}{word.text[latin.end() :]}" if korean else ""
            confidences = confidences[:-1]
        confidences = [c for c in confidences if c > 0]  # a word with no text counts 0
        # Less the neighbours read with it: a box over `과` read `(016560081601106)과` (`과` written twice),
        # and that `과` was its only Hangul.
        text = _without_overlapped(" ".join(text.split()), word, by_line[word.line])
        if confidences and HANGUL.search(text) and same_extent(word.text, text):
            sure = sum(confidences) / len(confidences)
            if sure >= SURE_CONFIDENCE and sure > word.confidence + REREAD_MARGIN:
                better[word.index] = dataclasses.replace(word, text=text, confidence=sure)
    return [better.get(word.index, word) for word in words]


def _korean_before_parenthesis(word: layout.Word) -> bool:
    """An unsure word of Latin letters before a parenthesis: a Korean word read as Latin may be its start
    (`신용장(L/C)` read `ASA(L/C)`, _latin_noise_read_as_korean)."""
    return word.confidence < REREAD_CONFIDENCE and LATIN_BEFORE_PARENTHESIS.match(word.text) is not None


# Korean particles and endings written onto a word with no space: after a Latin word (TypeScript로,
# Sentry를, SQL과, Kotlin으로, AWS에서의) they are what tesseract misreads (particles_after_latin).
PARTICLES = frozenset(
    ("은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "로", "으로", "에서", "에게", "도", "까지", "부터",
     "보다", "처럼", "이나", "나", "랑", "이랑", "하고", "과의", "와의", "에서의", "으로의", "로의", "에는", "에도",
     "로는", "으로는", "이며", "이고", "에서도", "으로도", "로도", "에서는")
)  # fmt: skip
LATIN = re.compile("[A-Za-z]")
LATIN_BEFORE_PARENTHESIS = re.compile(r"[A-Za-z]{2,}(?=\()")  # `ASA(L/C)`: a Korean word read as Latin before one
KOREAN_BEFORE_PARENTHESIS = re.compile("[\uac00-\ud7a3]{2,}(?=\\()")
LATIN_LANGUAGE = "eng"
# `TypeScript=`, `Spark2}`, `SentryS`, `Redis®`: a particle read as Latin at the end of a Latin word
JUNK_END = re.compile(r"([=}\]{|®©™]|[a-z][A-Z])$")
JUNK_THEN_HANGUL = re.compile("([^\uac00-\ud7a3]{2,})([\uac00-\ud7a3]{1,4})")  # `<0410으로`, `50Ｌ과`
PARTICLE_CONFIDENCE = 80.0  # a Latin word in a Korean line read less surely than this is looked at
PARTICLE_GAP = 0.35  # em units: a particle read as a word of its own begins this close to the word
PARTICLE_WIDTH = 0.55  # em units: a syllable kor reads at a word's end is this wide at least (`I` is 0.3)
SYLLABLE_WIDTH = 0.8  # em units: a Hangul syllable's ink is this wide at least (0.9-1.0 in the fonts measured)
PARTICLE_SPLIT = 0.33  # word heights: the cut between word and particle is the blank column this close to kor's
OTHER_LINE_GAP = 0.4  # em of blank rows between two bands of ink in a crop: they are two lines (_own_line)
LATIN_SURE = 70.0  # the Latin part read alone by eng is taken when this sure
PARTICLE_MAX_WORDS = 30  # suspects looked at on a page at most (~2 a page on the evaluation pages)
CROP_SIDE = 3  # px beside a word's box in its crop
NUMBER = re.compile(r"[(\[]?\d{2,}[)\],.:;]?")  # a word read as a number (numbers_read_again) ...
NUMBER_MAX_WORDS = 30  # ... looked at on a page at most (~1 a page on the evaluation pages)
PERCENT = re.compile(r"([(\[]?\d+)%([)\],.:;]?)")  # a number read again alone as a percentage
KOREAN_AS_LATIN_WIDTH = 0.6  # em a letter or digit: a Latin reading this wide may be a Korean word ...
PUNCTUATION_WIDTH = 0.3  # ... em for each other mark it has (`(Tableau,`, `Next.`, `Python(pandas)`) ...
KOREAN_AS_LATIN_MAX_WORDS = 30  # ... looked at on a page at most
KOREAN_SYLLABLE_WIDTH = 0.7  # em a syllable at least, in the box of the word read again
LATIN_CONFIRMED = 90.0  # ... and the first reading stands when eng alone reads it again this sure
# ... unless it reads a code (`8D` for `81`): its letters in place of digits they do not look like
DIGIT_LOOKALIKES = {"0": "ODQoU", "1": "IlLiJjT", "2": "Zz", "3": "B", "4": "AH", "5": "Ss", "6": "Gb", "7": "T",
                    "8": "B", "9": "gq"}  # fmt: skip
STAMP_INK = 0.75  # a seal's ink (a red seal in grey: ~0.6 of the paper) is darker than this share of it ...
STAMP_DARK = 0.45  # ... and, but for the glyphs it touches, lighter than this (text strokes: 0.05-0.3)
STAMP_SIZE = (2.0, 7.0)  # em across (a seal over `(인)`: ~3.4 em)
STAMP_FILL = 0.4  # at most this share of its box inked (a ring with a square in it: ~0.25)
STAMP_DARK_SHARE = 0.25  # at most this share of its ink as dark as text
STAMP_MIN_EM_PX = 12  # a page whose em is this or more is looked at for seals at half size
STAMP_REACH = 1.0  # em: a line's words this close beside a seal are read again with those under it ...
STAMP_SPECK = 0.2  # ... dark specks in its box smaller than this (em, squared) taken out with it ...
STAMP_STROKE = 0.5  # ... but for a glyph's thin stroke this long (em) ...
STAMP_SURE = 70.0  # ... and the reading taken when this sure on average
TITLE = re.compile("[\uac00-\ud7a3]{3,6}")  # a line of one word of this many syllables may be a spaced title ...
SPACED_TITLE_GAP = 0.24  # ... when its syllables stand this share of its height apart ...
TITLE_SPECK = 0.05  # ... (ink in pieces smaller than this share of its height, squared, is a speck)
TITLE_PITCH_SLACK = 0.25  # ... each gap this share of a syllable's width from where syllables of one width meet
# ... and each wider than the page's own gap between the syllables of a word of its size (syllable_gaps:
# Un and Baekmuk set theirs 0.26-0.35 apart, and `연락처`, `정보처리기사` alone on their lines were written
# spaced), measured over TITLE_GAP_WORDS sure words (SURE_WORD) at most, of TITLE_GAP_HEIGHTS times its
# height, when there are TITLE_GAP_MIN_WORDS of them
TITLE_GAP_WORDS = 40
TITLE_GAP_HEIGHTS = (0.8, 1.25)
TITLE_GAP_MIN_WORDS = 5
SURE_WORD = 90.0
WORD_OF_SYLLABLES = re.compile("[\uac00-\ud7a3]{2,6}")
COUNTER = re.compile(r"([(\[]?)(\d+)([\uac00-\ud7a3]{1,2})([)\],.:;]?)")  # `935점`, `(180점)`, `1203호`


@dataclass(frozen=True)
class _Suspect:
    words: list[layout.Word]  # the word (tesseract's TSV pieces of it), with the particle read apart if so
    particle: str | None  # the particle as the page's reading has it, if it has one
    after: layout.Word | None  # the next word, when it begins close: it may hold the particle itself


def particles_after_latin(page: PageImage, words: list[layout.Word], timeout: float) -> list[layout.Word]:
    """Latin words with a Korean particle written onto them (TypeScript로, Sentry를, Kotlin으로) read
    right: on every OCR'd page, after the second readings.

    With kor+eng, such a word goes to one model whole. The English one reads the particle as Latin
    junk (`TypeScript=`, `SentryS`, `Pythonzt`, `Spark2}`), the Korean one the Latin part as digits
    (`<0410으로`, `50Ｌ과`); both sure enough to pass the second readings. In a Korean résumé these are
    the technology names search is for: on the evaluation pages 163 of 167 such words were misread.
    A suspect (_suspects) is read by kor alone, which reads the particle right and says where it begins
    (its symbol boxes); the part before it is read by eng alone; the word becomes the two, when kor's
    end is a particle a syllable wide and eng reads Latin sure. ~12 ms a reading, two a word: 0-6% of
    a Korean page's time (at most PARTICLE_MAX_WORDS words a page), nothing on a page with no Hangul."""
    primary = _primary_language()
    if primary is None or LATIN_LANGUAGE not in settings.OCR_LANGUAGES.split("+"):
        return words
    em = _text_height(words)
    if em is None:
        return words
    deadline = time.monotonic() + timeout
    better: dict[int, layout.Word] = {}
    for suspect in _suspects(_by_line(words), em)[:PARTICLE_MAX_WORDS]:
        box = _union(suspect.words)
        crop = _box_crop(page.image, box)
        symbols = tesseract.read_line_symbols(crop, timeout=deadline - time.monotonic(), languages=primary)
        found = _particle_at_end(symbols, suspect.particle, em)
        if found is None:
            continue
        particle, x0, x1 = found
        # The next word beginning inside the particle: tesseract read the particle as that word as well
        # (`SQL과` `과`: dropped), or that word's own first syllable was taken for one (`SQL로 로그`).
        after = suspect.after
        twice = after is not None and after.box.x0 < box.x0 - CROP_SIDE + (x0 + x1) / 2
        if twice and after is not None and after.text != particle:
            continue
        cut = _gap_near(crop, x0, round(PARTICLE_SPLIT * box.height))
        text, sure = _latin_left_of(crop, cut, em, box, deadline)
        # kor's symbol boxes are approximate: where it read more glyphs before the particle than eng read
        # letters left of the cut, the cut fell inside the word (`SQL로` at 150 dpi: kor boxed `로` from
        # the stem of `L`, eng read `SQ`), and the next blank column towards the particle is tried.
        glyphs = len(symbols) - len(particle)
        if (
            len(text) < glyphs
            and (later := _next_gap(crop, cut, x1 - round(SYLLABLE_WIDTH * em * len(particle)))) is not None
        ):
            text, sure = max(
                (text, sure), _latin_left_of(crop, later, em, box, deadline), key=lambda r: (len(r[0]), r[1])
            )
        if not LATIN.search(text) or sure < LATIN_SURE:
            continue
        first, *rest = suspect.words
        better[first.index] = dataclasses.replace(first, box=box, text=text + particle, confidence=sure)
        better.update({w.index: dataclasses.replace(w, text="") for w in rest})
        if twice and after is not None:
            better[after.index] = dataclasses.replace(after, text="")
    return [better.get(w.index, w) for w in words]


def _suspects(lines: dict[tuple[int, int, int], list[layout.Word]], em: float) -> list[_Suspect]:
    """In lines with Hangul, the words that may be a Latin word with a particle: a Latin word ending in
    junk or read unsure, a word of junk ending in a particle, and a word without Hangul followed closely
    by a particle read as a word of its own."""
    suspects = []
    for line in lines.values():
        if not any(HANGUL.search(w.text) for w in line):
            continue
        runs = _runs(line)
        for i, run in enumerate(runs):
            text = "".join(w.text for w in run)
            after = runs[i + 1] if i + 1 < len(runs) else None
            close = after is not None and after[0].box.x0 - run[-1].box.x1 <= PARTICLE_GAP * em
            if not text or HANGUL.match(text):
                continue
            if HANGUL.search(text):
                parts = JUNK_THEN_HANGUL.fullmatch(text)
                if parts and (particle := _particle(parts.group(2))):
                    suspects.append(_Suspect(run, particle, None))
            elif close and after is not None and (particle := _particle("".join(w.text for w in after))):
                suspects.append(_Suspect(run + after, particle, None))
            elif LATIN.search(text) and (min(w.confidence for w in run) < PARTICLE_CONFIDENCE or JUNK_END.search(text)):
                suspects.append(_Suspect(run, None, after[0] if close and after is not None else None))
    return suspects


def _runs(line: list[layout.Word]) -> list[list[layout.Word]]:
    """The words of tesseract's text in a line: its TSV pieces joined with no space (`101` `동`)."""
    runs: list[list[layout.Word]] = []
    for word in line:
        if runs and not word.space_before:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _runs_of_korean_lines(words: list[layout.Word]) -> Iterator[list[layout.Word]]:
    """The runs (_runs) of every line that has Hangul: where the word-level repairs look."""
    for line in _by_line(words).values():
        if any(HANGUL.search(w.text) for w in line):
            yield from _runs(line)


def numbers_read_again(page: PageImage, words: list[layout.Word], timeout: float) -> list[layout.Word]:
    """Words read as a number in a line with Hangul, read once more alone (psm 7): on every OCR'd page,
    after the other second readings.

    Within a line, tesseract reads three kinds of word as digits and is sure of them: a number with its
    Korean counter written onto it, the counter read as one more digit (`935점` as `9354`, `(180점)` as
    `(1804)`, `1203호` as `12035`, `6년` as `64`), a Latin word the Korean model read (`TOEIC` as
    `70610`, `(Tableau,` as `(1001634,`, `Redis,` as `16015,`, `8D` as `81`), and a percentage
    (Noto's `%` as `96`: `40%` as `4096`). Cut out alone, the same
    word mostly reads right: 50 of the ~150 numbers on ~100 evaluation pages read otherwise alone, 43 of
    them right. The second reading is taken when it is the number less its last digits with as many
    Hangul syllables, each as wide as one, in their place; a word of more letters than digits; or the
    number less its last digits with a percent sign in their place (`40%` read `4096`); and sure.
    Numbers that read as digits again (`81)` for `81`, `00` for `000`) keep the first reading,
    unless the English model alone, very sure, reads them as Latin letters only (`iOS` read `105`) or
    as a code whose letters stand for digits they do not look like (`8D` read `81`: _code_for_number), or
    as a percentage (`18%` read `1896`).
    ~12 ms a number, at most NUMBER_MAX_WORDS a page."""
    em = _text_height(words)
    if em is None:
        return words
    deadline = time.monotonic() + timeout
    suspects = [run for run in _runs_of_korean_lines(words) if NUMBER.fullmatch("".join(w.text for w in run))]
    suspects = suspects[:NUMBER_MAX_WORDS]
    better: dict[int, layout.Word] = {}
    digits_again: list[tuple[list[layout.Word], layout.Box]] = []
    for run in suspects:
        box = _union(run)
        symbols = tesseract.read_line_symbols(_box_crop(page.image, box), timeout=deadline - time.monotonic())
        first, text = "".join(w.text for w in run), "".join("".join(s[0] for s in symbols).split())
        if not symbols or min(s[3] for s in symbols) < SURE_CONFIDENCE:
            continue
        # Letters are narrower than digits (`Redshift` was read `06091`): a Latin word may be twice as long.
        if (
            _counter_in_place(first, symbols, em)
            or (_letters_for_digits(text) and len(text) <= 2 * len(first))
            or _percent_for_digits(first, text)
        ):
            head, *rest = run
            better[head.index] = dataclasses.replace(head, box=box, text=text, confidence=min(s[3] for s in symbols))
            better.update({w.index: dataclasses.replace(w, text="") for w in rest})
        elif NUMBER.fullmatch(text):
            digits_again.append((run, box))
    # Read as digits again: the Korean model wins the union of the two even alone (`iOS` read `105` at
    # 94-99). The English model alone, very sure of a word of letters only, is taken.
    if digits_again and LATIN_LANGUAGE in settings.OCR_LANGUAGES.split("+"):
        crops = [_box_crop(page.image, box) for _, box in digits_again]
        latin = tesseract.read_lines(crops, timeout=deadline - time.monotonic(), languages=LATIN_LANGUAGE)
        for (run, box), (read, confidences) in zip(digits_again, latin, strict=True):
            text, first = " ".join(read.split()), "".join(w.text for w in run)
            letters = sum(c.isascii() and c.isalpha() for c in text)
            sure = bool(confidences) and min(confidences) >= LATIN_CONFIRMED
            latin_word = letters >= 2 and not any(c.isdigit() for c in text) and len(text) <= 2 * len(first)
            if sure and (latin_word or _code_for_number(first, text) or _percent_for_digits(first, text)):
                head, *rest = run
                better[head.index] = dataclasses.replace(head, box=box, text=text, confidence=min(confidences))
                better.update({w.index: dataclasses.replace(w, text="") for w in rest})
    return [better.get(w.index, w) for w in words]


def korean_read_as_latin(page: PageImage, words: list[layout.Word], timeout: float) -> list[layout.Word]:
    """Korean words read as a short Latin word, read once more by the Korean model alone (psm 7): on
    every OCR'd page with Hangul, after the other second readings.

    With kor+eng a Korean word can come out of the English model as a few Latin letters, sure of them
    (80-96): `운영` as `2S`, `사용` as `AS`, `구분` as `TH`, `주소` as `as`, `뱅킹` as `BY`, `또는` as `£E`,
    `데이터를` as `HOES`; unsure words are read again before (reread_unsure_words), these are not (a
    word under REREAD_CONFIDENCE was read alone there and is not read here: 164 such readings over the
    evaluation sets in session 25, none of them Korean). Such
    a reading is wider than Latin letters are: ~0.9 em a letter, where the Latin words on the
    evaluation pages measure 0.36-0.78 (two of 355 more: `8D`, and `Kubernetes` joined to its comma).
    So a word of a page with Hangul, with a Latin letter and no Hangul, at least KOREAN_AS_LATIN_WIDTH
    em wide per letter or digit, is read by kor alone, and that reading is taken when it is Hangul
    (_korean_in_place), every word of it sure, unless eng alone reads the page's Latin word again, sure
    of it. Over the evaluation pages 35 words were mended so, all right, none made wrong; 3,636 Latin
    words drawn in six fonts, three sizes, sharp and blurred (acronyms and names of résumés) stayed as
    read. ~6 ms a word, ~2 a page (~12 ms a page; ~33 ms before session 25 left out the words above).
    A heading alone on its line is such a word too (`자격증` read `AAS` at 87 on nine two-column pages):
    the line need not have Hangul, the page must (session 29: 150 words more read over 273 pages,
    `AWS SAA` 91 of them, confirmed by eng)."""
    primary = _primary_language()
    em = _text_height(words)
    if primary is None or em is None or not any(HANGUL.search(w.text) for w in words):
        return words
    deadline = time.monotonic() + timeout
    runs = (run for line in _by_line(words).values() for run in _runs(line))
    suspects = [(run, "".join(w.text for w in run), _union(run)) for run in runs]
    suspects = [
        s for s in suspects
        if _wide_latin(s[1], s[2], em) and min(w.confidence for w in s[0]) >= REREAD_CONFIDENCE
    ][:KOREAN_AS_LATIN_MAX_WORDS]  # fmt: skip
    if not suspects:
        return words
    crops = [_box_crop(page.image, box) for _, _, box in suspects]
    readings = tesseract.read_lines(crops, timeout=deadline - time.monotonic(), languages=primary)
    korean = [
        (run, first, box, crop, text, min(confidences))
        for (run, first, box), crop, (read, confidences) in zip(suspects, crops, readings, strict=True)
        if confidences
        and min(confidences) >= SURE_CONFIDENCE
        and _korean_in_place(text := " ".join(read.split()), first, box, em)
    ]
    if not korean:
        return words
    # Both models sure of their own reading: the English one alone reads the page's Latin word again
    # (`PDF`, which kor alone read `비가` at 90 in one font of six): it stands.
    english = (
        tesseract.read_lines([k[3] for k in korean], timeout=deadline - time.monotonic(), languages=LATIN_LANGUAGE)
        if LATIN_LANGUAGE in settings.OCR_LANGUAGES.split("+")
        else [("", [])] * len(korean)
    )
    better: dict[int, layout.Word] = {}
    for (run, first, box, _, text, sure), (latin, confidences) in zip(korean, english, strict=True):
        if "".join(latin.split()) == first and confidences and min(confidences) >= LATIN_CONFIRMED:
            continue
        head, *rest = run
        better[head.index] = dataclasses.replace(head, box=box, text=text, confidence=sure)
        better.update({w.index: dataclasses.replace(w, text="") for w in rest})
    return [better.get(w.index, w) for w in words]


def glyphs_beside_words(page: PageImage, words: list[layout.Word], timeout: float) -> list[layout.Word]:
    """Words tesseract read without a glyph at one end, read once more with it (psm 7): on every OCR'd
    page with Hangul, after the other second readings.

    tesseract can leave the first or last syllable of a word out of its reading, and out of the word's
    box, sure of what it kept: a table's `구분` read `분`, `졸업` read `업`, `경험` `경`, `영문성명`
    `영문성`, `강남구` `강남` (71 words mended over the 287 evaluation documents, most of them in header
    cells and the last cell of a row). Or it reads a short word as a part of it: `8D` as `81`, `SQL` as `50`. The
    glyph left out is ink no word's box holds, right beside the word. So beside each word of a line with
    Hangul the page is looked at for such ink (_glyph_beside); where it is found, the word is read
    again with it, and that reading is taken when it is sure and either holds the first one with
    syllables (or letters, digits) only added at that end, as many as fit the ink, or replaces a first
    reading of at most BESIDE_REPLACE_CHARS marks, digits or letters, very sure. ~10-25 ms a page (a
    reading for fewer than one word a page on average)."""
    em = _text_height(words)
    if em is None:
        return words
    deadline = time.monotonic() + timeout
    grey = page.pixels
    ink = grey < BESIDE_INK * _paper_of(grey)
    taken = np.zeros(grey.shape, bool)  # the words' boxes, a pixel wider (their glyphs' antialiasing)
    for word in words:
        if word.text:
            taken[max(word.box.y0 - 1, 0) : word.box.y1 + 1, max(word.box.x0 - 1, 0) : word.box.x1 + 1] = True
    candidates: list[tuple[list[layout.Word], str, layout.Box, int]] = []
    for run in _runs_of_korean_lines([w for w in words if w.text]):
        box = _union(run)
        middle = (box.y0 + box.y1) // 2  # looked at over the word's rows, and an em's at least
        y0, y1 = max(min(box.y0, int(middle - 0.6 * em)), 0), max(box.y1, int(middle + 0.6 * em))
        for side in ("left", "right"):
            if (glyph := _glyph_beside(ink, taken, box, y0, y1, side, em)) is not None:
                grown = layout.Box(
                    min(box.x0, glyph.x0), min(box.y0, glyph.y0), max(box.x1, glyph.x1), max(box.y1, glyph.y1)
                )
                candidates.append((run, side, grown, glyph.x1 - glyph.x0))
    candidates = candidates[:BESIDE_MAX_WORDS]
    if not candidates:
        return words
    readings = tesseract.read_lines(
        [_box_crop(page.image, box) for _, _, box, _ in candidates], timeout=deadline - time.monotonic()
    )
    better: dict[int, layout.Word] = {}
    for (run, side, box, glyph_width), (text, confidences) in zip(candidates, readings, strict=True):
        if run[0].index in better or not confidences or min(confidences) < SURE_CONFIDENCE:
            continue
        first, second = "".join(w.text for w in run), "".join(text.split())
        if not _extends(second, first, side) and _extends(second, core := _without_marks_at(first, side), side):
            first = core  # the marks at that end were the glyph's edge read alone (`또는` read `[는`)
        added = second[: len(second) - len(first)] if side == "left" else second[len(first) :]
        if added and _extends(second, first, side):
            # No more characters than fit the glyph's ink (a fifth of an em for the glyphs' own bearings).
            if not all(c.isalnum() for c in added) or len(added) * KOREAN_SYLLABLE_WIDTH * em > glyph_width + 0.2 * em:
                continue
        elif (
            HANGUL.search(first)
            or len(first) > BESIDE_REPLACE_CHARS
            or min(confidences) < BESIDE_REPLACE_SURE
            or not any(c.isalnum() for c in second)
        ):
            continue
        head, *rest = run
        text = " ".join(text.split())
        better[head.index] = dataclasses.replace(head, box=box, text=text, confidence=min(confidences))
        better.update({w.index: dataclasses.replace(w, text="") for w in rest})
    return [better.get(w.index, w) for w in words]


def _extends(second: str, first: str, side: str) -> bool:
    """`second` is `first` with something more at its `side` end."""
    return (
        bool(first)
        and len(second) > len(first)
        and (second.endswith(first) if side == "left" else second.startswith(first))
    )


def _without_marks_at(text: str, side: str) -> str:
    """`text` less the characters that are no letter or digit at its `side` end."""
    marks = "".join(c for c in text if not c.isalnum())
    return text.lstrip(marks) if side == "left" else text.rstrip(marks)


def circled_numbers(page: PageImage, words: list[layout.Word], timeout: float) -> list[layout.Word]:
    """Circled numbers (`① 서류 전형 ② 1차 면접`) written as such: on every OCR'd page with Hangul.

    Neither model has `①`: tesseract writes `0)`, `©`, `@`, `®`, `6` for one, or runs it into the next
    word (`OMS` for `① 서류`), in every Nanum font at 9-10 pt and 150-300 dpi. In the ink of each line
    with Hangul (at RING_FAINT of the paper) rings are looked for (_rings): RING_SIZE across, about
    round, little ink in their box (RING_INK), the corners empty, ink near the edge all round
    (RING_CLOSED of RING_ANGLES sectors) and ink inside. The inside is read alone by the English model
    (psm 7), and when that reads a number from 1 to 20, sure, the ring is written as its circled number
    (_circled_in): in place of the word tesseract made of it, or of the marks it read for it at the
    start or end of a word (`0)서류` -> `① 서류`), or before the next word when no word holds it; a word
    it ran into (`OMS`) has the rest read again alone. A `©` or an `@` holds a letter, no number; a
    ring with nothing in it (`○`) is not looked at."""
    em = _text_height(words)
    if em is None:
        return words
    lines = _by_line([w for w in words if w.text])
    grey = page.pixels
    found: list[tuple[list[layout.Word], layout.Box, Image.Image]] = []
    level = RING_FAINT * _paper_of(grey)
    for line in lines.values():
        if not any(HANGUL.search(w.text) for w in line) or len(found) >= RING_MAX:
            continue
        for ring, inside in _rings(grey, level, _union(line), em):
            found.append((line, ring, inside))
    if not found:
        return words
    readings = tesseract.read_lines([inside for _, _, inside in found], timeout=timeout, languages=LATIN_LANGUAGE)
    changed: dict[int, layout.Word] = {}
    rests: list[tuple[layout.Word, str, layout.Box]] = []  # words run on from a ring, to be read again
    for (line, ring, _), (text, confidences) in zip(found, readings, strict=True):
        number = text.strip()
        if not (number.isdigit() and int(number) in CIRCLED and confidences and min(confidences) >= SURE_CONFIDENCE):
            continue
        current = sorted((changed.get(w.index, w) for w in line), key=lambda w: w.box.x0)
        written = _circled_in(current, ring, CIRCLED[int(number)], em)
        for word, new in written.items():
            changed[word.index] = dataclasses.replace(word, text=new)
        if written:
            continue
        holder = next((w for w in current if w.box.x0 <= ring.cx <= w.box.x1), None)
        if holder is not None and not HANGUL.search(holder.text) and holder.box.x1 > ring.x1 + em:
            rest = layout.Box(ring.x1 + 1, holder.box.y0, holder.box.x1, holder.box.y1)
            rests.append((holder, CIRCLED[int(number)], rest))
    if rests:  # `OMS` for `① 서류`: the word after the ring read alone
        crops = [_box_crop(page.image, box) for _, _, box in rests]
        again = tesseract.read_lines(crops, timeout=timeout)
        for (word, circled, _), (text, confidences) in zip(rests, again, strict=True):
            if HANGUL.search(text) and confidences and min(confidences) >= SURE_CONFIDENCE:
                changed[word.index] = dataclasses.replace(word, text=f"{circled} {' '.join(text.split())}")
    return [changed.get(w.index, w) for w in words]


def _rings(grey: np.ndarray, level: float, box: layout.Box, em: float) -> Iterator[tuple[layout.Box, Image.Image]]:
    """The rings of circled numbers in a line's box (see circled_numbers; ink: darker than `level`),
    each with a crop of the ink inside it, framed in white and scaled to ~36 px tall."""
    margin = int(0.3 * em)
    x0, y0 = max(0, box.x0 - margin), max(0, box.y0 - margin)
    strip = grey[y0 : box.y1 + margin, x0 : box.x1 + margin]
    if strip.size == 0:
        return
    count, labels, stats = components((strip < level).astype(np.uint8))
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    sized = (
        (np.minimum(widths, heights) >= RING_SIZE[0] * em)
        & (np.maximum(widths, heights) <= RING_SIZE[1] * em)
        & (widths >= 0.8 * heights)
        & (widths <= 1.25 * heights)
        & (stats[:, cv2.CC_STAT_AREA] <= RING_INK * widths * heights)
    )
    sized[0] = False  # the paper
    for i in np.flatnonzero(sized):
        x, y, w, h = (int(v) for v in stats[i, :4])
        piece = labels[y : y + h, x : x + w]
        ring = piece == i
        corner = max(2, min(w, h) // 8)  # a ring leaves the corners of its box empty (a square does not)
        if ring[:corner, :corner].any() or ring[-corner:, -corner:].any():
            continue
        # Ink all round it near its edge (the digit inside may touch it where the page was blurred) ...
        radius, cy, cx = (w + h) / 4, (h - 1) / 2, (w - 1) / 2
        rows, cols = np.mgrid[0:h, 0:w]
        distance = np.hypot(rows - cy, cols - cx) / radius
        theta = np.arctan2(rows - cy, cols - cx) % (2 * np.pi)
        edge = ring & (distance >= RING_EDGE)
        sector = np.minimum((theta[edge] / (2 * np.pi) * RING_ANGLES).astype(int), RING_ANGLES - 1)
        if len(np.unique(sector)) < RING_CLOSED * RING_ANGLES:
            continue
        # ... and ink inside it, its own or a piece of its own (`○` has none).
        inner = (piece > 0) & (distance < RING_INSIDE)
        if inner.sum() < 0.03 * w * h:
            continue
        # The ink inside alone (the ring's own antialiased edge whitened), a digit's height of room
        # around it, its strokes scaled to ~36 px (psm 7 reads no lone digit of ring size).
        keep = cv2.dilate(inner.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        ys, xs = np.nonzero(inner)
        inside = np.where(keep, strip[y : y + h, x : x + w], 255)
        inside = inside[max(0, ys.min() - 1) : ys.max() + 2, max(0, xs.min() - 1) : xs.max() + 2]
        scale = max(1.0, 36 / inside.shape[0])
        crop = Image.fromarray(inside.astype(np.uint8))
        crop = crop.resize((round(crop.width * scale), round(crop.height * scale)), Image.Resampling.LANCZOS)
        framed = Image.new("L", (crop.width + 2 * crop.height, 2 * crop.height), 255)
        framed.paste(crop, (crop.height, crop.height // 2))
        yield layout.Box(x0 + x, y0 + y, x0 + x + w, y0 + y + h), framed


def _circled_in(line: list[layout.Word], ring: layout.Box, circled: str, em: float) -> dict[layout.Word, str]:
    """The new texts of the words of a line (left to right) that a circled number's ring is written
    into (see circled_numbers); empty when it cannot be told where it goes."""
    slack = 0.2 * em
    within = [w for w in line if w.box.x0 >= ring.x0 - slack and w.box.x1 <= ring.x1 + slack]
    if within:  # the words tesseract made of the ring: the first written as it, the rest removed
        return {within[0]: circled} | {w: "" for w in within[1:]}
    holder = next((w for w in line if w.box.x0 <= ring.cx <= w.box.x1), None)
    if holder is not None:  # read with the word after it (`0)서류`) or before it (`전형 2)`): as marks
        starts = re.match(r"^[^\uac00-\ud7a3A-Za-z]{1,3}([\uac00-\ud7a3].*)$", holder.text)
        ends = re.match(r"^(.*[\uac00-\ud7a3])\s*[^\uac00-\ud7a3A-Za-z\s]{1,3}$", holder.text)
        if holder.box.x0 >= ring.x0 - slack and starts:
            return {holder: f"{circled} {starts.group(1)}"}
        if holder.box.x1 <= ring.x1 + slack and ends:
            return {holder: f"{ends.group(1)} {circled}"}
        return {}
    following = next((w for w in line if w.box.x0 >= ring.x1), None)
    if following is not None and following.box.x0 - ring.x1 <= em:
        return {following: f"{circled} {following.text}"}
    return {}


def _glyph_beside(
    ink: np.ndarray, taken: np.ndarray, box: layout.Box, y0: int, y1: int, side: str, em: float
) -> layout.Box | None:
    """The box of a glyph's ink beside `box` (rows y0:y1) on `side` that no word holds:
    starting within BESIDE_GAP em of the box, as wide and tall as a glyph (BESIDE_MIN_WIDTH,
    BESIDE_MIN_HEIGHT), ending within BESIDE_REACH, and nearer this word than any other."""
    reach, beyond = int(BESIDE_REACH * em), int(BESIDE_LOOK * em)
    x0, x1 = (max(box.x0 - reach - beyond, 0), box.x0) if side == "left" else (box.x1, box.x1 + reach + beyond)
    if min(ink[y0:y1, x0:x1].shape) < 2:
        return None  # the word at the page's edge
    strip = cv2.morphologyEx(ink[y0:y1, x0:x1].view(np.uint8), cv2.MORPH_OPEN, SPECK_KERNEL).view(bool)
    inked, held = np.count_nonzero(strip, axis=0) > 0, np.count_nonzero(taken[y0:y1, x0:x1], axis=0) > 0
    if side == "left":  # walked outward from the word either way
        inked, held = inked[::-1], held[::-1]
    held[0] = False  # the word's own box, a pixel wider
    columns = np.flatnonzero(inked)
    if not len(columns) or columns[0] > BESIDE_GAP * em or held[: columns[0] + 1].any():
        return None
    start = last = int(columns[0])
    for column in columns[1:]:
        if column - last > BESIDE_GLYPH_GAP * em:  # the gap after the glyph
            break
        last = int(column)
    if last >= reach or held[start : last + int(BESIDE_GLYPH_GAP * em) + 1].any():
        return None  # too long for a glyph, or touching another word
    if len(other := np.flatnonzero(held[last + 1 :])) and other[0] < start:
        return None  # nearer the word on its other side: that word's glyph
    a, b = (start, last + 1) if side == "right" else (len(inked) - 1 - last, len(inked) - start)
    rows = np.flatnonzero(strip[:, a:b].any(axis=1))
    if b - a < BESIDE_MIN_WIDTH * em or rows[-1] - rows[0] + 1 < BESIDE_MIN_HEIGHT * em:
        return None
    return layout.Box(x0 + a, y0 + int(rows[0]), x0 + b, y0 + int(rows[-1]) + 1)


def _korean_in_place(text: str, first: str, box: layout.Box, em: float) -> bool:
    """Whether kor's reading `text` of a word read as Latin (`first`, in `box`) is Korean: Hangul
    syllables, no letter or digit, no mark the first reading lacks (`다^` for `CFA`), no more syllables
    than fit the word's box."""
    syllables = len(HANGUL.findall(text))
    marks = {c for c in text if not c.isspace() and not HANGUL.match(c)}
    return (
        syllables > 0
        and all(not c.isalnum() and c in first for c in marks)
        and syllables * KOREAN_SYLLABLE_WIDTH * em <= box.x1 - box.x0
    )


def spaced_titles(
    page: PageImage, words: list[layout.Word], page_gaps: list[tuple[int, float]] | None = None
) -> list[layout.Word]:
    """A title set with a space between each of its syllables (`이 력 서`, `경 력 증 명 서`, a name atop a
    résumé `박 지 훈`), read as one word (`이력서`), written with its spaces.

    Korean forms space their titles so; tesseract joins the syllables (~110 titles over the evaluation
    pages). Inside a word the gaps between syllables are no sure sign (a label's syllables stand 0.2-0.28
    of its height apart in some fonts, a spaced title's 0.25-0.56), but a title stands alone on its line
    and spaced evenly: a line of one word of 3-6 syllables whose widest blank columns, one fewer than its
    syllables, each at least SPACED_TITLE_GAP of its height and wider than the page's own gap between
    the syllables of words of its size (`page_gaps`, else measured: syllable_gaps), and each where a
    syllable ends (the syllables of a title are one width), is written with a space between each
    syllable. A title set
    tight (`입사지원서`: gaps of 0.01-0.12) stays joined, and so does a word of two syllables (the end of a
    cell's text wrapped onto a line of its own, `대응`, blurred apart on photographed certificates).
    No reading: columns of the word's crop."""
    better: dict[int, layout.Word] = {}
    for line in _by_line(words).values():
        runs = _runs([w for w in line if w.text])
        if len(runs) != 1 or not TITLE.fullmatch(text := "".join(w.text for w in runs[0])):
            continue
        if page_gaps is None:  # measured once, when there is a title to judge
            page_gaps = syllable_gaps(page, words)
        box = _union(runs[0])
        min_gap = max(SPACED_TITLE_GAP, _gap_at_height(page_gaps, box.height))
        if _evenly_spaced(np.asarray(_box_crop(page.image, box)), len(text), box.height, min_gap):
            head, *rest = runs[0]
            better[head.index] = dataclasses.replace(head, box=box, text=" ".join(text))
            better.update({w.index: dataclasses.replace(w, text="") for w in rest})
    return [better.get(w.index, w) for w in words]


def _evenly_spaced(crop: np.ndarray, syllables: int, height: int, min_gap: float = SPACED_TITLE_GAP) -> bool:
    """Whether the `syllables - 1` widest blank column runs of a word's crop (between its first and last
    ink) are each `min_gap` of its height wide and lie where the syllables of one width meet."""
    found = _widest_gaps(crop, syllables, height)
    if found is None:
        return False
    gaps, middles, (first, last) = found
    pitch = (last - first) / syllables
    ends = first + pitch * np.arange(1, syllables)
    return bool(gaps.min() >= min_gap * height and np.all(np.abs(np.sort(middles) - ends) <= TITLE_PITCH_SLACK * pitch))


def _widest_gaps(
    crop: np.ndarray, syllables: int, height: int
) -> tuple[np.ndarray, np.ndarray, tuple[int, int]] | None:
    """The `syllables - 1` widest blank column runs between a word's ink in its crop: their widths,
    their middles, and the word's first and last inked column; None with fewer runs."""
    paper = float(np.percentile(crop, 90)) if crop.size else 255.0
    _, labels, stats = components((crop < 0.6 * paper).astype(np.uint8))
    # Specks of a noisy scan in the gaps between syllables (1 px each on a 66 px title) are no ink of it.
    glyphs = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] >= max(2.0, (TITLE_SPECK * height) ** 2))
    inked = np.flatnonzero(np.isin(labels, glyphs[glyphs > 0]).any(axis=0))
    if len(inked) < 2:
        return None
    steps = np.diff(inked)
    at = np.flatnonzero(steps > 1)
    if len(at) < syllables - 1:
        return None
    widest = at[np.argsort(steps[at])[::-1][: syllables - 1]]
    return steps[widest] - 1, inked[widest] + steps[widest] / 2, (int(inked[0]), int(inked[-1]))


def syllable_gaps(page: PageImage, words: list[layout.Word]) -> list[tuple[int, float]]:
    """The page's own gaps between the syllables of a word: for its sure words of 2-6 syllables (at
    most TITLE_GAP_WORDS), each word's height and its median gap in heights of it."""
    gaps = []
    for word in words:
        if word.confidence >= SURE_WORD and WORD_OF_SYLLABLES.fullmatch(word.text):
            found = _widest_gaps(np.asarray(_box_crop(page.image, word.box)), len(word.text), word.box.height)
            if found is not None:
                gaps.append((word.box.height, float(np.median(found[0])) / word.box.height))
            if len(gaps) == TITLE_GAP_WORDS:
                break
    return gaps


def _gap_at_height(gaps: list[tuple[int, float]], height: int) -> float:
    """The median of the page's syllable gaps (syllable_gaps) in words of about `height` (the same face
    at the same size), 0 with fewer than TITLE_GAP_MIN_WORDS of them: a title set larger than the text
    has none to go by (Nanum's 150 dpi certificate measures its body's gaps 0.43, its title's 0.42)."""
    alike = [gap for h, gap in gaps if TITLE_GAP_HEIGHTS[0] * height <= h <= TITLE_GAP_HEIGHTS[1] * height]
    return float(np.median(alike)) if len(alike) >= TITLE_GAP_MIN_WORDS else 0.0


def _wide_latin(text: str, box: layout.Box, em: float) -> bool:
    """A word with a Latin letter and no Hangul, wider per letter or digit than Latin is set. Its marks
    count too (PUNCTUATION_WIDTH each), and an e-mail address is Latin whatever its width (`@` and
    `m` are an em wide): without these, words with brackets, commas and dots (`(Tableau,`,
    `Python(pandas)`, `seoyeon.kim@example.com`) looked wide and were a third of the words read
    again, none of them Korean."""
    if "@" in text:
        return False
    letters = sum(c.isalnum() for c in text)
    marks = sum(not (c.isalnum() or c.isspace()) for c in text)
    width = KOREAN_AS_LATIN_WIDTH * letters + PUNCTUATION_WIDTH * marks
    return bool(LATIN.search(text)) and not HANGUL.search(text) and box.x1 - box.x0 >= width * em


def _counter_in_place(first: str, symbols: list[tuple[str, int, int, float]], em: float) -> bool:
    """Whether a second reading is the first's number with its last digits read as Hangul syllables as
    wide as syllables (`935점` for `9354`, `(180점)` for `(1804)`)."""
    parts = COUNTER.fullmatch("".join(s[0] for s in symbols))
    digits = "".join(c for c in first if c.isdigit())
    if parts is None or not digits.startswith(parts.group(2)):
        return False
    syllables = [s for s in symbols if HANGUL.fullmatch(s[0])]
    return len(digits) - len(parts.group(2)) == len(syllables) and all(
        s[2] - s[1] >= PARTICLE_WIDTH * em for s in syllables
    )


def _code_for_number(first: str, text: str) -> bool:
    """Whether `text` is `first` (a number) with some of its digits read as letters that look like no
    digit they replace: a code of letters and digits (`8D` read `81`). A closing parenthesis the number
    never opened is the rest of its last letter (`8D` read `81)` in Noto Serif: the bowl of `D` as `)`)."""
    if first.endswith(")") and "(" not in first and not text.endswith(")"):
        first = first[:-1]
    if len(first) != len(text):
        return False
    changed = [(a, b) for a, b in zip(first, text, strict=True) if a != b]
    return bool(changed) and all(
        a.isdigit() and b.isascii() and b.isalpha() and b not in DIGIT_LOOKALIKES.get(a, "") for a, b in changed
    )


def _percent_for_digits(first: str, text: str) -> bool:
    """Whether `text` is `first` (a number) with its last one to three digits read as a percent sign:
    the Korean model reads Noto's `%` as `96` or `906` in its line (`40%` as `4096`, 8 times over the
    Noto pages), alone it or the English model mostly reads `40%`."""
    match = PERCENT.fullmatch(text)
    if match is None or not first.startswith(match[1]) or not first.endswith(match[2]):
        return False
    replaced = first[len(match[1]) : len(first) - len(match[2])]
    return 1 <= len(replaced) <= 3 and replaced.isdigit()


def _letters_for_digits(text: str) -> bool:
    """Whether a second reading is a Latin word (`TOEIC`, `(Tableau,`, `8D`): more letters than digits, no
    Hangul."""
    letters = sum(c.isascii() and c.isalpha() for c in text)
    return letters > 0 and letters >= sum(c.isdigit() for c in text) and not HANGUL.search(text)


def _particle(text: str) -> str | None:
    """`text` if it is a particle; the particle if it is one read twice over (`으로으로`); else None."""
    half = len(text) // 2
    if text in PARTICLES:
        return text
    return text[:half] if len(text) % 2 == 0 and text[:half] == text[half:] and text[:half] in PARTICLES else None


def _particle_at_end(
    symbols: list[tuple[str, int, int, float]], known: str | None, em: float
) -> tuple[str, int, int] | None:
    """The particle kor read at the end of a word (`known`, if the page's reading has it, else the
    longest of its last syllables that is one) and where it lies (x from, x to), or None: no syllable
    at the end, nothing but syllables (a Korean word read as Latin: `추적을` for `SA`), or syllables too
    narrow to be Hangul."""
    run = 0
    while run < len(symbols) and HANGUL.fullmatch(symbols[-1 - run][0]):
        run += 1
    if not run or run == len(symbols):
        return None
    if known:  # kor may misread it (`로` as `도`): the page's reading says which, kor where
        tail = len(known) if run >= len(known) else 0
        # ... but where kor reads a longer particle ending in it (`으로` where the page read `<60111012.로`),
        # the Latin part ends before that one (read to `로`, eng read `Kotline` at 0).
        if tail and (longer := [n for n in range(tail + 1, min(run, 3) + 1) if _ends_in(symbols, n, known)]):
            tail, known = longer[-1], _last_symbols(symbols, longer[-1])
    else:
        tail = next((n for n in range(min(run, 3), 0, -1) if _last_symbols(symbols, n) in PARTICLES), 0)
    if not tail:
        return None
    x0, x1 = symbols[-tail][1], symbols[-1][2]
    if x1 - x0 < PARTICLE_WIDTH * em * tail:
        return None
    return known or _last_symbols(symbols, tail), x0, x1


def _last_symbols(symbols: list[tuple[str, int, int, float]], n: int) -> str:
    return "".join(s[0] for s in symbols[-n:])


def _ends_in(symbols: list[tuple[str, int, int, float]], n: int, particle: str) -> bool:
    """Whether kor's last `n` symbols are a particle ending in `particle` (`으로` for `로`)."""
    text = _last_symbols(symbols, n)
    return text in PARTICLES and text.endswith(particle)


def _latin_left_of(crop: Image.Image, cut: int, em: float, box: layout.Box, deadline: float) -> tuple[str, float]:
    """eng's reading of a word's crop left of `cut` (psm 7), spaces taken out, and its mean confidence.
    Only the word's own line is read (_own_line): the crop of a word boxed tall reaches the next line."""
    margin = _crop_margin(box)
    left = _own_line(crop.crop((0, 0, cut, crop.height)), em, (margin, margin + box.height))
    ((text, confidences),) = tesseract.read_lines([left], timeout=deadline - time.monotonic(), languages=LATIN_LANGUAGE)
    return "".join(text.split()), sum(confidences) / len(confidences) if confidences else 0.0


def _own_line(crop: Image.Image, em: float, rows: tuple[int, int]) -> Image.Image:
    """A crop with the ink of other lines whitened: the bands of inked rows (_dark_ink)
    OTHER_LINE_GAP em or more apart are lines, and all but the one with the most ink in `rows` (the
    word's box) are painted the crop's paper. `Kotlin으로` on a blurred photo, its `으로` boxed 1.7 em
    tall: the crop of `Kotlin` held the next line's tops, and eng read `kotlin` at 40; without them,
    `Kotlin` at 92."""
    grey = np.asarray(crop)
    if not grey.size:
        return crop
    ink, paper = _dark_ink(grey)
    counts = ink.sum(axis=1)
    inked = np.flatnonzero(counts)
    breaks = np.flatnonzero(np.diff(inked) > OTHER_LINE_GAP * em)
    if not breaks.size:  # one band of ink, or none
        return crop
    starts, ends = np.concatenate(([0], breaks + 1)), np.concatenate((breaks, [len(inked) - 1]))
    counts[: rows[0]] = 0
    counts[rows[1] :] = 0
    top, bottom = max(
        ((inked[a], inked[b]) for a, b in zip(starts, ends, strict=True)),
        key=lambda band: counts[band[0] : band[1] + 1].sum(),
    )
    out = grey.copy()
    margin = max(1, round(OTHER_LINE_GAP * em / 2))
    out[: max(0, top - margin)] = round(paper)
    out[bottom + margin + 1 :] = round(paper)
    return Image.fromarray(out)


def _next_gap(crop: Image.Image, x: int, limit: int) -> int | None:
    """The first blank column of `crop` right of the ink that follows column `x`, short of `limit`."""
    blank = _column_ink(crop) == 0
    inked = np.flatnonzero(~blank[x:limit])
    if not inked.size:
        return None
    after = np.flatnonzero(blank[x + inked[0] : limit])
    return int(x + inked[0] + after[0]) if after.size else None


def _column_ink(crop: Image.Image) -> np.ndarray:
    """Dark pixels (_dark_ink) in each column of a word's crop."""
    return np.asarray(_dark_ink(np.asarray(crop))[0].sum(axis=0))


def _dark_ink(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The pixels of a crop under 0.6 of its paper (its 90th percentile), and that paper's level."""
    paper = float(np.percentile(grey, 90)) if grey.size else 255.0
    return grey < 0.6 * paper, paper


def _gap_near(crop: Image.Image, x: int, reach: int) -> int:
    """The blank column of `crop` nearest to `x` within `reach`, else the faintest there: where a word
    and its particle part (symbol boxes of the LSTM are approximate; `Quer)` was cut at kor's box)."""
    ink = _column_ink(crop)
    reach = max(2, reach)
    lo, hi = max(1, x - reach), min(len(ink) - 1, x + reach)
    if lo >= hi:
        return max(1, x)
    window = np.arange(lo, hi)
    order = np.lexsort((np.abs(window - x), ink[lo:hi]))
    return int(window[order[0]])


def _without_overlapped(text: str, word: layout.Word, line: list[layout.Word]) -> str:
    """A word's second reading less the text of the neighbours whose boxes lie mostly inside the
    word's (OVERLAPPED), where the reading ends (or starts) with them, outermost first: tesseract boxed
    `33500` over the `만` it read as the next word (`3,500만 원`), the crop read alone `3,500만`, and the
    `만` was written twice; a box over three words (`주식회사` over `세` `움` `인터내셔널`) reads them all.
    Inside means inside the crop read (CROP_SIDE beside the box): `820075` boxed over `에` and 11 of the
    21 px of `서` read `820005에서` from a crop holding 14 of them."""

    def inside(other: layout.Word) -> bool:
        overlap = min(word.box.x1 + CROP_SIDE, other.box.x1) - max(word.box.x0 - CROP_SIDE, other.box.x0)
        return other is not word and bool(other.text) and overlap >= OVERLAPPED * (other.box.x1 - other.box.x0)

    # Which side: tesseract's reading order (a box over the words after it is centred among them).
    after = sorted((o for o in line if inside(o) and o.index > word.index), key=lambda o: -o.index)
    before = sorted((o for o in line if inside(o) and o.index < word.index), key=lambda o: o.index)
    for other in after:
        if len(other.text) >= len(text) or not text.endswith(other.text):
            break
        text = text[: -len(other.text)].rstrip()
    for other in before:
        if len(other.text) >= len(text) or not text.startswith(other.text):
            break
        text = text[len(other.text) :].lstrip()
    return text


def _box_crop(image: Image.Image, box: layout.Box) -> Image.Image:
    """A word's or a line's box cut out to be read alone: room above and below for the glyphs' full
    height, little beside (no piece of a neighbour)."""
    margin = _crop_margin(box)
    return image.crop((box.x0 - CROP_SIDE, box.y0 - margin, box.x1 + CROP_SIDE, box.y1 + margin))


def _crop_margin(box: layout.Box) -> int:
    """Rows above and below a box in its crop (_box_crop)."""
    return max(4, box.height // 4)


def read_empty_cells(
    page: PageImage, words: list[layout.Word], laid_out: layout.PageLayout, timeout: float
) -> list[layout.Word]:
    """Words of the table cells tesseract left empty though they hold text, each cell read on its own:
    new words after `words` (indices and lines of their own), placed on the page.

    tesseract reading a whole page in one column (psm 4) can leave out a narrow column of a table far
    right of the page's text (a dotted resume table's 수준 column: 수준, 상, 상, 중 had no word). A
    cell with no word whose ink, away from its borders, is at least a syllable's is read alone: as one
    line (psm 7) when its ink is one line high (psm 6 split `수준` into halves), else as a block (psm 6).
    At most EMPTY_CELL_MAX cells a page (a table of hatched cells does not multiply the OCR time)."""
    filled: set[tuple[int, int, int]] = set()
    for word in words:
        for t, table in enumerate(laid_out.tables):
            if word.text and table.box.contains(word.box.cx, word.box.cy):
                if (place := layout.cell_of(table, word.box.cx, word.box.cy)) is not None:
                    filled.add((t, *place))
                break
    unit = _text_height(words)
    if unit is None or not laid_out.tables:
        return []
    inset = max(2, int(0.15 * unit))
    grey = page.pixels
    deadline = time.monotonic() + timeout
    found: list[layout.Word] = []
    inked_cells = 0
    for t, table in enumerate(laid_out.tables):
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                box = layout.Box(cell.x0 + inset, cell.y0 + inset, cell.x1 - inset, cell.y1 - inset)
                if (t, r, c) in filled or box.x1 - box.x0 < unit or box.height < 0.5 * unit:
                    continue
                inner = grey[box.y0 : box.y1, box.x0 : box.x1]
                # Paper noise and dust are single pixels: an opening keeps strokes (2 px or more) only.
                inked = cv2.morphologyEx(
                    (inner < 0.6 * float(np.percentile(inner, 90))).view(np.uint8), cv2.MORPH_OPEN, SPECK_KERNEL
                ).view(bool)
                if int(inked.sum()) < EMPTY_CELL_INK * unit * unit or inked_cells == EMPTY_CELL_MAX:
                    continue
                inked_cells += 1
                cell_words = _read_cell(page, box, inked, unit, deadline - time.monotonic())
                block = EMPTY_CELL_LINES + inked_cells  # the cell's lines apart from the page's
                for word in cell_words:
                    line = (block, word.line[0] * 1000 + word.line[1], word.line[2])
                    found.append(dataclasses.replace(word, index=len(words) + len(found), line=line))
    return found


def _read_cell(page: PageImage, box: layout.Box, inked: np.ndarray, unit: float, timeout: float) -> list[layout.Word]:
    """The words of one cell's inner `box` (`inked`: its ink mask), placed on the page."""
    crop = page.image.crop((box.x0, box.y0, box.x1, box.y1))
    ink = _ink_extent(inked, box)
    if ink.height - 1 < 1.6 * unit:
        ((text, confidences),) = tesseract.read_lines([crop], timeout=timeout)
        if not confidences or not text.strip():
            return []
        sure = sum(confidences) / len(confidences)
        return [layout.Word(0, (1, 1, 1), ink, " ".join(text.split()), False, sure)] if sure >= EMPTY_CELL_SURE else []
    txt, tsv = tesseract.read_page(crop, psm=6, dpi=page.dpi, invert=False, timeout=timeout)
    words = layout.parse_tsv(tsv, txt)
    if not words or _sureness(words) < EMPTY_CELL_SURE:
        return []  # what tesseract makes of a photo's grain or paper noise: `Re gona bu eee`, 0-46 sure
    return [
        dataclasses.replace(
            word, box=layout.Box(word.box.x0 + box.x0, word.box.y0 + box.y0, word.box.x1 + box.x0, word.box.y1 + box.y0)
        )
        for word in words
    ]


def read_tall_lines(
    page: PageImage, words: list[layout.Word], laid_out: layout.PageLayout, timeout: float
) -> list[layout.Word]:
    """The words with the lines set much larger than the page's text that tesseract read nothing or
    only a piece of read again alone: the pieces dropped, each line's reading a word of its own (a new
    index and line), with its spaces if it is a spaced title (spaced_titles).

    tesseract reads a photographed page as one block (psm 6), and there a line twice the size of the
    rest can come out as a piece or not at all (Noto Sans CJK's bold name atop a two-column résumé,
    `박 지 훈`, read as `s` on three photos of 28; psm 3 reads it). Ink outside the tables that no word
    covers, in lines TALL_LINE_MIN to TALL_LINE_MAX text heights high, is read alone (psm 7) and kept
    when every piece of the reading is TALL_LINE_SURE: a seal or a logo reads unsure (`(인)` at 26-59,
    `EN)` at 44), and lines mostly inside a seal (_stamps) are not read."""
    em = _text_height(words)
    if em is None:
        return words
    grey = page.pixels
    paper = _paper_of(grey)
    ink = cv2.morphologyEx((grey < 0.6 * paper).view(np.uint8), cv2.MORPH_OPEN, SPECK_KERNEL)
    unread = ink.copy()
    for box in [w.box for w in words if w.text] + [table.box for table in laid_out.tables]:
        unread[max(0, box.y0 - 2) : box.y1 + 2, max(0, box.x0 - 2) : box.x1 + 2] = 0
    # The glyphs of a line joined across the gaps between them (not across a spaced title's yet), then
    # looked at every other pixel: the joined pieces are 2 px or more across (~20 -> 5 ms a page).
    joined = cv2.dilate(unread, np.ones((max(2, round(0.3 * em)), max(3, round(em))), np.uint8))
    _, _, stats = components(np.ascontiguousarray(joined[::2, ::2]))
    pieces = [
        layout.Box(int(x) * 2, int(y) * 2, int(x + w) * 2, int(y + h) * 2)
        for x, y, w, h, _ in stats[1:]
        if 0.5 * em <= 2 * h <= TALL_LINE_MAX * em  # glyphs, and what a word's box left of one
    ]
    lines: list[layout.Box] = []
    for piece in sorted(pieces, key=lambda b: b.x0):
        for i, line in enumerate(lines):
            overlap = min(line.y1, piece.y1) - max(line.y0, piece.y0)
            if overlap >= 0.5 * min(line.height, piece.height) and piece.x0 - line.x1 <= TALL_LINE_GAP * em:
                lines[i] = layout.Box(line.x0, min(line.y0, piece.y0), max(line.x1, piece.x1), max(line.y1, piece.y1))
                break
        else:
            lines.append(piece)
    lines = [
        line
        for line in lines
        if TALL_LINE_MIN * em <= line.height <= TALL_LINE_MAX * em
        # Mostly unread: not a line of large words read but for the ink their boxes left out (a title).
        and unread[line.y0 : line.y1, line.x0 : line.x1].sum()
        >= TALL_LINE_UNREAD * ink[line.y0 : line.y1, line.x0 : line.x1].sum()
    ][:TALL_LINE_MAX_LINES]
    if lines:  # a seal's ring and script, which can read sure (`ALY` at 89 on a screened certificate)
        stamps = _stamps(grey, em, paper)
        lines = [line for line in lines if all(_overlap(line, s) < 0.5 * line.width * line.height for s in stamps)]
    if not lines:
        return words
    # Each line's ink, cut out as a word is (_box_crop: room above and below, a little beside).
    inked = [_ink_extent(ink[line.y0 : line.y1, line.x0 : line.x1], line) for line in lines]
    read = tesseract.read_lines([_box_crop(page.image, box) for box in inked], timeout=timeout)
    dropped: set[int] = set()
    found: list[layout.Word] = []
    for line, box, (text, confidences) in zip(lines, inked, read, strict=True):
        text = " ".join(text.split())
        if not confidences or min(confidences) < TALL_LINE_SURE or sum(c.isalnum() for c in text) < 2:
            continue
        dropped.update(w.index for w in words if w.text and line.contains(w.box.cx, w.box.cy))
        index = len(words) + len(found)
        found.append(layout.Word(index, (TALL_LINES + len(found), 1, 1), box, text, False, min(confidences)))
    if not found:
        return words
    kept = [dataclasses.replace(w, text="") if w.index in dropped else w for w in words]
    return kept + spaced_titles(page, found, syllable_gaps(page, words))


def _overlap(a: layout.Box, b: layout.Box) -> int:
    return max(0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0, min(a.y1, b.y1) - max(a.y0, b.y0))


def _ink_extent(mask: np.ndarray, region: layout.Box) -> layout.Box:
    """The page box of the inked pixels of `mask`, the ink of `region` (which holds some)."""
    rows, columns = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return layout.Box(region.x0 + int(columns[0]), region.y0 + int(rows[0]),
                      region.x0 + int(columns[-1]) + 1, region.y0 + int(rows[-1]) + 1)  # fmt: skip


def mend_split_lines(page: PageImage, words: list[layout.Word], timeout: float) -> list[layout.Word]:
    """Short lines tesseract split in two, each half read as a line of its own, read again whole.

    A short bold heading whose syllables have a final consonant (`학력`, `자격증` in NanumBarunGothic)
    has a white gap between each syllable's top and its 받침, and tesseract's line finder can take the
    tops and the bottoms for two lines (`ote` over `리오`; `격증` over `oa =)`, the `자` lost), with any
    page segmentation mode but a single line. Two consecutive short lines of tesseract's, one below the
    other with no gap, over the same columns, together not much taller than the taller and not both sure,
    are read again as one line (psm 7, with the ink just beside them, where a lost syllable stands); the
    reading replaces both when it is clearly surer than either. So is a short line lying inside the next
    one's columns and height (_piece_of): the top of one syllable, the rest of its line read whole.
    A short line of no Hangul inside one sure syllable of the next (_inside_a_syllable) and not read again
    so is dropped.
    """
    lines = _by_line(words)
    em = _text_height(words)
    if len(lines) < 2 or em is None:
        return words
    pairs: list[tuple[list[layout.Word], list[layout.Word], layout.Box]] = []
    used: set[tuple[int, int, int]] = set()
    ordered = list(lines.values())
    dropped: dict[int, layout.Word] = {}
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        a, b = _union(upper), _union(lower)
        if (
            len(upper) <= SPLIT_MAX_WORDS
            and len(lower) <= SPLIT_MAX_WORDS
            and upper[0].line not in used
            and (a.y0 <= b.y0 or _piece_of(a, b))
            and a.y1 < b.y1
            and b.y0 - a.y1 <= SPLIT_MAX_GAP * em
            and b.y1 - a.y0 <= max(SPLIT_MAX_EMS * em, SPLIT_MAX_HEIGHT * max(a.height, b.height))
            and min(a.x1, b.x1) - max(a.x0, b.x0) >= 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)
            and (min(_sureness(upper), _sureness(lower)) < REREAD_CONFIDENCE or _tops_over_bottoms(upper, lower))
        ):
            whole = layout.Box(min(a.x0, b.x0), min(a.y0, b.y0), max(a.x1, b.x1), b.y1)
            pairs.append((upper, lower, _with_ink_beside(page.image, whole, em)))
            used.update((upper[0].line, lower[0].line))
        elif len(upper) <= SPLIT_MAX_WORDS and upper[0].line not in used and _inside_a_syllable(upper, lower):
            dropped.update({w.index: dataclasses.replace(w, text="") for w in upper})
            used.add(upper[0].line)
    if not pairs:
        return [dropped.get(word.index, word) for word in words]
    crops = [_box_crop(page.image, box) for _, _, box in pairs]
    mended = dict(dropped)
    readings = tesseract.read_lines(crops, timeout=timeout)
    for (upper, lower, box), (text, confidences) in zip(pairs, readings, strict=True):
        before = "".join(w.text for w in upper + lower)
        if not confidences or not text.strip() or not same_extent(before, text):
            continue
        sure = sum(confidences) / len(confidences)
        margin = 0.0 if _tops_over_bottoms(upper, lower) and HANGUL.search(text) else REREAD_MARGIN
        if sure > max(_sureness(upper), _sureness(lower)) + margin:
            first, *rest = upper + lower
            mended[first.index] = dataclasses.replace(first, box=box, text=" ".join(text.split()), confidence=sure)
            mended.update({w.index: dataclasses.replace(w, text="", confidence=sure) for w in rest})
    return [mended.get(word.index, word) for word in words]


def _tops_over_bottoms(upper: list[layout.Word], lower: list[layout.Word]) -> bool:
    """Whether two short lines read as tesseract reads a bold heading split between its syllables' tops
    and their 받침 (mend_split_lines): the tops as Hangul, sure of it (`담당 업무` read `단다 언므` at 91,
    each syllable without its final consonant), the bottoms as Latin letters (`oo HT` at 75). Such a
    pair is read again whole however sure each half is, and the reading, Hangul, replaces both when it
    is surer than either (`담당 업무` at 96)."""
    top, bottom = "".join(w.text for w in upper), "".join(w.text for w in lower)
    return bool(HANGUL.search(top)) and not HANGUL.search(bottom) and bool(LATIN.search(bottom))


def _inside_a_syllable(upper: list[layout.Word], lower: list[layout.Word]) -> bool:
    """Whether a line of no Hangul lies inside the next line's height (_piece_of) and one sure Hangul word's
    columns: the top of a syllable read as a line of its own, and the syllable read from the rest (`=x`
    over the `ㅈ` of `증` in the spaced title `경 력 증 명 서` of Noto's photographed certificates, `증` read
    sure from its bottom half)."""
    a = _union(upper)
    if HANGUL.search("".join(w.text for w in upper)) or not _piece_of(a, _union(lower)):
        return False
    return any(
        HANGUL.search(w.text) and w.confidence >= SURE_CONFIDENCE and w.box.x0 <= a.x0 and a.x1 <= w.box.x1
        for w in lower
    )


def _piece_of(upper: layout.Box, lower: layout.Box) -> bool:
    """`upper` lies over `lower`'s columns and within its height: the top of one of its syllables that
    tesseract took for a line of its own (`=` over `승` for 증 in a spaced title, the rest of the line
    whole)."""
    return lower.x0 <= upper.x0 and upper.x1 <= lower.x1 and lower.y0 <= upper.y0 and upper.y1 < lower.y1


def without_specks(words: list[layout.Word]) -> list[layout.Word]:
    """The words with specks of dust removed: a word only of marks (`.`, `:`, `ㆍ`, `[`), a few pixels
    across, standing alone in its line. A scanner's dust in the white of a table row is read as such a
    word (a dense 150 dpi form: `병과.`, `2013.11: [`, `ㆍ 120시간`); a real mark is larger, or
    sits at a word (a period, a colon) or between two words a space away (`React · Vue`)."""
    em = _text_height(words)
    if em is None:
        return words
    lines = _by_line([w for w in words if w.text])
    specks: set[int] = set()
    for line in lines.values():
        for word in line:
            box = word.box
            if max(box.x1 - box.x0, box.height) > SPECK_SIZE * em or not all(map(_is_mark, word.text)):
                continue
            gaps = [max(other.box.x0 - box.x1, box.x0 - other.box.x1) for other in line if other is not word]
            if all(gap >= SPECK_ALONE * em for gap in gaps):
                specks.add(word.index)
    return [dataclasses.replace(w, text="") if w.index in specks else w for w in words]


def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS" or char in "ㆍ"


def _text_height(words: list[layout.Word]) -> float | None:
    """Median box height of the words tesseract is sure of: the page's em, for the word-level repairs."""
    heights = [w.box.height for w in words if w.confidence >= SURE_CONFIDENCE]
    return float(np.median(heights)) if heights else None


def _by_line(words: list[layout.Word]) -> dict[tuple[int, int, int], list[layout.Word]]:
    lines: dict[tuple[int, int, int], list[layout.Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return lines


def _union(words: list[layout.Word]) -> layout.Box:
    return layout.Box(
        min(w.box.x0 for w in words), min(w.box.y0 for w in words),
        max(w.box.x1 for w in words), max(w.box.y1 for w in words),
    )  # fmt: skip


def _sureness(words: list[layout.Word]) -> float:
    return sum(w.confidence for w in words) / len(words)


def _with_ink_beside(image: Image.Image, box: layout.Box, em: float) -> layout.Box:
    """`box` widened over the ink beside it on its rows, up to gaps of SPLIT_REACH em."""
    reach = max(2, round(SPLIT_REACH * em))
    x0, x1 = max(0, box.x0 - 4 * reach), min(image.width, box.x1 + 4 * reach)
    band = np.asarray(image.crop((x0, box.y0, x1, box.y1)))
    paper = float(np.percentile(band, 90)) if band.size else 255.0
    inked = np.flatnonzero((band < 0.6 * paper).any(axis=0)) + x0
    left, right = box.x0, box.x1
    for x in inked[::-1]:
        if x < left and left - x <= reach:
            left = int(x)
    for x in inked:
        if x >= right and x - right <= reach:
            right = int(x) + 1
    return layout.Box(left, box.y0, right, box.y1)


def _part_of(second: str, first: str) -> bool:
    """Whether a second reading is the first's Hangul with syllables left off its ends (`류` of `물류`):
    tesseract boxed the word short (in a bold title `물류`'s box held only `류`), and read it whole."""
    syllables, before = "".join(HANGUL.findall(second)), "".join(HANGUL.findall(first))
    return bool(syllables) and syllables == "".join(second.split()) and syllables in before and syllables != before


def same_extent(first: str, second: str) -> bool:
    """Whether a second reading covers about what the first did. A much longer one took in a
    neighbour: a misread word's box can span the words beside it (`HABLA]` re-read as `_ 대전광역시
    유성구 가정로 000`, then followed by `유성구 가정로 000` again), and a crop can reach into the next
    syllable group (`4009)` re-read as `&46009)에서의`, before `에서의`)."""
    before, after = len("".join(first.split())), len("".join(second.split()))
    return after <= max(before + 2, before * 1.5)


# The Korean model writes some Latin letters and digits in their fullwidth forms (`50Ｌ과` for SQL과):
# no glyph on a page tells them apart, and search and embeddings want one form.
FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# The Korean model writes the interpunct (가운뎃점, `·`) as the archaic vowel `ㆍ`, which no modern word
# holds, and joins it to the word after it when spaces stand on both sides: `디자이너 ㆍ6년차` for
# `디자이너 · 6년차` (42 times over the evaluation pages). A dot set with no spaces (`결제·정산`) keeps none.
INTERPUNCT = {0x318D: 0x00B7}
OCR_CHARACTERS = FULLWIDTH_TO_ASCII | INTERPUNCT
INTERPUNCT_JOINED_AFTER = re.compile(r"(?<=\S )·(?=\S)")
# A capital I among capitals read as a small l (`Ul` for UI, `APl`, `Al`): no word is set so.
SMALL_L_AMONG_CAPITALS = re.compile(r"(?<![A-Za-z])(?=[A-Zl]*[A-Z])[A-Zl]{2,6}(?![A-Za-z])")
# An address split at a space tesseract put beside a dot (the period's side bearings: `jihoon. park@example.com`,
# `careers. harborline.example.com/backend`, `github. com/...`, `Next. js로`) or inside its local part
# (`jihoon.pa rk@example.com`): the two words are written as one when they make an email address, or a host
# name whose last label is a top-level domain (or `js`), and the first is a host name's part.
EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+[.,;:)]?")
LOCAL_PART = re.compile(r"[a-z0-9_%+-]*\.[a-z0-9._%+-]*")  # a local part's start, with a dot in it
HOST_START = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.")  # `careers.`, `github.`, `Next.`
HOST_REST = re.compile(r"([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?:[/.,;:)]|[^\x00-\x7f]|$)")
TOP_LEVEL = {"com", "net", "org", "io", "kr", "co", "dev", "ai", "app", "me", "biz", "info", "js"}


def clean_ocr_text(text: str) -> str:
    text = text.replace("\x0c", "").translate(OCR_CHARACTERS)
    text = SMALL_L_AMONG_CAPITALS.sub(lambda m: m.group().replace("l", "I"), text)
    lines = [_addresses_joined(INTERPUNCT_JOINED_AFTER.sub("· ", line.rstrip())) for line in text.splitlines()]
    return "\n".join(lines).strip()


def _addresses_joined(line: str) -> str:
    """The line with the parts of an address tesseract wrote apart joined (EMAIL, HOST_START)."""
    if "." not in line:
        return line
    words = line.split(" ")
    out = words[:1]
    for word in words[1:]:
        if out[-1] and word and _address_parts(out[-1], word):
            out[-1] += word
        else:
            out.append(word)
    return " ".join(out)


def _address_parts(first: str, second: str) -> bool:
    if "@" in second:
        return LOCAL_PART.fullmatch(first) is not None and EMAIL.fullmatch(first + second) is not None
    rest = HOST_REST.match(second)
    return HOST_START.fullmatch(first) is not None and rest is not None and rest[1].rsplit(".", 1)[-1] in TOP_LEVEL


def ocr_page(page: RawPage, *, timeout: float | None = None) -> str:
    """The page's text. A page read poorly (read_poorly) may lie sideways or upside down: tesseract's
    orientation detection is asked then, and only then (upright pages pay nothing for it)."""
    timeout = settings.OCR_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    prepared = prepare_page(page)
    reading = read_prepared(prepared, timeout=timeout)
    if read_poorly(reading, prepared.features) and prepared.features.kind == "photo":
        reading = _read_desk_painted(page, prepared, reading, deadline)
    if read_poorly(reading, prepared.features):
        reading = _read_turned(page, reading, deadline, prepared.image)
    return reading.text


def _read_desk_painted(page: RawPage, prepared: PageImage, reading: Reading, deadline: float) -> Reading:
    """A photo read poorly, read again with its desk painted paper however dark (step 34 paints only a
    light one): kept when not read poorly, or much surer (TURNED_MARGIN). A dark desk beside the sheet
    pulls tesseract's one threshold for the page down to between it and the paper, and thin strokes
    out of focus fall on the desk's side of it: a plain page set in Baekmuk Gulim on a dark desk,
    blurred 2 px, read as noise (0.55, sureness 61). Painted always, the photos read both ways, mostly
    worse (session 30): so only when the page read poorly."""
    painted = prepare_page(page, paint_dark_desk=True)
    if np.array_equal(np.asarray(painted.image), np.asarray(prepared.image)):
        return reading  # no sheet found, or no desk beside it
    if (second := _read_in_time(painted, deadline)) is None:
        return reading
    logger.info("page %d desk painted: sureness %.0f -> %.0f", page.number, reading.sureness, second.sureness)
    if not read_poorly(second, painted.features) or second.sureness > reading.sureness + TURNED_MARGIN:
        return second
    return reading


def read_poorly(reading: Reading, features: ImageFeatures) -> bool:
    """Unsure (POOR_SURENESS), or far less text than the page has ink for (POOR_CHARS_PER_INK): a
    sideways page is read as a few sure words made of strokes (6 characters at 80 for a posting)."""
    chars = sum(1 for c in reading.text if c.isalnum())
    return reading.sureness < POOR_SURENESS or chars < POOR_CHARS_PER_INK * features.ink / 1000


def _read_in_time(prepared: PageImage, deadline: float) -> Reading | None:
    """A page read once more (_read_desk_painted, _read_turned), or None when no time is left for it:
    what was read first then stands."""
    try:
        return read_prepared(prepared, timeout=deadline - time.monotonic())
    except DomainError as exc:
        if exc.code != ErrorCode.OCR_TIMEOUT:
            raise
        return None


def _read_turned(page: RawPage, reading: Reading, deadline: float, level: Image.Image) -> Reading:
    """The page read again turned upright: upside down (180°) unless its lines run up and down
    (lies_sideways), then 90° or 270°, first as tesseract's orientation detection says (on small text
    it can be wrong: tried 90° for 270° and 180° for 90° on 150 dpi scans), the other if that is still
    read poorly. A turned reading is kept when it is not read poorly, or much surer (TURNED_MARGIN).
    Both are asked of the page as prepared (`level`: straightened or squared up): on a sideways sheet
    12-28° off, lines run neither across nor up and down, and it was read upside down (a posting:
    CER 0.90-0.98)."""
    turns = [90, 270] if lies_sideways(level) else [180]
    if len(turns) > 1 and (found := tesseract.detect_orientation(level)) is not None and found[0] == 270:
        turns.reverse()
    best = reading
    for turn in turns:
        prepared = prepare_page(dataclasses.replace(page, image=page.image.rotate(turn, expand=True)))
        if (second := _read_in_time(prepared, deadline)) is None:
            break
        poor = read_poorly(second, prepared.features)
        logger.info("page %d turned %d°: sureness %.0f -> %.0f", page.number, turn, reading.sureness, second.sureness)
        if not poor or second.sureness > best.sureness + TURNED_MARGIN:
            best = second
        if not poor:
            break
    return best


def ocr_pages(
    pages: Iterable[RawPage], *, workers: int | None = None, between_pages: Callable[[], None] | None = None
) -> dict[int, str]:
    """OCR pages concurrently; returns {page number: text}.

    `pages` is consumed lazily on the calling thread (PDF rendering is not thread-safe), one page
    ahead of the busy workers, so a 50-page scan never holds 50 rendered pages in memory.
    Preprocessing runs in the worker threads (numpy and Pillow release the GIL).
    `between_pages` runs on the calling thread before each page is handed to a worker: what it raises
    stops the OCR there, the pages in flight (at most `workers`) finishing and the rest never started.
    """
    workers = max(1, workers or settings.OCR_PROCESSES)
    results: dict[int, str] = {}
    pending: deque[tuple[int, Future[str]]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        try:
            for page in pages:
                if between_pages is not None:
                    between_pages()
                pending.append((page.number, pool.submit(ocr_page, page)))
                while len(pending) > workers:
                    number, future = pending.popleft()
                    results[number] = future.result()
                    metrics.ocr_pages.inc()
            while pending:
                number, future = pending.popleft()
                results[number] = future.result()
                metrics.ocr_pages.inc()
        except BaseException:
            for _, future in pending:
                future.cancel()
            raise
    return results
