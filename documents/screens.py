"""Halftone screens: grey fills printed as dots, found by their fine texture and blurred to flat grey.

Laser printers print a grey fill (a form's shaded header cells, a posting's info box) as a screen of
dots, 60-100 lines per inch: 2-3.3 px apart at 200 dpi. Scanned, the dots run together into rows and
columns that the layout step took for rules (erasing the label strokes along them) and that hid the
fill from its shading test, so the labels were read as noise or lost (`성명`, `주소`, a posting's info
box: pages at CER 0.10-0.19). Blurred by a Gaussian of SCREEN_BLUR px where the screen lies, a fill
is the flat grey the layout step evens out (docs/ocr.md, step 28).

A screen is told by its texture, in TILE px squares of the page (times the page's resolution over
200 dpi, when known):
- a seed tile is all screen: most of its contrast is fine detail, the page less its SCREEN_DETAIL px
  blur (an average of more than SEED_SHARE of its standard deviation, which is over SEED_CONTRAST
  levels). Text, rules, paper grain and JPEG blocks keep most of their contrast in coarser detail. A
  page needs SCREEN_MIN_SEEDS of them (the evaluation scans without a screen have 0-26, text on JPEG
  q60 scans; those with one 178-2341);
- a screened tile is one whose paper between the glyphs is as fine-grained: away from the strokes
  (darker than INK_SHARE of the paper, opened so that dots are no strokes), the fine detail averages
  over BACKGROUND_DETAIL levels (paper noise of 12 levels: ~9), so the labels on a fill are blurred
  with the fill;
- the screened tiles joined to a seed, SCREEN_MIN_TILES or more, are the screen.
Cost at 200 dpi: ~13 ms for a page without a screen, ~31 ms with one (documents.ocr looks at laid-out
pages only).
"""

from __future__ import annotations

import cv2
import numpy as np

from documents.components import components

TILE = 16  # px at 200 dpi: 5+ periods of a 60 lpi screen, and fine enough to follow a cell's edges
SCREEN_DETAIL = 1.2  # px: the blur whose difference with the page is its fine detail
SEED_SHARE = 0.58  # a seed tile's mean fine detail, as a share of its standard deviation ...
SEED_CONTRAST = 25.0  # ... which is over this many grey levels
INK_SHARE = 0.45  # of the paper level: darker is a glyph's stroke, not the screen between them
BACKGROUND_DETAIL = 18.0  # grey levels of fine detail a screened tile's background averages, at least
BACKGROUND_MIN_SHARE = 0.25  # ... over at least this share of the tile
SCREEN_MIN_SEEDS = 64  # seed tiles a page needs, all told (text on JPEG q60 scans: 3-26; screens: 178-2341)
SCREEN_MIN_TILES = 16  # a screen covers a cell at least: fewer tiles are a speck of texture
SCREEN_BLUR = 1.5  # px: the Gaussian that turns a 2-3.3 px screen into flat grey (its beat too)
MAX_SCALE = 2.5  # screen_scale: tiles, detail and blur grow with the resolution up to 500 dpi
_OPEN = np.ones((3, 3), np.uint8)
_NEAR_STROKE = np.ones((5, 5), np.uint8)


def _tile_means(image: np.ndarray, rows: int, columns: int) -> np.ndarray:
    return cv2.resize(image, (columns, rows), interpolation=cv2.INTER_AREA).astype(np.float32)


def screen_tiles(grey: np.ndarray, scale: float = 1.0) -> np.ndarray | None:
    """The tiles of the page (TILE x `scale` px, from its top left corner) that a halftone screen
    covers, as a bool array, or None when the page has no screen."""
    tile = round(TILE * scale)
    rows, columns = grey.shape[0] // tile, grey.shape[1] // tile
    if rows < 2 or columns < 2:
        return None
    page = grey[: rows * tile, : columns * tile]  # whole tiles (a view: OpenCV takes its row stride)
    detail = cv2.absdiff(page, cv2.GaussianBlur(page, (0, 0), SCREEN_DETAIL * scale))
    fine = _tile_means(detail, rows, columns)
    # Means of the levels (x256, so the variance keeps its precision) and of their squares, in uint16.
    levels = page.astype(np.uint16)
    mean = _tile_means(np.left_shift(levels, 8, out=levels), rows, columns) / 256
    square = _tile_means(cv2.multiply(page, page, dtype=cv2.CV_16U), rows, columns)
    contrast = np.sqrt(np.maximum(square - mean * mean, 0))
    seeds = (fine > SEED_SHARE * contrast) & (contrast > SEED_CONTRAST)
    if np.count_nonzero(seeds) < SCREEN_MIN_SEEDS:
        return None
    paper = float(np.percentile(page[::4, ::4], 90))
    strokes = cv2.morphologyEx((page < INK_SHARE * paper).view(np.uint8), cv2.MORPH_OPEN, _OPEN)
    background = 1 - cv2.dilate(strokes, _NEAR_STROKE)
    share = _tile_means(background * 255, rows, columns) / 255
    background_detail = _tile_means(cv2.multiply(detail, background), rows, columns) / np.maximum(share, 1e-3)
    screened = seeds | ((background_detail > BACKGROUND_DETAIL) & (share > BACKGROUND_MIN_SHARE))
    count, labels, stats = components(screened.view(np.uint8))
    seeded = np.bincount(labels[seeds], minlength=count) > 0
    keep = ((stats[:, cv2.CC_STAT_AREA] >= SCREEN_MIN_TILES) & seeded)[labels]  # label 0, the rest, holds no seed
    return keep if keep.any() else None


def screen_scale(dpi: float | None) -> float:
    """How much further apart a halftone screen's dots lie than on a 200 dpi page (a printer's screen
    has as many lines to the inch at any size): 1 when the resolution is not known."""
    return min(max(dpi / 200, 1.0), MAX_SCALE) if dpi else 1.0


def without_screens(grey: np.ndarray, dpi: float | None = None) -> np.ndarray | None:
    """The page with its halftone screens blurred to flat grey (the blur fading in over half a tile at
    their edges, so no edge is drawn where a screen ends), or None when it has none."""
    scale = screen_scale(dpi)
    tiles = screen_tiles(grey, scale)
    if tiles is None:
        return None
    tile = round(TILE * scale)
    margin = tile // 2
    ys, xs = np.nonzero(tiles)  # blurred within their box and a margin, where the fading reaches
    y0, y1 = max(0, ys.min() * tile - margin), min(grey.shape[0], (ys.max() + 1) * tile + margin)
    x0, x1 = max(0, xs.min() * tile - margin), min(grey.shape[1], (xs.max() + 1) * tile + margin)
    mask = np.zeros(grey.shape, np.uint8)
    mask[: tiles.shape[0] * tile, : tiles.shape[1] * tile] = np.kron(
        tiles.view(np.uint8), np.ones((tile, tile), np.uint8)
    )
    region = grey[y0:y1, x0:x1]
    weight = cv2.blur(mask[y0:y1, x0:x1].astype(np.float32), (margin + 1, margin + 1))
    blurred = cv2.GaussianBlur(region, (0, 0), SCREEN_BLUR * scale).astype(np.float32)
    out = grey.copy()
    out[y0:y1, x0:x1] = np.clip(region * (1 - weight) + blurred * weight + 0.5, 0, 255).astype(np.uint8)
    return out
