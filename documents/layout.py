"""Page layout for OCR: ruling lines, shaded cells, pictures, tables and column rules.

Why: tesseract reads a ruled form badly. A rule touching a line of text is read as a row of glyphs
(`[=]`, `o°0 HT`) or swallows the heading above it, dark text on a grey header cell binarises into
noise, a photo becomes `Sime laa ee`, and psm 4 reads a table row with a two-line cell as two lines
that mix cells. So before tesseract, `prepare_layout` finds the structure on the page image and
returns a cleaned image (rules and pictures whitened, shading flattened) with the geometry it found;
text beside a long vertical rule is stacked column under column. After tesseract (TSV: every word
with its box), `assemble` writes ruled tables row by row, the cells of a row left to right joined by
a space (the convention of ../shared/fixtures/README.md), and everything else in page order.

Everything here is decided from cheap image features (OpenCV morphology and connected components,
~70-160 ms a 200-300 dpi form page, on two threads, against ~1 s of tesseract); `needs_layout` on the
analysis thumbnail sends a page without rules, shading or pictures past all of it, so plain pages read
exactly as before. The whole method, its figures and what was tried: docs/ocr.md.

Units: `unit` is the height of a text line in pixels (from documents.ocr.analyse), so the same
thresholds hold at 150, 200 and 300 dpi.
"""

from __future__ import annotations

import csv
import io
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import cv2
import numpy as np

from documents.components import components
from documents.components import count as pieces

H_RULE_UNITS = 3.0  # a horizontal rule is at least this many line heights long (words are shorter)
FREE_RULE_UNITS = 8.0  # a horizontal rule that meets no cell border is at least this long (glyph bars are not)
V_TABLE_UNITS = 0.8  # a vertical segment this long that meets two horizontal rules: a cell border
V_COLUMN_UNITS = 5.0  # a free-standing vertical rule this long separates columns of text ...
# ... when it stands this far inside the image: nearer an edge there is no room for a column of text
# beside it, and it is the grain of a photographed desk (a rule 7-29 px from the left edge restacked a
# certificate photo at a 14 px wide "column").
COLUMN_MARGIN_UNITS = 5.0
RULE_CONTRAST = 0.85  # a rule pixel is darker than this share of the background around it
RULE_CONTRAST_PHOTO = 0.9  # ... on a photographed page (blurred by its camera)
# ... on shading (a background SHADE_LEVEL of the paper or darker) on any page: blur leaves a hairline
# beside a shaded cell 0.85-0.9 of the shading
RULE_CONTRAST_SHADED = 0.9
SHADE_LEVEL = 0.9  # background darker than this share of the paper is shading
# ... and lighter than this share: darker is a photographed page's desk or a reversed band
# (_find_reversed: light glyphs on it). 0.6 until session 20: header cells shaded at 40% grey (level
# 130-150, 0.53-0.62 of the paper) went unfound, the page was not laid out and its columns and cells
# were read across (CER 0.07-0.43; 0.005-0.057 now).
SHADE_FLOOR = 0.5
SHADE_SHARE = 0.01  # ... on more than this share of the page: flatten it
SOLID_UNITS = 0.5  # runs side by side this many line heights across (_side_by_side) are a mesh ...
SOLID_GAP = 0.3  # ... with gaps of up to this many line heights between them ...
RULE_EDGE = 2  # ... except for their outermost px across: the cell's own rules
DASH_UNITS = 0.15  # a piece of a dashed or dotted rule is no thicker than this across the rule ...
DASH_LONG_UNITS = 1.0  # ... no longer than this along it ...
DASH_GAP_UNITS = 0.4  # ... no farther than this from the next piece along it ...
DASH_CLEAR_UNITS = 0.25  # ... with next to no ink (DASH_CLEAR_SHARE of it) this close on either
DASH_CLEAR_SHARE = 0.1  # side across the rule
DESK_FLOOR = 230  # the grey level the desk around a photographed page is lifted to, at least
CORNER_GAP_UNITS = 0.5  # a gap this wide (in line heights) where two rules should meet is closed
EDGE_BORDERS = 3  # this many cell borders ending together (within EDGE_ALIGN_UNITS) end at a table's edge ...
EDGE_ALIGN_UNITS = 0.3  # ... where its rule is drawn in wherever it went unfound
TEXT_BODY_INK = 0.6  # ink on this share of the band beside a short run: it runs along letters
PICTURE_UNITS = 2.2  # a dense ink blob larger than this (both sides) is a picture, not text
PICTURE_FILL = 0.3
PICTURE_SLACK = 6  # px: a table this close within a picture's box is its outline
MIN_CELL_UNITS = 0.5
# A dark band that a line of text above or below it joined (layout's closing): the band's filled box
# holds this share of the blob at least (such bands measured 0.87-1.0) and this share of light text.
BAND_CORE_SHARE = 0.8
BAND_CORE_LIGHT = 0.03  # (bands 0.051-0.059; a photo's dark shoulders 0.018)
BAND_GLYPHS = 4  # a band holding this many glyph-sized light pieces is lettered
HORIZONTAL, VERTICAL = 1, 2  # the axes of rules, as bits (_dashes)
CROSSING_REACH = 3  # px: a glyph stroke crossing a rule has ink this close on both sides of it
RULE_DEBRIS = set("_-‐–—―|¦….,:;'`\"")
DEBRIS_CONFIDENCE = 60.0
# A rule's stub at a cell's edge, however sure (_rule_stub): one of RULE_MARKS this many text heights
# tall (stubs measured 1.4-2.5, real marks under 1) centred within RULE_STUB_REACH of the edge
# (0.05-1.04 measured), or one of STROKES centred within RULE_ON_EDGE of it (text keeps its padding).
RULE_MARKS = RULE_DEBRIS | {"ㆍ", "·"}
RULE_STUB_HEIGHT = 1.3
RULE_STUB_REACH = 1.2
STROKES = set("1lI|!")
RULE_ON_EDGE = 0.25
DETECT_STEP = 2  # pages whose text lines are at least DETECT_MIN_UNIT px tall are analysed at half size
DETECT_MIN_UNIT = 40.0  # (a 300 dpi render: lines ~44-60 px, rules 2-4 px, still 1-2 px at half size)
# One thread: the OCR stage already runs a tesseract per core, and OpenCV's own pool only contends
# (prepare_layout hands whole steps to a second thread instead).
cv2.setNumThreads(1)


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1

    def within(self, other: Box) -> bool:
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True)
class Table:
    box: Box
    rows: tuple[tuple[Box, ...], ...]  # cells, grouped in rows top to bottom, each row left to right


@dataclass
class PageLayout:
    tables: list[Table] = field(default_factory=list)
    rules: int = 0  # ruling lines removed
    restacked: bool = False  # the columns beside a vertical rule were stacked (the image grew taller)
    shaded: bool = False
    pictures: int = 0
    reversed_bands: int = 0  # dark bands with light text, made dark on light

    @property
    def changed(self) -> bool:
        """Something was cleaned: tesseract reads the cleaned image word by word (TSV), tables take
        their reading order from the geometry and unsure words are read again (documents.ocr)."""
        return bool(self.rules or self.shaded or self.pictures or self.restacked or self.reversed_bands)


def needs_layout(small: np.ndarray, unit: float, *, uneven_light: bool = False, grid_only: bool = False) -> bool:
    """Cheap test on the analysis thumbnail (a few ms): True for a page with a grid of rules, a column
    rule, shaded cells or a picture, which gets `prepare_layout`; False for any other page, which reads
    exactly as before. Horizontal rules alone (heading rules) are False: erasing them was measured
    neutral (CER ±0.004 on five such pages) and costs time. On a photographed page (`uneven_light`)
    darker paper is the light, not shading: it does not count."""
    unit = max(unit, 4.0)
    paper = float(np.percentile(small, 90))
    k = max(3, int(unit * 0.6) | 1)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    shaded = not uneven_light and _shading(background, paper).mean() > SHADE_SHARE
    if not grid_only and (shaded or _find_pictures(small, unit)):
        return True
    # A photographed page's rules blur to mid-grey on the thumbnail (a hairline-ruled certificate's
    # broke into dashes at 0.8 and the page was read unlaid: CER 0.163); there, the rules' own contrast.
    ink = _darker_than(small, background, RULE_CONTRAST if uneven_light else 0.8)
    long_h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(8, int(H_RULE_UNITS * unit))), np.uint8))
    long_v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(3, int(V_TABLE_UNITS * unit)), 1), np.uint8))
    borders, columns, _ = _keep_structural_verticals(long_v, long_h, unit)
    return bool(borders.any() or (columns.any() and not grid_only))


def _shading(background: np.ndarray, paper: float) -> np.ndarray:
    """Grey cell backgrounds: darker than paper, but not the dark desk around a photographed page."""
    # In integers (as _darker_than): a float copy of the page per test cost ~5 ms.
    return (background < math.ceil(SHADE_LEVEL * paper)) & (background > math.floor(SHADE_FLOOR * paper))


def prepare_layout(grey: np.ndarray, unit: float, *, uneven_light: bool = False) -> tuple[np.ndarray, PageLayout]:
    """Clean a page image (uint8, dark text on light paper) for OCR and find its tables and columns.

    `uneven_light` (a photographed page): flatten the whole page, not only its shaded cells, so the
    paper is one level everywhere. The structure of a page with large text (a 300 dpi render) is
    found on a half-size copy and applied to the full-size image, which is what tesseract reads: 4x
    fewer pixels for every morphology and component pass."""
    unit = max(unit, 8.0)
    step = DETECT_STEP if unit >= DETECT_MIN_UNIT else 1
    height, width = grey.shape
    small = cv2.resize(grey, (width // step, height // step), interpolation=cv2.INTER_AREA) if step > 1 else grey
    u = unit / step
    layout = PageLayout()
    paper = float(np.percentile(small[::2, ::2], 90))
    page = grey.copy()
    reversed_boxes = _find_reversed(small, paper, u)
    if reversed_boxes:
        # Light text on a dark band (a banner, a header bar): made dark on light first, or its edges
        # are taken for rules and its text for noise. tesseract reads such bands itself on a page
        # it reads whole, but not once the page is cleaned and read word by word.
        small = small.copy()
        for box, in_grid in reversed_boxes:
            _reverse(small, box, paper, 1)
            _reverse(page, _scaled(box, step), paper, step + 1)
            if in_grid:  # a table's dark header row: its edges stay rules of the grid
                for image, edges, scale in ((small, box, 1), (page, _scaled(box, step), step)):
                    _frame(image, edges, 2 * scale, int(0.3 * paper))
        layout.reversed_bands = len(reversed_boxes)
    # Background level: a closing wider than any stroke erases the text and keeps paper, shading and
    # pictures. Dividing by it makes grey header cells white with their text still dark.
    k = max(3, int(u * 0.6) | 1)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    shade = _shading(background, paper)
    page_small = small.copy()
    if shade.mean() > SHADE_SHARE:
        # Flatten only the shaded regions (and a margin): dividing plain paper gains nothing and
        # thins glyph strokes there.
        layout.shaded = True
        region = _grow(shade.astype(np.uint8), max(2, int(u * 0.3))).astype(bool)
        flat_small = cv2.divide(small, background, scale=255)
        flat = cv2.divide(grey, _upscale(background, step, grey.shape, cv2.INTER_LINEAR), scale=255)
        if uneven_light:
            # The desk around a photographed sheet (darker than 0.6 of the paper)
            # comes out of the division white with its grain blown up into specks, which tesseract
            # read as lines of `Pe a a | Ra lees` (a photo with sensor noise 8: CER 1.86): lifted to
            # DESK_FLOOR, too light for ink. (Whitened outright, the page's own thresholds moved:
            # the other photos read 0.001 worse on average.)
            desk = background < math.floor(0.6 * paper)
            floor = np.where(desk, DESK_FLOOR, 0).astype(np.uint8)
            np.maximum(flat_small, floor, out=flat_small)
            np.maximum(flat, _upscale(floor, step, grey.shape, cv2.INTER_NEAREST), out=flat)
            page, page_small = flat, flat_small
        else:
            page_small[region] = flat_small[region]
            full_region = _upscale(region.astype(np.uint8), step, grey.shape, cv2.INTER_NEAREST).astype(bool)
            page[full_region] = flat[full_region]
    _, ink = cv2.threshold(page_small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Rules: long thin runs of pixels clearly darker than the paper around them. Not Otsu's ink: a
    # hairline rule of a 150 dpi scan is mid-grey and would break into short runs (_rules_along).
    lined = np.bitwise_or(_darker_than_background(small, background, paper, uneven_light), ink)
    dashes = _dashes(ink, u)
    # From here two threads (OpenCV and numpy let go of the GIL): the horizontal and the vertical rules
    # at once, then the tables found while the rules are erased. A pool per page, as ocr.rotated.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="layout") as beside:
        vertical_job = beside.submit(_rules_along, lined, dashes, VERTICAL, u)
        horizontal = _rules_along(lined, dashes, HORIZONTAL, u)
        vertical = vertical_job.result()
        horizontal_pieces = beside.submit(_components, horizontal, 8)
        vertical, column_rules, borders = _keep_structural_verticals(vertical, horizontal, u)
        horizontal = _keep_structural_horizontals(horizontal_pieces.result(), vertical, ink, u)
        horizontal = _with_table_edges(horizontal, borders, u)
        grid = np.bitwise_or(horizontal, vertical)
        tables_job = None
        if grid.any() or column_rules.any():
            columns = _boxes(column_rules) if column_rules.any() else []
            layout.rules = _count(horizontal) + _count(vertical) + len(columns)
            if columns:
                # Text beside a column rule: stack the right column under the left one, so tesseract
                # reads one column at a time (psm 4 reading across both mixes their lines and misreads them).
                rule = max(columns, key=lambda b: b.height)
                grid, restacked_small = _restack(grid, rule, 0), _restack(small, rule, 255)
            tables_job = beside.submit(_find_tables, grid, u)
            erase = _rule_pixels(ink, horizontal, np.bitwise_or(vertical, column_rules))
            if step > 1:  # back to full size, one pixel wider for the rules' anti-aliased edges
                erase = _grow(_upscale(erase, step, grey.shape, cv2.INTER_NEAREST), 1)
            page[erase.astype(bool)] = 255
            if columns:
                page, small = _restack(page, _scaled(rule, step), 255), restacked_small
                layout.restacked = True
        pictures = [_scaled(box, step) for box in _find_pictures(small, u)]
        if tables_job is not None:
            layout.tables = [_scaled_table(table, step) for table in tables_job.result()]
    for picture in pictures:
        cell = _enclosing_cell(layout.tables, picture)
        # The whole cell of a photo box (its backdrop too), unless the "cell" is much more than it.
        area = (picture.x1 - picture.x0) * (picture.y1 - picture.y0)
        box = cell if cell and (cell.x1 - cell.x0) * cell.height <= 4 * area else _with_backdrop(picture, shade, step)
        page[box.y0 : box.y1, box.x0 : box.x1] = 255
    layout.pictures = len(pictures)
    if layout.pictures:  # a picture in a one-cell box (the photo box) is no table to read
        layout.tables = [t for t in layout.tables if not _is_picture_box(t, pictures)]
    return page, layout


def _find_reversed(grey: np.ndarray, paper: float, unit: float) -> list[tuple[Box, bool]]:
    """Dark bands that hold light text: large, mostly dark boxes (a closing fills the text in them)
    with light pixels inside. Not a box touching the image border (the desk around a photographed
    page), not a photo or a logo (a band is wide) and not a frame (light is a small share). Each with
    whether it is lettered and joined to more than lines of text (a table's dark header row)."""
    dark = (grey < 0.6 * paper).astype(np.uint8)  # a dark band (shading reaches down to SHADE_FLOOR)
    k = max(3, int(unit * 0.8) | 1)
    filled = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    count, labels, stats = _components(filled, 8)
    height, width = grey.shape
    found = []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        if w < 4 * unit or h < 1.2 * unit:
            continue  # small, or thin (a rule)
        least_light, in_grid = 0.01, False
        if area < 0.85 * w * h:  # not a filled box, unless a band with lines of text joined to it
            blob = labels[y : y + h, x : x + w] == i
            core = _filled_core(blob)
            if core is None or core.x1 - core.x0 < 0.95 * w:
                continue
            x, y, w, h = x + core.x0, y + core.y0, core.x1 - core.x0, core.height
            rows = _longest_run(dark[y : y + h, x : x + w].mean(axis=1) >= 0.5)  # the band's own rows
            if rows is None:
                continue
            y, h = y + rows[0], rows[1] - rows[0]
            part = np.count_nonzero(blob[core.y0 : core.y1, core.x0 : core.x1]) < BAND_CORE_SHARE * area
            if _light_glyphs(grey[y : y + h, x : x + w], paper, unit) >= BAND_GLYPHS:
                # Lettered: a band, whatever else the closing joined to it (a table's dark header row
                # with white text is joined to the whole grid and its text: 0.53 of the blob).
                in_grid = bool(part)
            elif part:
                continue  # the filled box is only a part of the blob (a photo's dark shoulders: 0.74-0.76)
            else:
                least_light = BAND_CORE_LIGHT  # and it holds text (those shoulders: 0.018 light)
        if w < 4 * unit or h < 1.2 * unit or w < 2 * h:
            continue  # small, thin, or not a band (a photo, a logo)
        if x == 0 or y == 0 or x + w == width or y + h == height:
            continue
        inside = grey[y : y + h, x : x + w]
        light = float(np.count_nonzero(inside > 0.7 * paper)) / (w * h)
        if least_light <= light <= 0.45:  # text strokes, not a hole or a frame
            found.append((Box(int(x), int(y), int(x + w), int(y + h)), in_grid))
    return found


def _light_glyphs(band: np.ndarray, paper: float, unit: float) -> int:
    """How many pieces of light ink in a dark band are the size of a glyph (text, not a collar)."""
    count, _, stats = _components((band > 0.7 * paper).astype(np.uint8), 8)
    h, w = stats[1:count, cv2.CC_STAT_HEIGHT], stats[1:count, cv2.CC_STAT_WIDTH]
    return int(np.count_nonzero((h >= 0.25 * unit) & (h <= 1.2 * unit) & (w <= 2 * unit)))


def _filled_core(mask: np.ndarray, share: float = 0.85) -> Box | None:
    """The box within a component's box made of its rows and columns at least `share` filled: the
    band itself when the closing joined a line of text just above or below it (a held-out posting's
    footer bar filled only 0.80 of such a joint box, and its light text was read as noise: CER 0.123),
    None when no row is that full."""
    rows = _longest_run(mask.mean(axis=1) >= share)
    if rows is None:
        return None
    columns = _longest_run(mask[rows[0] : rows[1]].mean(axis=0) >= share)
    if columns is None:
        return None
    rows = _longest_run(mask[:, columns[0] : columns[1]].mean(axis=1) >= share)
    if rows is None:
        return None
    return Box(columns[0], rows[0], columns[1], rows[1])


def _longest_run(flags: np.ndarray) -> tuple[int, int] | None:
    """(start, end) of the longest run of True in a 1-D array, end exclusive; None if there is none."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    if not len(edges):
        return None
    starts, ends = edges[::2], edges[1::2]
    longest = int(np.argmax(ends - starts))
    return int(starts[longest]), int(ends[longest])


def _frame(image: np.ndarray, box: Box, width: int, level: int) -> None:
    image[box.y0 : box.y0 + width, box.x0 : box.x1] = level
    image[box.y1 - width : box.y1, box.x0 : box.x1] = level
    image[box.y0 : box.y1, box.x0 : box.x0 + width] = level
    image[box.y0 : box.y1, box.x1 - width : box.x1] = level


def _reverse(image: np.ndarray, box: Box, paper: float, edge: int) -> None:
    """A light-on-dark band made dark-on-light in place (the band's level becomes the paper's), and
    `edge` pixels around it whitened: the band's anti-aliased border, which would read as rules."""
    region = image[box.y0 : box.y1, box.x0 : box.x1]
    band = float(np.percentile(region[::2, ::2], 30))
    flipped = paper - (region.astype(np.float32) - band) * (paper / max(1.0, 255.0 - band))
    y0, x0 = max(0, box.y0 - edge), max(0, box.x0 - edge)
    image[y0 : box.y1 + edge, x0 : box.x1 + edge] = 255
    image[box.y0 + edge : box.y1 - edge, box.x0 + edge : box.x1 - edge] = np.clip(flipped, 0, 255).astype(np.uint8)[
        edge:-edge, edge:-edge
    ]


def _darker_than(image: np.ndarray, level: np.ndarray, share: float | np.ndarray) -> np.ndarray:
    """1 where `image < share * level`, both uint8 arrays: for an integer pixel that is `image <
    ceil(share * level)`, looked up per level, so no float copy of the page is made (~20 ms). `share`
    may be one per level (256 of them)."""
    ceilings = np.ceil(share * np.arange(256)).astype(np.uint8)
    return np.less(image, cv2.LUT(level, ceilings)).view(np.uint8)


def _darker_than_background(image: np.ndarray, background: np.ndarray, paper: float, photo: bool) -> np.ndarray:
    """1 where a pixel is darker than RULE_CONTRAST of its background: RULE_CONTRAST_SHADED where that
    background is shading (_shading's levels), RULE_CONTRAST_PHOTO elsewhere on a photo. A scanned
    hairline blurred by 1.3 px beside a shaded header row came out 0.85-0.9 of the shading, so the row's
    cells went unfound and its words ran into the next rows (the 경력증명서 0.131 -> 0.021). Plain paper
    of a scan keeps 0.85: at 0.9 rules were found in the strokes of a small-text posting (0.054 -> 0.077);
    shading at 0.93, in the sensor noise of a shaded cell (a noisy scan 0.010 -> 0.056)."""
    shaded = _shading(np.arange(256), paper)
    shares = np.where(shaded, RULE_CONTRAST_SHADED, RULE_CONTRAST_PHOTO if photo else RULE_CONTRAST)
    return _darker_than(image, background, shares)


def _upscale(image: np.ndarray, step: int, shape: tuple[int, ...], interpolation: int) -> np.ndarray:
    """A detection-size array back at full size (`shape`); the odd last row/column is repeated."""
    if step == 1:
        return image
    out = cv2.resize(image, (image.shape[1] * step, image.shape[0] * step), interpolation=interpolation)
    return cv2.copyMakeBorder(out, 0, shape[0] - out.shape[0], 0, shape[1] - out.shape[1], cv2.BORDER_REPLICATE)


def _scaled(box: Box, step: int) -> Box:
    return box if step == 1 else Box(box.x0 * step, box.y0 * step, box.x1 * step, box.y1 * step)


def _scaled_table(table: Table, step: int) -> Table:
    return Table(_scaled(table.box, step), tuple(tuple(_scaled(c, step) for c in row) for row in table.rows))


def _restack(image: np.ndarray, rule: Box, fill: int) -> np.ndarray:
    """The page with the band beside `rule` split in two: the left column, then the right column
    below it (each keeping its x position), then the rest of the page."""
    band = image[rule.y0 : rule.y1]
    left, right = band.copy(), band.copy()
    left[:, rule.x0 :] = fill
    right[:, : rule.x1] = fill
    return np.ascontiguousarray(np.vstack([image[: rule.y0], left, right, image[rule.y1 :]]))


def _side_by_side(runs: np.ndarray, unit: float, axis: int) -> np.ndarray:
    """The inside of where runs (horizontal: axis 0, vertical: 1) lie side by side, SOLID_UNITS across
    or more with gaps of SOLID_GAP at most between them. Not its outermost pixels across (RULE_EDGE):
    there stand the rules of the cell the runs fill, which the gaps' closing joined to them."""
    side, gap = max(3, int(SOLID_UNITS * unit)), max(2, int(SOLID_GAP * unit)) + 1
    across = (side, 1) if axis == 0 else (1, side)
    bridge = (gap, 1) if axis == 0 else (1, gap)
    edge = (2 * RULE_EDGE + 1, 1) if axis == 0 else (1, 2 * RULE_EDGE + 1)
    joined = cv2.morphologyEx(runs, cv2.MORPH_CLOSE, np.ones(bridge, np.uint8))
    blocks = cv2.morphologyEx(joined, cv2.MORPH_OPEN, np.ones(across, np.uint8))
    return cv2.erode(blocks, np.ones(edge, np.uint8))


def _grow(mask: np.ndarray, pixels: int) -> np.ndarray:
    size = 2 * pixels + 1
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))


def _components(mask: np.ndarray, connectivity: int) -> tuple[int, np.ndarray, np.ndarray]:
    """(count, labels, stats) of the connected components of a binary mask. Labels are 16-bit while
    they fit (~6 ms a page instead of ~19 ms with 32-bit labels, measured): OpenCV raises on the
    overflow of a page with more than 65535 pieces (noise), which then gets 32-bit labels."""
    try:
        return components(mask, connectivity, cv2.CV_16U)
    except cv2.error:
        return components(mask, connectivity)


def _count(mask: np.ndarray) -> int:
    """Number of rules in a mask, counted on a 4x smaller copy (rules are long: none is lost)."""
    return pieces(np.ascontiguousarray(mask[::4, ::4]))


def _boxes(mask: np.ndarray) -> list[Box]:
    count, _, stats = _components(mask, 8)
    return [Box(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:count]]


def _keep_structural_verticals(
    vertical: np.ndarray, horizontal: np.ndarray, unit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split vertical segments into cell borders (they meet two or more horizontal rules) and column
    rules (long and free-standing); drop the rest, which are glyph strokes (`|`, `l`, `ㅣ`). Returns
    the borders' mask, the column rules' mask and the borders' boxes (x, y, width, height by row)."""
    count, labels, stats = _components(vertical, 8)
    near_h = _grow(horizontal, max(2, int(unit * 0.25)))
    borders = np.zeros(count, bool)
    columns = np.zeros(count, bool)
    margin = COLUMN_MARGIN_UNITS * unit
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        # How many horizontal rules it meets, at its ends or crossing it (perspective in a photo can
        # leave a border's ends short of the frame while it still crosses the rows' rules).
        meets = _runs_in(near_h[y : y + h, x : x + w], axis=1)
        if meets >= 2:
            borders[i] = True
        elif meets == 0 and h >= V_COLUMN_UNITS * unit and w <= unit * 0.3 + h * 0.03:
            # long, thin (up to ~1.5° of skew) and free-standing, with room for text beside it
            columns[i] = margin <= x and x + w <= vertical.shape[1] - margin
    return _paint(labels, stats, borders), _paint(labels, stats, columns), stats[borders, :4]


def _with_table_edges(horizontal: np.ndarray, borders: np.ndarray, unit: float) -> np.ndarray:
    """The top and bottom rules of a table drawn in where they went unfound: where EDGE_BORDERS or more
    cell borders end at one height, across them, in the gaps of the horizontal rules there. On a
    photographed 경력증명서 blurred 1.6 px the table's top rule ran along its shaded header row's edge
    and blurred into it (a dip to 0.91 of the shading, not a rule), so the header row was no row of
    cells and its words ran into the rows below (CER 0.147 -> 0.058). Cell borders are only vertical
    pieces that meet two horizontal rules (_keep_structural_verticals, whose boxes `borders` are), so
    glyph strokes take no part."""
    if len(borders) < EDGE_BORDERS:
        return horizontal
    left, top, width, height = borders.T
    reach = max(2, int(unit * EDGE_ALIGN_UNITS))
    drawn = horizontal
    for ends in (top, top + height - 1):  # the borders' tops, then their bottoms
        order = np.argsort(ends, kind="stable")
        start = 0
        while start < len(order):
            stop = start + 1
            while stop < len(order) and ends[order[stop]] - ends[order[start]] <= reach:
                stop += 1
            group = order[start:stop]
            start = stop
            if len(group) < EDGE_BORDERS:
                continue
            y = int(round(float(ends[group].mean())))
            x0, x1 = int(left[group].min()), int((left + width)[group].max())
            found = horizontal[max(0, y - reach) : y + reach + 1, x0:x1].any(axis=0)
            if not found.all():
                if drawn is horizontal:
                    drawn = horizontal.copy()
                drawn[max(0, y - 1) : y + 1, x0:x1][:, ~found] = 1
    return drawn


def _keep_structural_horizontals(
    pieces: tuple[int, np.ndarray, np.ndarray], vertical: np.ndarray, ink: np.ndarray, unit: float
) -> np.ndarray:
    """Drop horizontal runs (`pieces`: their _components) that are short and meet no cell border: in a
    bold heading the bottom bars of syllables side by side (the ㅡ of `소프트`) join into a run as long
    as a rule, and erasing it wrecks the word (`한빛소프트` read `SWATE`). Table rules meet the borders;
    heading rules are long. A short run that meets one border only is kept unless it lies along a
    body of ink (_along_text): in a blurred photo the tops of a cell's letters run together into a
    line from the cell's border on, and erasing it wiped half of `PostgreSQL` (read `2.`)."""
    count, labels, stats = pieces
    near_v = _grow(vertical, max(2, int(unit * 0.25)))
    keep = np.zeros(count, bool)
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if w >= FREE_RULE_UNITS * unit:
            keep[i] = True
            continue
        meets = _runs_in(near_v[y : y + h, x : x + w], axis=0)
        # (a piece narrower than a line height meeting one border is a stub of the border's crossing)
        keep[i] = meets >= 2 or (meets == 1 and (w < unit or not _along_text(ink, Box(x, y, x + w, y + h), unit)))
    return _paint(labels, stats, keep)


def _runs_in(window: np.ndarray, axis: int) -> int:
    """How many separate runs along the other axis hold a set pixel of `window` (how many rules a
    piece meets, of the rules grown into its box)."""
    if not window.any():  # most pieces (glyph strokes inside cells) meet nothing
        return 0
    flags = np.asarray(window.any(axis=axis))
    return int(np.count_nonzero(np.diff(flags.astype(np.int8)) == 1)) + int(flags[0])


def _along_text(ink: np.ndarray, run: Box, unit: float) -> bool:
    """Whether a horizontal run has a body of ink (TEXT_BODY_INK of the pixels) just above or below
    it, as the top or bottom of a line of letters run together has, and a rule, with paper or a
    cell's padding beside it, has not."""
    reach = max(2, int(unit * 0.25))
    above = ink[max(0, run.y0 - reach) : run.y0, run.x0 : run.x1]
    below = ink[run.y1 : run.y1 + reach, run.x0 : run.x1]
    return any(side.size and side.mean() >= TEXT_BODY_INK for side in (above, below))


def _rules_along(lined: np.ndarray, dashes: np.ndarray, axis: int, unit: float) -> np.ndarray:
    """The rules along one axis (HORIZONTAL or VERTICAL): runs of `lined` pixels, with the pieces of
    dashed rules (`dashes`, _dashes) joined, at least H_RULE_UNITS (horizontal) or V_TABLE_UNITS
    (vertical) line heights long."""
    length = max(10, int(H_RULE_UNITS * unit)) if axis == HORIZONTAL else max(4, int(V_TABLE_UNITS * unit))

    def along(size: int, across: int = 1) -> np.ndarray:  # a kernel `size` along the axis
        return np.ones((across, size) if axis == HORIZONTAL else (size, across), np.uint8)

    dashed = cv2.morphologyEx(np.bitwise_and(dashes, axis), cv2.MORPH_CLOSE, along(max(3, int(DASH_GAP_UNITS * unit))))
    # A 3-pixel closing across the run bridges the steps a slightly skewed line makes between rows.
    bridged = cv2.morphologyEx(np.bitwise_or(lined, (dashed > 0).view(np.uint8)), cv2.MORPH_CLOSE, along(1, 3))
    rules = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, along(length))
    # Rules are thin: runs side by side over SOLID_UNITS across (a shaded cell printed as a halftone
    # screen, its dots run together by the scan into one mesh) are no rule, or its cell is erased with
    # its label (the mesh's columns reach from the cell's top rule to its bottom one: cell borders).
    rules = np.bitwise_and(rules, 1 - _side_by_side(rules, unit, 0 if axis == HORIZONTAL else 1))
    # The opening drops a skewed rule's last step (shorter than the kernel): grow each rule along
    # itself back over the ink it continues into.
    rules = np.bitwise_and(cv2.dilate(rules, along(length // 2 | 1, 3)), bridged)
    # A faint rule breaks where JPEG and noise lift a few pixels: join collinear pieces across gaps
    # of up to half a line height.
    return cv2.morphologyEx(rules, cv2.MORPH_CLOSE, along(max(3, int(unit * 0.5))))


def _dashes(ink: np.ndarray, unit: float) -> np.ndarray:
    """The pieces of dashed and dotted rules, marked HORIZONTAL or VERTICAL (bits of one uint8 mask):
    pieces of ink no thicker than DASH_UNITS across the rule; _rules_along closes the gaps between them
    along it (up to DASH_GAP_UNITS).
    Forms rule sections and table rows with dashes and dots (점선) as often as with solid lines; as
    pieces, no run was long enough to be a rule, so a dotted table was one cell and its rules read as
    text (`9 000 00000 10 10190`, a page at 0.37). Thin pieces of text (hyphens, periods, specks) stand
    too far apart to join into a run of H_RULE_UNITS, and thin strokes of Hangul (ㅡ) lie close to the
    rest of their syllable: a piece must have DASH_CLEAR_UNITS of paper on both sides."""
    count, labels, stats = _components(ink, 8)
    thin = max(2, int(DASH_UNITS * unit))
    reach = max(2, int(DASH_CLEAR_UNITS * unit))
    x, y, w, h = (stats[:, i].astype(np.int64) for i in range(4))
    summed = cv2.integral(ink)  # (rows + 1, columns + 1): ink in any box at four look-ups

    def ink_in(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
        rows, columns = ink.shape
        x0, x1 = np.clip(x0, 0, columns), np.clip(x1, 0, columns)
        y0, y1 = np.clip(y0, 0, rows), np.clip(y1, 0, rows)
        return summed[y1, x1] - summed[y0, x1] - summed[y1, x0] + summed[y0, x0]

    # A piece of a rule has paper on both sides of it across the rule; a thin stroke of a glyph (the
    # ㅡ of 그, a bar of 는) has the rest of its syllable just above or below.
    short = max(3, int(DASH_LONG_UNITS * unit))  # a longer piece is a rule already, or a stroke
    clear = DASH_CLEAR_SHARE * reach  # ink allowed beside a piece, per pixel of its length (specks)
    above, below = ink_in(x, y - reach, x + w, y), ink_in(x, y + h, x + w, y + h + reach)
    left, right = ink_in(x - reach, y, x, y + h), ink_in(x + w, y, x + w + reach, y + h)
    flat = (h <= thin) & (w <= short) & (above <= clear * w) & (below <= clear * w)
    narrow = (w <= thin) & (h <= short) & (left <= clear * h) & (right <= clear * h)
    flat[0] = narrow[0] = False
    # One look-up of the page's labels for both kinds; np.take is ~2x faster than indexing (~4 ms).
    return np.take(flat.astype(np.uint8) * HORIZONTAL | narrow.astype(np.uint8) * VERTICAL, labels)


def _paint(labels: np.ndarray, stats: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """`keep[labels]` as a uint8 mask, drawn box by box: the components kept are few, and indexing a
    whole page of labels cost ~10 ms a mask."""
    mask = np.zeros(labels.shape, np.uint8)
    for i in np.flatnonzero(keep):
        x, y, w, h, _ = stats[i]
        window = mask[y : y + h, x : x + w]
        window |= (labels[y : y + h, x : x + w] == i).view(np.uint8)
    return mask


def _find_tables(grid: np.ndarray, unit: float) -> list[Table]:
    """Ruled tables: connected groups of rules that enclose cells, cells grouped into rows."""
    tables = []
    # Rules that stop short of the rule across their end (a photographed corner, a JPEG-faded end)
    # would let a corner cell run out of its table: gaps up to half a line height are closed.
    span = max(3, int(unit * CORNER_GAP_UNITS))
    joined = cv2.morphologyEx(_grow(grid, 2), cv2.MORPH_CLOSE, np.ones((span, span), np.uint8))
    count, labels, stats = _components(joined, 8)
    page_h, page_w = grid.shape
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if w < 3 * unit or h < unit or (w > 0.8 * page_w and h > 0.8 * page_h):
            continue  # too small for a table, or the edge of a photographed sheet
        region = (labels[y : y + h, x : x + w] == i).astype(np.uint8)  # this grid only, not one inside it
        cells = []
        n, _, cstats = _components(1 - region, 4)
        for j in range(1, n):
            cx, cy, cw, ch, _ = cstats[j]
            touches_frame = cx == 0 or cy == 0 or cx + cw == w or cy + ch == h
            if touches_frame or cw < MIN_CELL_UNITS * unit or ch < MIN_CELL_UNITS * unit:
                continue
            cells.append(Box(int(x + cx), int(y + cy), int(x + cx + cw), int(y + cy + ch)))
        if cells:
            tables.append(Table(Box(int(x), int(y), int(x + w), int(y + h)), _rows(cells)))
    return tables


def _rows(cells: list[Box]) -> tuple[tuple[Box, ...], ...]:
    """Group cells into rows: two cells share a row when their vertical extents overlap by more than
    60% of the taller one (a cell spanning several rows stays a row of its own, read first)."""
    rows: list[list[Box]] = []
    for cell in sorted(cells, key=lambda c: (c.y0, c.x0)):
        for row in rows:
            ref = row[0]
            overlap = min(ref.y1, cell.y1) - max(ref.y0, cell.y0)
            if overlap > 0.6 * max(ref.height, cell.height):
                row.append(cell)
                break
        else:
            rows.append([cell])
    return tuple(tuple(sorted(row, key=lambda c: c.x0)) for row in sorted(rows, key=lambda r: min(c.y0 for c in r)))


def _rule_pixels(ink: np.ndarray, horizontal: np.ndarray, vertical: np.ndarray) -> np.ndarray:
    """The pixels to whiten: the rules and a pixel around them, except where a glyph stroke crosses
    one (ink on both sides of it)."""
    h_band = _grow(horizontal, 1)
    v_band = _grow(vertical, 1)
    bands = h_band | v_band
    text = ink & ~bands
    # Ink within REACH px above and below a band pixel (left and right of it for a vertical rule),
    # give or take REACH px along the rule: one dilation each, with the kernel off-centre.
    size = 2 * CROSSING_REACH + 1
    square = np.ones((size, size), np.uint8)
    r, far = CROSSING_REACH, 2 * CROSSING_REACH
    above, below = cv2.dilate(text, square, anchor=(r, far)), cv2.dilate(text, square, anchor=(r, 0))
    left, right = cv2.dilate(text, square, anchor=(far, r)), cv2.dilate(text, square, anchor=(0, r))
    crossing = (h_band & above & below) | (v_band & left & right)
    return bands & (1 - crossing)


def _find_pictures(grey: np.ndarray, unit: float) -> list[Box]:
    """Photos and logos: large, compact blobs of dense dark pixels (glyphs are small and mostly
    paper). Not a blob touching the image border (the desk around a photographed page) and not a
    long bar (a button or banner, which may hold white text)."""
    # On a half-size copy: pictures are large, and this is the costliest step on a full page.
    step = 2 if min(grey.shape) > 1200 else 1
    small = np.ascontiguousarray(grey[::step, ::step])
    dark = (small < np.percentile(small[::2, ::2], 90) * 0.55).astype(np.uint8)
    count, _, stats = _components(dark, 8)
    side = PICTURE_UNITS * unit / step
    height, width = small.shape
    found = []
    for x, y, w, h, area in stats[1:count]:
        if w < side or h < side or area < PICTURE_FILL * w * h or max(w, h) > 3 * min(w, h):
            continue
        if x == 0 or y == 0 or x + w == width or y + h == height or w > width / 2 or h > height / 2:
            continue
        found.append(Box(int(x * step), int(y * step), int((x + w) * step), int((y + h) * step)))
    return found


def _with_backdrop(picture: Box, shade: np.ndarray, step: int) -> Box:
    """A picture in no cell, with the shaded region it stands in when that is at most 4x the picture:
    an ID photo is found by its dark jacket, and its grey backdrop, face and hair (no blob dark enough
    on their own) came out as text (`> Rin`, `getty`) when only the jacket was whitened."""
    x0, y0, x1, y1 = picture.x0 // step, picture.y0 // step, -(-picture.x1 // step), -(-picture.y1 // step)
    count, labels, stats = _components(shade.astype(np.uint8), 8)
    inside = np.unique(labels[y0:y1, x0:x1])
    inside = inside[inside > 0]
    if not len(inside):
        return picture
    parts = stats[inside]
    box = Box(
        min(x0, int(parts[:, 0].min())), min(y0, int(parts[:, 1].min())),
        max(x1, int((parts[:, 0] + parts[:, 2]).max())), max(y1, int((parts[:, 1] + parts[:, 3]).max())),
    )  # fmt: skip
    if (box.x1 - box.x0) * box.height > 4 * (x1 - x0) * (y1 - y0):
        return picture
    return _scaled(box, step)


def _enclosing_cell(tables: list[Table], box: Box) -> Box | None:
    for table in tables:
        for row in table.rows:
            for cell in row:
                if cell.contains(box.cx, box.cy):
                    return cell
    return None


def _is_picture_box(table: Table, pictures: list[Box]) -> bool:
    """The one-cell box of a picture, or the picture itself: its outline is left of its ink as rules
    (_side_by_side keeps the edges of what fills a cell)."""
    cells = [cell for row in table.rows for cell in row]
    if len(cells) == 1 and any(cells[0].contains(p.cx, p.cy) for p in pictures):
        return True
    b, slack = table.box, PICTURE_SLACK
    return any(p.x0 - slack <= b.x0 and b.x1 <= p.x1 + slack and p.y0 - slack <= b.y0 and b.y1 <= p.y1 + slack
               for p in pictures)  # fmt: skip


# ----------------------------------------------------------------------------------- reading order
@dataclass(frozen=True)
class Word:
    index: int  # position in tesseract's reading order
    line: tuple[int, int, int]  # tesseract's (block, paragraph, line)
    box: Box
    text: str
    space_before: bool  # tesseract's text output puts a space between this word and the one before
    confidence: float = 100.0
    # A mark found in the word's ink before its box (a bullet set close, read into the word), written
    # before its text by documents.marks.read_marks; the box and text are the word's own.
    lead: str = ""

    @property
    def is_rule_debris(self) -> bool:
        """A short, unsure word of dashes, bars and dots: what tesseract makes of the white gap a
        removed rule leaves in a table row (`_`, `—-`, `…`), not text."""
        return self.confidence < DEBRIS_CONFIDENCE and 0 < len(self.text) <= 2 and set(self.text) <= RULE_DEBRIS


def parse_tsv(tsv: str, txt: str = "") -> list[Word]:
    """Words of tesseract's TSV output (level 5 rows with text), in tesseract's order.

    TSV splits Korean text into syllable groups that tesseract's text output writes without spaces
    (`김 서 연` for `김서연`), and no TSV column says which; so the text output of the same run (`txt`)
    decides, line by line. Where a line cannot be matched, a gap of a third of the line height does.
    """
    rows = [(line, box, text, confidence) for _, line, box, text, confidence in tsv_words(tsv)]
    text_lines = iter(line for line in txt.splitlines() if line.strip())
    words: list[Word] = []
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and rows[end][0] == rows[start][0]:
            end += 1
        line_rows = rows[start:end]
        spaces = _spaces_from_text(next(text_lines, ""), [text for _, _, text, _ in line_rows])
        if spaces is None:
            em = float(np.median([box.height for _, box, _, _ in line_rows]))
            spaces = [i > 0 and box.x0 - line_rows[i - 1][1].x1 > em / 3 for i, (_, box, _, _) in enumerate(line_rows)]
        for i, (line, box, text, confidence) in enumerate(line_rows):
            words.append(Word(len(words), line, box, text, spaces[i], confidence))
        start = end
    return words


def rewrite_words(text: str, words: list[Word], changed: list[Word]) -> str:
    """tesseract's text output with the words of `changed` (same indices as `words`, the TSV of the
    same run) written in place of the originals, spacing and blank lines kept. The TSV's words are the
    text output's non-space characters in order; where they would not line up, the text is kept."""
    replacements = {
        w.index: w
        for w, old in zip(changed, words, strict=True)
        if (w.text, w.space_before) != (old.text, old.space_before)
    }
    if not replacements:
        return text
    out: list[str] = []
    position = 0
    for word in words:
        start = position
        while start < len(text) and text[start].isspace():
            start += 1
        if text[start : start + len(word.text)] != word.text:
            return text  # the TSV and the text disagree here: keep tesseract's text as it is
        new = replacements.get(word.index, word)
        replacement, between = new.text, text[position:start]
        if new.space_before and not word.space_before and not between and out:
            between = " "  # a space found where tesseract wrote none (documents.marks)
        if replacement or "\n" in between:  # a word removed takes the space before it
            out.append(between)
        out.append(replacement)
        position = start + len(word.text)
    out.append(text[position:])
    return "".join(out)


def tsv_words(tsv: str) -> list[tuple[int, tuple[int, int, int], Box, str, float]]:
    """(page, (block, paragraph, line), box, text, confidence) of each word row of tesseract's TSV."""
    words = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(reader, None)
    for row in reader:
        if len(row) < 12 or row[0] != "5" or not row[11].strip():
            continue
        left, top, width, height = (int(v) for v in row[6:10])
        line = (int(row[2]), int(row[3]), int(row[4]))
        words.append((int(row[1]), line, Box(left, top, left + width, top + height), row[11], float(row[10])))
    return words


def _spaces_from_text(line: str, texts: list[str]) -> list[bool] | None:
    """Whether each word is preceded by a space in `line`, or None if `line` is not these words."""
    if "".join(line.split()) != "".join(texts):
        return None
    spaces: list[bool] = []
    position = 0
    for text in texts:
        spaced = position < len(line) and line[position].isspace()
        while position < len(line) and line[position].isspace():
            position += 1
        spaces.append(spaced and bool(spaces))
        position += len(text)
    return spaces


def assemble(words: list[Word], layout: PageLayout) -> str:
    """Text of a page with tables: each table row one line (cells left to right), and every other line
    of tesseract's where it stands on the page, top to bottom."""
    items: list[tuple[tuple[int, int], str]] = []
    loose: dict[tuple[int, int, int], list[Word]] = {}
    in_cell: dict[tuple[int, int, int], list[Word]] = {}
    heights = [w.box.height for w in words if any(c.isalnum() for c in w.text)]
    em = float(np.median(heights)) if heights else float("inf")
    for word in words:
        x, y = word.box.cx, word.box.cy
        for t, table in enumerate(layout.tables):
            if table.box.contains(x, y):
                cell = cell_of(table, x, y)
                if word.is_rule_debris or _rule_stub(word, table, cell, em):
                    break
                if cell is not None:
                    in_cell.setdefault((t, *cell), []).append(word)
                    break
        else:
            loose.setdefault(word.line, []).append(word)
    for t, table in enumerate(layout.tables):
        for r, row in enumerate(table.rows):
            texts = [_cell_text(in_cell.get((t, r, c), [])) for c in range(len(row))]
            text = " ".join(s for s in texts if s)
            if text:
                items.append(((min(cell.y0 for cell in row), row[0].x0), text))
    for line_words in loose.values():
        top = min(w.box.y0 for w in line_words)
        if text := join_words(line_words):
            items.append(((top, min(w.box.x0 for w in line_words)), text))
    items.sort(key=lambda item: item[0])
    return "\n".join(text for _, text in items)


def _rule_stub(word: Word, table: Table, cell: tuple[int, int] | None, em: float) -> bool:
    """Whether a word is what a removed column rule left beside a cell's edge, read as a sure mark
    (`현재 · 주식회사`, `학과 1 졸업`): one mark RULE_STUB_HEIGHT text heights tall or more (real marks are
    smaller than text) centred near the edge, or a stroke (`1`, `|`) centred on the edge itself. Real
    text stands inside a cell's padding; a tall comma mid-cell or a bullet is kept (over the evaluation
    pages, 37 lone marks written between words -> 15, no word lost)."""
    if cell is None or len(word.text) != 1:
        return False
    box = table.rows[cell[0]][cell[1]]
    edge = min(abs(word.box.cx - box.x0), abs(box.x1 - word.box.cx))
    if word.text in STROKES and edge <= RULE_ON_EDGE * em:
        return True
    return word.text in RULE_MARKS and word.box.height >= RULE_STUB_HEIGHT * em and edge <= RULE_STUB_REACH * em


def cell_of(table: Table, x: float, y: float) -> tuple[int, int] | None:
    best, best_distance = None, float("inf")
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell.contains(x, y):
                return r, c
            dx = max(cell.x0 - x, 0, x - cell.x1)
            dy = max(cell.y0 - y, 0, y - cell.y1)
            if dx + dy < best_distance:
                best, best_distance = (r, c), dx + dy
    return best


def _cell_text(words: list[Word]) -> str:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    ordered = sorted(lines.values(), key=lambda ws: min(w.box.cy for w in ws))
    return " ".join(text for ws in ordered if (text := join_words(ws)))


def join_words(words: list[Word]) -> str:
    """One line's words left to right, spaced as tesseract's text output spaces them (a word whose
    text was removed, as the second half of an arrow read as two words, is left out, and takes the
    space before it, as in rewrite_words)."""
    removed = {w.index for w in words if not w.text}
    words = sorted((w for w in words if w.text), key=lambda w: w.box.x0)
    if not words:
        return ""
    parts = [words[0].text]
    for before, word in zip(words, words[1:], strict=False):
        adjacent = word.index > before.index and all(i in removed for i in range(before.index + 1, word.index))
        parts.append(word.text if adjacent and not word.space_before else " " + word.text)
    return "".join(parts)
