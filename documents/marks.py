"""Marks the kor+eng models misread, looked at again in the page image: arrows, bullets, section
marks, interpuncts and dashes.

Arrows (→, ←): postings and resumes chain steps with arrows (`이력서 → 포트폴리오 → 자기소개서`), but neither the
Korean nor the English model has `→` or `←` in its character set, so tesseract writes what it can
nearest: `-` or `—` (sure of it, confidence ~90) for a small filled head, `>` for a large open
one. The words tesseract reads as dashes, bars or chevrons are few on a page, so each is looked at
again in the page image: one glyph whose ink is a thin shaft ending in a head that spreads above and
below it is an arrow, pointing to the side of the head. A dash has no head; a chevron `>` is
widest at its open end and has no shaft; a Hangul stroke with a stem (`ㅜ`, `ㅗ`) spreads to one
side only; `->` typed as two glyphs is two pieces of ink. Those words keep tesseract's reading.
tesseract also drops an arrow altogether now and then: the ink in every wide gap between two words of
a line is looked at the same way, and an arrow found there is written after the word before it.

Bullets (•): the Korean model reads a bullet as `ㆍ` (the archaic vowel, a small dot) or `:`, and
blurred as `+` or `*`, so every bullet of a list comes out as the wrong character. A line that starts
with a lone `ㆍ`, `·`, `:`, `+` or `*` whose ink is one round, filled dot at least a fifth as tall as
the line's Hangul is a bullet (`•` measures 0.22-0.26 em in the Nanum fonts; `·` and `ㆍ` 0.10-0.14);
smaller dots, dots inside a line (`React · Vue`, a misread colon), and a plus sign or an asterisk
(no round filled blob) keep tesseract's reading.

Interpuncts (·, 가운뎃점): set between two words with no space (`베트남·태국`), a small one is dropped
(`베트남 태국`, `베트남태국`) or read `:`, `-`, `*` or `'` (38 of 57 over the evaluation pages). A round
dot 0.09-0.22 em across, printed dark, halfway up the words beside it (a period sits on their
baseline), alone in its columns (a colon is two dots; the tick of `ㅓ` touches its stem) and with letters
close on both sides (dust in a word gap stands apart) is written `·` where it stands.

Section marks and check boxes (■ □ ● ○ ◆ ◇ ▶ ▷ ◀ ◁ ▲ △ ▼ ▽ ◎ ▣ ◈): Korean postings head their sections
and lead their items with them (`■ 모집 부문`, `▶ 담당 업무`, `□ 신입 ■ 경력`). Neither model has most of
them: `●` is read `@`, `▶` `>`, `◆` `@` or `<`, `◇` `<>`, `○` `O` or `(2`, a square `를`, `톨` or `0`, or
the mark is left out. A short reading of no Hangul (or an unsure syllable), a word's first characters
when they are not its Hangul, the ink left of a line's first word and a wide gap between two words
are looked at: one glyph of a mark's size whose outline (its holes filled) is a square, a disc, a
diamond or a triangle is the mark, filled when it inks its outline through (dark to its middle: a
blurred `@` is grey inside), hollow when it inks only its edge. A ring must be thin and round to be
`○` (a Latin `O` is narrower or bolder), and it stands a space apart from the glyphs beside it (a
syllable split off its word and blurred into a blob does not).

Dashes (-): a list item led by a dash is now and then read `~` (12 lines over the evaluation pages,
two of the shared scan's). A line that starts with a lone `~` whose ink is one flat, straight bar is a
dash; a tilde's wave fills half its box, a bar all of it.

Costs ~0.1 ms a candidate word, on crops of the image tesseract read (documents.ocr).
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import cv2
import numpy as np
from PIL import Image

from documents.components import components
from documents.layout import DEBRIS_CONFIDENCE, Box, Word

BULLET_READINGS = {"ㆍ", "·", "∙", "•", "°", ":", ".", "+", "*"}  # what tesseract writes for a bullet dot
BULLET_SIZE = 0.19  # a bullet is at least this share of the height of the line's Hangul
SPECK_SHARE = 0.1  # a piece of ink beside a mark with less than this share of its area is a speck
BULLET_MAX = 0.5  # ... and at most this share (`•` 0.22-0.34 em; a section mark `●` 0.74-1.06)
LEADING_BULLET = re.compile(r"^[ㆍ·∙•°+*]{1,2}(?=\S)")  # a bullet's reading at the start of the word after it (a `-` is
# one of a dash too: a dash blurred 2 px is as round as a bullet)
# What tesseract writes now and then for a dash that leads a list item or stands alone in a table cell
# (`-` for "none"; `+` for one blurred on a photo); a `=` of two bars, a tilde's wave or a plus's
# cross is no flat bar (_is_dash).
DASH_READINGS = {"~", "=", "_", "ㅡ", "+"}
DASH_ALONE = 1.5  # ... alone: no other word of its line this close (in the line's em; `2010.03 ~ 2013.02`: 0.3)
DASH_FLAT = 0.25  # a dash is at most this share of the line's Hangul tall ...
DASH_LONG = 1.5  # ... at least this many times as wide as tall (a blurred one: 1.6) ...
DASH_FILL = 0.7  # ... and fills this share of its box at least (a tilde's wave: ~0.5)
GAP_EMS = 0.6  # a gap between two words of a line this wide (in line heights) may hold a dropped arrow
MAX_READING = 3  # tesseract's reading of an arrow: at most this many characters, see could_be_arrow
MIN_WIDTH_PX = 8  # narrower than this (a 150 dpi scan of 8 pt text) the shape cannot be told apart
HEAD_TO_SHAFT = 2.2  # the head spreads at least this many shaft thicknesses
SHAFT_SHARE = 0.4  # the shaft side: this share of the glyph's width, farthest from the head
HEAD_SHARE = 0.45  # the head is looked for in this share of the width at the pointed end
MIN_LENGTH = 1.2  # an arrow is at least this many head heights long (a chevron is taller than wide)
# Section marks and check boxes (`■ 자격요건`, `▶ 담당업무`, `□ 신입 ■ 경력`): the shape of each outline
# (_outline), the mark when filled and when hollow. Neither model has most of them: ● is read `@`,
# ▶ `>`, ◆ `@` or `<`, ○ `O` or `C`, ◇ `<>`, or they are left out. (★ ☆ are left as read: their
# outlines were not told from letters' reliably.)
MARK_SHAPES = {
    "square": ("■", "□"),
    "disc": ("●", "○"),
    "diamond": ("◆", "◇"),
    "right": ("▶", "▷"),
    "left": ("◀", "◁"),
    "up": ("▲", "△"),
    "down": ("▼", "▽"),
}
MARK_SIZE = (0.55, 1.15)  # a mark is this share of the height of its line's Hangul (0.74-1.06 in the Nanum fonts)
MARK_SOLID = 0.8  # a filled mark inks this share of its outline at least ...
MARK_INK = 0.35  # ... its ink (darkest tenth) darker than this share of the paper ...
MARK_CORE = 0.1  # ... and its middle no lighter than this share of the way from its ink to the paper
MARK_HOLLOW = 0.65  # ... a hollow one at most this, and only near its outline (MARK_STROKE; `@` has its `a` inside)
MARK_STROKE = 0.2  # ... within this share of its width and height of the outline's edge
# A ring (○) is thin and round, or it is a letter: rendered in the Nanum fonts at 20-56 px, `○` inks
# 0.19-0.29 of its outline, 0.97-1.07 as wide as tall, 0.78-0.93 em; `O` 0.27-0.42 and 0.69-0.94 (1.0
# at 20 px, inking 0.34); the jamo `ㅇ` is 0.56-0.72 em. A bold `○` inks more: tesseract's reading stays.
RING_INKED = 0.3
RING_ROUND = (0.95, 1.08)
RING_MIN = 0.75
MIN_MARK_PX = 6  # smaller than this the shape cannot be told
SQUARE_REACH = 1.6  # line heights left of a line's first word where a dropped mark is looked for
SQUARE_MARKS = {"■", "□", "▣"}
MARK_DARK = 0.75  # the core of a mark's ink (its darkest tenth) is darker than this share of the paper around it
MARK_GAP = 0.9  # em: a gap between two words this wide may hold a mark tesseract left out
MARK_APART = 0.15  # em: a mark stands at least this far from the glyphs beside it
MARK_REACH = 1.3  # em: a mark read as a word's first characters lies within this of the word's left end
# ... which are not its Hangul: a token of one or two characters, or up to three marks or letters
_LEADING_MARK = re.compile(r"^(?:\S{1,2} |[^\uac00-\ud7a3\s]{1,3}(?=[\uac00-\ud7a3])|[^\w\s]{1,2}(?=\w))")
# The interpunct (가운뎃점 `·`, `베트남·태국`): a round dot this share of the line's em across (0.10-0.14
# in the Nanum fonts; a bullet 0.22 or more), its centre this far down the line's Hangul, the ink of
# letters this close on both sides, and nothing else in the columns it stands in.
INTERPUNCT_SIZE = (0.09, 0.22)
INTERPUNCT_FAINT = 0.8
INTERPUNCT_CORE = 0.5
INTERPUNCT_MIDDLE = (0.35, 0.62)
INTERPUNCT_REACH = 0.6
INTERPUNCT_TIGHT = 0.65  # em: both gaps beside the dot together narrower than this: set with no spaces (Nanum
# 0.12-0.32 set tight, 0.75-1.0 spaced; Noto Sans KR, whose dot has 0.21 em beside it, 0.42-0.56 and 0.96-1.0)
INTERPUNCT_EDGE = 0.1  # em: a dot this close to the end of a word's box was taken into it
COLON_REACH = 0.6  # em: ink above or below a dot this close to its centre makes it a colon's (0.44 apart)
INTERPUNCT_READINGS = set(":;-*'`~ㆍ·•°∙")  # what tesseract writes for one (never `.` or `,`: those are)
SPACED_MARKS = frozenset("~•→←-")  # set apart by a space where the gap beside them is a space's
MIDLINE_MARKS = SPACED_MARKS | frozenset("·∙ㆍ=+–—")  # marks whose ink floats clear of top and baseline
LATIN_LETTERS = re.compile(r"[A-Za-z]{2,}")  # a word looked at for a `D` read `O` (_with_stems_for_o)
STEM_ROWS = 0.12  # height: a letter's top and bottom bars are looked for in this share of its rows ...
STEM_CORNER = 0.1  # ... and start this share of its width from its left at most where it has a stem
STEM_WIDTH = 0.2  # ... whose columns, this share of its width, are inked ...
STEM_COVER = 0.92  # ... down this share of its height at least
SPACE_GAP = 0.24  # em: a space beside a mark (spaced: Nanum 0.46, Noto 0.34; set tight: 0.16, 0.1)
FLAT_MARK = 1.5  # a dash, tilde or arrow is at least this many times as wide as its ink is tall
MARK_WIDTH = 0.15  # em: a spaced mark is at least this wide (a bullet 0.24-0.28, a dash 0.28, a tilde 0.5)
MIDLINE_CLEAR = 0.12  # em: a mark's ink stays this far from the top and the bottom of its word's box


def arrow_direction(crop: np.ndarray) -> str | None:
    """`→` or `←` when the dark glyph of a greyscale word crop is a horizontal arrow, else None."""
    if crop.size == 0 or crop.shape[1] < MIN_WIDTH_PX:
        return None
    pieces = _ink_pieces(crop)
    if pieces is None:
        return None
    count, labels, stats = pieces
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, _, width, _, _ = stats[biggest]
    # One piece of ink across the word: an arrow is one glyph (`->` is two, a dash run is many).
    if width < MIN_WIDTH_PX or width < 0.8 * (crop.shape[1] - 4):
        return None
    glyph = labels[:, x : x + width] == biggest
    if _points_right(glyph):
        return "→"
    if _points_right(glyph[:, ::-1]):
        return "←"
    return None


def _points_right(glyph: np.ndarray) -> bool:
    """Is this one-piece glyph mask a thin shaft on the left with a head on the right?"""
    inked = glyph.any(axis=0)
    if not inked.all():
        return False
    rows = np.arange(glyph.shape[0])[:, None]
    top = np.where(glyph, rows, glyph.shape[0]).min(axis=0)
    bottom = np.where(glyph, rows, -1).max(axis=0)
    extent = bottom - top + 1
    width = glyph.shape[1]
    shaft = slice(0, max(2, round(width * SHAFT_SHARE)))
    head_from = width - max(2, round(width * HEAD_SHARE))
    thickness = float(np.median(extent[shaft]))
    if float(np.percentile(extent[shaft], 90)) > 1.6 * thickness + 1:
        return False  # the shaft side is not an even stroke: a chevron's arms, a letter
    peak = head_from + int(np.argmax(extent[head_from:]))
    head = int(extent[peak])
    if head < HEAD_TO_SHAFT * thickness or head < 4 or width < MIN_LENGTH * head:
        return False  # no head, or a short, tall glyph: a chevron's point is not a shaft
    tip = extent[-max(2, width // 8) :]
    if float(tip.mean()) > 0.7 * head:
        return False  # widest at the end: a bar or a box, not a point
    if float(extent[peak:].mean()) < thickness + 0.3 * (head - thickness):
        return False  # narrows at once and runs on thin: the cross stroke of `+` or `ㅜ`, not a head
    shaft_top, shaft_bottom = float(np.median(top[shaft])), float(np.median(bottom[shaft]))
    # The head spreads above and below the shaft, about evenly (a stem of `ㅜ` hangs below only).
    above, below = shaft_top - top[peak], bottom[peak] - shaft_bottom
    return above >= 1 and below >= 1 and abs(above - below) <= 0.35 * head + 1


def could_be_arrow(text: str) -> bool:
    """Whether tesseract's reading of a word may be an arrow it cannot write: a short run of marks
    and lone jamo. Measured on five Nanum fonts at 150-300 dpi it wrote `-`, `—`, `ㅡ`, `ㅡ>`, `>`,
    `<`, `…`, `ㄱ`, `ㄴ`, `+`, `~-`; never a syllable or a Latin letter. Other words are not looked at."""
    return 0 < len(text) <= MAX_READING and all(not c.isalnum() or "\u3131" <= c <= "\u318e" for c in text)


def read_marks(image: Image.Image, words: list[Word]) -> list[Word]:
    """The words with every arrow tesseract misread (as `-`, `—`, `>` ...) written as `→` or `←`, and
    every bullet read as `ㆍ` written `•`; `image` is the greyscale page tesseract read (the words'
    boxes are on it). Bullets are set apart once more (bullets_apart): a second reading can bring one
    back into a line's first word (`SAS` read again alone as `*통계학,`). A `D` read `O` is written
    `D` (_with_stems_for_o)."""
    words = [_with_stems_for_o(image, w) for w in bullets_apart(image, words)]
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    for line in lines.values():
        line.sort(key=lambda w: w.box.x0)
    dropped = _left_out(image, lines)
    first_words = {key: next(w for w in line if w.text) for key, line in lines.items() if any(w.text for w in line)}
    line_ems = {key: _hangul_height(line) for key, line in lines.items()}
    by_index = {word.index: word for word in words}
    found: list[Word] = []
    arrows: dict[tuple[int, int, int], list[tuple[int, int]]] = {}  # x spans of the arrows found, by line
    for word in words:
        text = None
        line = lines[word.line]
        if could_be_arrow(word.text):
            span = (word.box.x0, word.box.x1)
            text = arrow_direction(_crop(image, word))
            if text is None:
                span, whole = _whole_glyph(image, word, line)
                text = arrow_direction(whole) if whole is not None else None
            if text is not None:
                # One arrow read as two words (`ㅡ` and `>`): both lead to the same glyph, written once.
                if any(start <= span[1] and span[0] <= end for start, end in arrows.get(word.line, [])):
                    text = ""
                arrows.setdefault(word.line, []).append(span)
        if word.text in BULLET_READINGS and line[0] is word and _is_bullet(image, word, line):
            text = "•"
        if (
            word.text in DASH_READINGS
            and ((line[0] is word and len(line) > 1) or _alone(word, line))
            and _is_dash(image, word, line)
        ):
            text = "-"
            # Told by its shape: no white gap of a removed rule (Word.is_rule_debris), however unsure.
            word = dataclasses.replace(word, confidence=max(word.confidence, DEBRIS_CONFIDENCE))
        em = line_ems[word.line]
        if word.text and em and (mark := _mark_of_word(image, word, line, em, word is first_words[word.line])):
            text = mark
            following = by_index.get(word.index + 1)
            if len(mark) == 1 and following is not None and following.line == word.line and not following.space_before:
                text = f"{mark} "  # the mark read as a syllable of the next word (`디담당업무`): set apart
        if word.index in dropped:  # an arrow tesseract left out after this word: written after it
            text = f"{word.text if text is None else text} {dropped[word.index]}".strip()
        found.append(word if text is None else dataclasses.replace(word, text=text))
    return [_with_lead(w) for w in _with_spaces_beside_marks(image, _with_interpuncts(image, found))]


def _with_stems_for_o(image: Image.Image, word: Word) -> Word:
    """The word with each `O` whose glyph has a straight stem on its left written `D`. The English model
    reads Noto Sans KR's `D` as `O`, sure of it (`PDF` read `POF` at 95, 25 of 43 times over the sets
    drawn in it; a blurred Nanum photo's too): a `D`'s top and bottom bars start at its stem, where an
    `O`'s curve starts well inside its width (STEM_CORNER), and its left fifth is inked down its whole
    height (STEM_COVER). Measured on 83 pages: every `D` at 0-0.08 of its width and inked 0.94-1.0 down,
    every `O` (`TOEIC`, `SEOYEON`, `OAuth`) at 0.11-0.29 and 0.68-0.90. Only a word of Latin letters
    whose glyphs stand apart, one run of inked columns a letter, is looked at."""
    if "O" not in word.text or not LATIN_LETTERS.fullmatch(word.text):
        return word
    ink = _ink_between(image, word.box, word.box.x0, word.box.x1)
    runs = _column_runs(ink) if ink is not None else []
    if ink is None or len(runs) != len(word.text):
        return word
    text = "".join(
        "D" if char == "O" and _has_stem(ink[:, a:b]) else char for char, (a, b) in zip(word.text, runs, strict=True)
    )
    return word if text == word.text else dataclasses.replace(word, text=text)


def _has_stem(glyph: np.ndarray) -> bool:
    """Whether a letter's ink (one run of columns) has a straight stem on its left (_with_stems_for_o)."""
    top, bottom = _main_band(glyph)
    band = glyph[top : bottom + 1]
    columns = np.flatnonzero(band.any(axis=0))
    band = band[:, columns[0] : columns[-1] + 1]
    height, width = band.shape
    rows = max(1, round(STEM_ROWS * height))
    corner = max(int(np.argmax(band[:rows].any(axis=0))), int(np.argmax(band[-rows:].any(axis=0))))
    cover = band[:, : max(1, round(STEM_WIDTH * width))].any(axis=1).mean()
    return corner <= STEM_CORNER * width and cover >= STEM_COVER


def _with_lead(word: Word) -> Word:
    """The word with the mark found before it (Word.lead, bullets_apart) written before its text."""
    if not word.lead:
        return word
    return dataclasses.replace(word, text=f"{word.lead}{word.text}" if word.text else word.lead.strip(), lead="")


def _text_lines(words: list[Word]) -> list[list[Word]]:
    """The words with text, by tesseract's line, each line left to right."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        if word.text:
            lines.setdefault(word.line, []).append(word)
    return [sorted(line, key=lambda w: w.box.x0) for line in lines.values()]


def leading_bullets(image: Image.Image, words: list[Word]) -> set[int]:
    """Indices of the words read as a bullet (BULLET_READINGS) that lead their line and whose ink is one
    (_is_bullet): read_marks writes them `•`. Read again alone, such a dot reads as a letter (Noto's `•`
    read `*` at 45 on a scanned posting, alone `e` at 56), which read_marks no longer takes for a bullet."""
    found = set()
    for line in _text_lines(words):
        first = line[0]
        if first.text in BULLET_READINGS and _is_bullet(image, first, line):
            found.add(first.index)
    return found


def bullets_apart(image: Image.Image, words: list[Word]) -> list[Word]:
    """The words with a bullet leading a line set apart from the word after it, before that word is
    read again. Where a typeface sets its bullet close (Noto Sans KR: 0.3 em from the word, a space
    of 0.22 em), tesseract reads the two as one word (`• SQL로` → `*50)Ｌ` `로`, `• A/B` → `ㆍ8/6`) or
    joins the bullet's own word to the next (`ㆍ` `50Ｌ과`, no space between), so the word-level second
    readings cut out the bullet with the word, and misread it again. A line's first word that begins
    with a bullet's reading (LEADING_BULLET) and whose first ink is a bullet a space apart from the
    rest (_bullet_end) is cut after it: its box starts at the rest's ink, its text loses the bullet's
    reading, and the bullet is its `lead`, written `• ` before it (read_marks). A word whose reading has
    no bullet keeps its box: debris of a shaded cell's label can be as round as a bullet, and so can a
    dash blurred 2 px. A bullet read as a word of its own gives the next word a space before it where it
    stands a space apart, and a second reading of the same dot (`*` boxed over `ㆍ`) is dropped."""
    replaced: dict[int, Word] = {}
    for line in _text_lines(words):
        first = line[0]
        if (em := _hangul_height(line)) is None:
            continue
        if first.text in BULLET_READINGS:
            if len(line) > 1 and _is_bullet(image, first, line):
                replaced.update(_after_bullet(image, first, line, em))
        elif (lead := LEADING_BULLET.match(first.text)) and (end := _bullet_end(image, first, line, em)) is not None:
            box = dataclasses.replace(first.box, x0=end)
            replaced[first.index] = dataclasses.replace(first, box=box, text=first.text[lead.end() :], lead="• ")
    return [replaced.get(w.index, w) for w in words]


def _after_bullet(image: Image.Image, bullet: Word, line: list[Word], em: float) -> dict[int, Word]:
    """The words after a bullet read as a word of its own (bullets_apart), changed: another reading of
    its dot dropped, and so is a bullet's reading between it and the next word with no bullet's ink of
    its own (Noto: `ㆍ` boxed tall over the gap before `SQL과`, read 44 sure); the next word spaced where
    it stands SPACE_GAP apart."""
    changed = {}
    box = bullet.box
    rest = line[1:]
    leading = [w.index for w in itertools.takewhile(lambda w: w.text in BULLET_READINGS, rest)]
    for word in rest:
        overlap = min(box.x1, word.box.x1) - max(box.x0, word.box.x0)
        same_dot = word.text in BULLET_READINGS and overlap >= 0.5 * min(box.width, word.box.width)
        no_dot = word.index in leading and len(leading) < len(rest) and not _is_bullet(image, word, line)
        if same_dot or no_dot:
            changed[word.index] = dataclasses.replace(word, text="")
    following = next((w for w in rest if w.index not in changed), None)
    if following is not None and not following.space_before and following.box.x0 - box.x1 >= SPACE_GAP * em:
        changed[following.index] = dataclasses.replace(following, space_before=True)
    return changed


@dataclasses.dataclass(frozen=True)
class _Dot:
    x0: int  # page x span of its ink
    x1: int
    tight: bool  # letters hug it on both sides (INTERPUNCT_TIGHT)


def _with_interpuncts(image: Image.Image, words: list[Word]) -> list[Word]:
    """The words with every interpunct between two letters written `·`. tesseract drops a small one
    (`베트남·태국` read `베트남 태국` or `베트남태국`) or reads it `:`, `-`, `*` or `'`; told by its ink, a
    small round dot halfway up the line with letters close on both sides (_interpuncts), it is
    written in: between two words it joins them (or stands between them, spaced, where they are a space
    apart); inside a word it replaces the one mark tesseract read between two letters there, or, in a
    word of Hangul alone, is put between the syllables it stands between."""
    by_index = {w.index: w for w in words}
    if len(by_index) != len(words):
        return words  # words are told apart by tesseract's index
    for line in _text_lines(words):
        if (em := _hangul_height(line)) is None:
            continue
        for dot in _interpuncts(image, line, em):
            current = [by_index[w.index] for w in line if by_index[w.index].text]
            _write_interpunct(dot, current, by_index, em)
    return [by_index[w.index] for w in words]


def _with_spaces_beside_marks(image: Image.Image, words: list[Word]) -> list[Word]:
    """The words with a space written beside a tilde, bullet, arrow or dash (SPACED_MARKS) where the gap
    between its ink and the glyph beside it is a space's (SPACE_GAP). tesseract joins them where the
    typeface's space is narrow (Noto Sans KR's is 0.22 em, and its `•` and `~` have little side
    bearing): `• 이커머스` read `•이커머스`, `2017.03 ~ 2019.08` read `2017.03~2019.08`. A mark at the end
    of a word gives the next word a space before it (`space_before`); one inside a word is spaced in
    its text. Each mark is told in its word's ink (_mark_runs), so a reading of something else as a
    mark is left alone."""
    replaced: dict[int, Word] = {}
    page_em = _hangul_height(words)  # for a line of no Hangul (`2017.03~2019.12` alone in its line)
    for line in _text_lines(words):
        if (em := _hangul_height(line) or page_em) is None:
            continue
        gap = SPACE_GAP * min(em, page_em or em)
        found = {}  # index: (runs, marks) of each word with a spaced mark (_mark_runs)
        for before, word, after in zip([None, *line[:-1]], line, [*line[1:], None], strict=True):
            if not any(c in SPACED_MARKS for c in word.text):
                continue
            runs, marks = found[word.index] = _mark_runs(image, word, em, word.box.x0, word.box.x1)
            if len(marks) < sum(c in SPACED_MARKS for c in word.text):
                # A mark at a word's end can lie outside its box (`2020.01~` boxed without its `~`).
                x0 = before.box.x1 if before and word.text[0] in MIDLINE_MARKS else word.box.x0
                x1 = after.box.x0 if after and word.text[-1] in MIDLINE_MARKS else word.box.x1
                if (x0, x1) != (word.box.x0, word.box.x1):
                    found[word.index] = _mark_runs(image, word, em, min(x0, word.box.x0), max(x1, word.box.x1))
                if after and word.text[-1] in MIDLINE_MARKS and len(word.text) - 1 not in found[word.index][1]:
                    found[word.index] = _mark_in_next_box(image, word, after, em, min(x0, word.box.x0))
        for before, word in zip([None, *line], line, strict=False):
            runs, marks = found.get(word.index, ([], {}))
            text = _spaced_inside(word.text, runs, marks, gap)
            space_before = word.space_before
            if before is not None and not space_before and word.index > before.index:
                before_runs, before_marks = found.get(before.index, ([], {}))
                if before_marks.get(len(before.text) - 1) == len(before_runs) - 1:  # it ends in a mark
                    space_before = _first_ink(image, word, before_runs[-1][1]) - before_runs[-1][1] >= gap
                elif marks.get(0) == 0:  # this word starts with one
                    space_before = runs[0][0] - before.box.x1 >= gap
            if (text, space_before) != (word.text, word.space_before):
                replaced[word.index] = dataclasses.replace(word, text=text, space_before=space_before)
    return [replaced.get(w.index, w) for w in words]


def _mark_in_next_box(
    image: Image.Image, word: Word, after: Word, em: float, x0: int
) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """_mark_runs of a word whose last mark lies inside the next word's box: Noto Sans KR's `2020.01 ~ 현재`
    is boxed `2020.01~` up to the `1` and `현` from the tilde's first column on. The word's runs are
    looked for up to the end of the first run of ink past its own box, within an em into that box, and
    the mark is that run; none where it is not there."""
    runs, _ = _mark_runs(image, word, em, x0, min(after.box.x1, after.box.x0 + round(em)))
    past = next((end for start, end in runs if start >= word.box.x1), None)
    if past is None:
        return runs, {}
    runs, marks = _mark_runs(image, word, em, x0, past)
    return (runs, marks) if marks.get(len(word.text) - 1) == len(runs) - 1 else (runs, {})


def _first_ink(image: Image.Image, word: Word, x: int) -> int:
    """Page x of a word's first inked column from `x` on: its box's left edge, unless that lies before
    `x` (a mark of the word before inside its box, _mark_in_next_box)."""
    box = word.box
    if box.x0 >= x or box.x1 <= x:
        return box.x0
    ink = _ink_between(image, box, x, box.x1)
    columns = np.flatnonzero(ink.any(axis=0)) if ink is not None else np.array([], int)
    return x + int(columns[0]) if columns.size else box.x0


def _mark_runs(
    image: Image.Image, word: Word, em: float, x0: int, x1: int
) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """The runs of inked columns of a word's rows between page x `x0` and `x1` (its box, or more where
    a mark may lie past it), in page x, [start, end); and for each spaced mark of its text told in
    them, its run: {text position: run}. A word that is one mark is one run, its box, if shaped as the
    mark (_shaped_as). In a longer word the marks are the runs whose ink stays clear of the box's top
    and bottom (MIDLINE_CLEAR): the k-th such run is the k-th mark of MIDLINE_MARKS in the text; where
    the counts differ (a mark touching a glyph, a reading that left one out, a speck) none is told."""
    box, text = word.box, word.text
    if len(text) == 1:
        return [(box.x0, box.x1)], ({0: 0} if _shaped_as(text, box.width, box.height, em) else {})
    ink = _ink_between(image, box, x0, x1)
    if ink is None:
        return [], {}
    runs = _column_runs(ink)
    spans = []  # (run, ink height) of the runs clear of the box's top and bottom
    for k, (a, b) in enumerate(runs):
        top, bottom = _main_band(ink[:, a:b])
        if top >= MIDLINE_CLEAR * em and ink.shape[0] - 1 - bottom >= MIDLINE_CLEAR * em:
            spans.append((k, bottom - top + 1))
    positions = [i for i, c in enumerate(text) if c in MIDLINE_MARKS]
    page_runs = [(x0 + a, x0 + b) for a, b in runs]
    if len(positions) != len(spans):
        return page_runs, {}
    marks = {
        i: k
        for i, (k, height) in zip(positions, spans, strict=True)
        if _shaped_as(text[i], runs[k][1] - runs[k][0], height, em)
    }
    return page_runs, marks


def _main_band(ink: np.ndarray) -> tuple[int, int]:
    """First and last row of the band of inked rows holding the most ink of a run of columns: its glyph
    without the specks of a noisy scan above or below it (a speck 4 px under a tilde doubled its height,
    and it no longer passed as flat)."""
    counts = ink.sum(axis=1)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], (counts > 0).astype(np.int8), [0]))))
    bands = list(zip(edges[::2], edges[1::2], strict=True))
    top, end = max(bands, key=lambda band: counts[band[0] : band[1]].sum())
    return int(top), int(end) - 1


def _column_runs(ink: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of inked columns of a crop's ink, left to right."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], ink.any(axis=0).astype(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _shaped_as(mark: str, width: int, height: int, em: float) -> bool:
    """Whether ink `width` x `height` px can be the spaced `mark`: at least MARK_WIDTH wide (a speck
    is none), a bullet about as wide as tall, a dash, tilde or arrow FLAT_MARK times as wide at least
    (an interpunct read `-` is round)."""
    if mark not in SPACED_MARKS or width < MARK_WIDTH * em:
        return False
    return width <= 2 * height if mark == "•" else width >= FLAT_MARK * height


def _spaced_inside(text: str, runs: list[tuple[int, int]], marks: dict[int, int], gap: float) -> str:
    """A word's text with a space beside each of its marks (_mark_runs) that stands at least `gap` px
    apart from the ink beside it."""
    spaced = set()  # text positions a space goes before
    for i, k in marks.items():
        if i > 0 and text[i - 1] != " " and k > 0 and runs[k][0] - runs[k - 1][1] >= gap:
            spaced.add(i)
        if i + 1 < len(text) and text[i + 1] != " " and k + 1 < len(runs) and runs[k + 1][0] - runs[k][1] >= gap:
            spaced.add(i + 1)
    return "".join(f" {c}" if i in spaced else c for i, c in enumerate(text)) if spaced else text


def _write_interpunct(dot: _Dot, line: list[Word], by_index: dict[int, Word], em: float) -> None:
    """Writes one interpunct into the words of its line (see _with_interpuncts)."""
    centre = (dot.x0 + dot.x1) / 2
    around = [w for w in line if w.box.x0 <= centre <= w.box.x1]
    # tesseract's own reading of the dot, a word of marks over the dot's ink (its box may overlap the words
    # beside it, or be a sliver of the dot's: `-` boxed 1 px wide at its right edge) ...
    over = [w for w in line if w.box.x0 <= dot.x1 and w.box.x1 >= dot.x0]
    mark = next((w for w in over if all(c in INTERPUNCT_READINGS for c in w.text)), None)
    before = after = None
    if mark is None and around:  # ... or a word that took the dot into its box
        holder = around[0]
        if holder.box.x1 - dot.x1 <= INTERPUNCT_EDGE * em:
            before = holder  # at its end: read as nothing, or as a mark ending the word (`남'`)
        elif dot.x0 - holder.box.x0 <= INTERPUNCT_EDGE * em:
            after = holder
        else:
            if (text := _dot_in_word(holder, dot)) is not None:
                by_index[holder.index] = dataclasses.replace(holder, text=text)
            return
    if mark is not None:  # its neighbours in tesseract's reading order (boxes can overlap the mark)
        before = max((w for w in line if w.index < mark.index), key=lambda w: w.index, default=None)
        after = min((w for w in line if w.index > mark.index), key=lambda w: w.index, default=None)
    else:
        others = [w for w in line if w is not before and w is not after]
        before = before or max((w for w in others if w.box.x1 <= centre), key=lambda w: w.box.x1, default=None)
        after = after or min((w for w in others if w.box.x0 >= centre), key=lambda w: w.box.x0, default=None)
    if before is None or after is None:
        return
    left, right = _without_mark(before.text, end=True), _without_mark(after.text, end=False)
    if not left[-1:].isalnum() or not right[:1].isalnum():
        return
    if dot.tight and not (_is_hangul(left[-1]) or _is_hangul(right[0])):
        return  # set tight between Latin letters or digits: a period or a mark of their own (`A·B` is rare)
    if mark is not None:
        by_index[mark.index] = dataclasses.replace(mark, text="")  # written as `·` below
    if dot.tight:
        joined = Box(before.box.x0, min(before.box.y0, after.box.y0), after.box.x1, max(before.box.y1, after.box.y1))
        by_index[before.index] = dataclasses.replace(before, text=f"{left}·{right}", box=joined)
        by_index[after.index] = dataclasses.replace(after, text="")
    else:
        by_index[before.index] = dataclasses.replace(before, text=f"{left} ·")
        by_index[after.index] = dataclasses.replace(after, text=right)


def _dot_in_word(word: Word, dot: _Dot) -> str | None:
    """A word's text with the interpunct inside its box written in: in place of the one mark read
    between two letters (one of them Hangul), or in a word of syllables alone (of one width), after
    the syllables left of it; None when neither fits."""
    text = word.text
    marks = [
        i
        for i in range(1, len(text) - 1)
        if text[i] in INTERPUNCT_READINGS
        and text[i - 1].isalnum()
        and text[i + 1].isalnum()
        and (_is_hangul(text[i - 1]) or _is_hangul(text[i + 1]))
    ]
    if len(marks) == 1:
        return text[: marks[0]] + "·" + text[marks[0] + 1 :]
    if marks or len(text) < 2 or not all(map(_is_hangul, text)):
        return None
    pitch = (word.box.x1 - word.box.x0 - (dot.x1 - dot.x0)) / len(text)
    syllables = (dot.x0 - word.box.x0) / pitch
    k = round(syllables)
    if not (1 <= k < len(text) and abs(syllables - k) <= 0.3):
        return None
    return text[:k] + "·" + text[k:]


def _without_mark(text: str, *, end: bool) -> str:
    """`text` less a mark tesseract read for the dot at its end (or start): `남'` -> `남`."""
    if end and len(text) >= 2 and text[-1] in INTERPUNCT_READINGS and text[-2].isalnum():
        return text[:-1]
    if not end and len(text) >= 2 and text[0] in INTERPUNCT_READINGS and text[1].isalnum():
        return text[1:]
    return text


def _is_hangul(char: str) -> bool:
    return "가" <= char <= "힣"


def _interpuncts(image: Image.Image, line: list[Word], em: float) -> list[_Dot]:
    """The interpuncts of a line, left to right: pieces of ink INTERPUNCT_SIZE across, about as wide as
    tall and filling most of their box, printed dark at their core, alone in their columns (a colon is
    two dots one above the other; the tick of `ㅓ` touches its stem), with a letter's ink within
    INTERPUNCT_REACH on both sides (dust in a word gap stands apart) and centred INTERPUNCT_MIDDLE down
    the words boxed beside it (a period sits on their baseline). Pieces are taken at a faint threshold
    (INTERPUNCT_FAINT of the paper): at the dark one a photo's thin stroke breaks into dots."""
    top = float(np.median([w.box.y0 for w in line if any(map(_is_hangul, w.text))]))
    y0 = max(0, int(top - 0.25 * em))  # on the page: PIL fills a crop beyond its edge black
    x0 = max(0, line[0].box.x0 - 2)
    strip = np.asarray(image.crop((x0, y0, line[-1].box.x1 + 2, int(top + 1.25 * em))))
    if strip.size == 0:
        return []
    paper = float(np.percentile(strip, 90))
    ink = (strip < INTERPUNCT_FAINT * paper).astype(np.uint8)
    # The em and top of the line's Hangul from its ink: tesseract boxes a syllable read alone now and
    # then half as tall again as it is (a 9 pt Myeongjo line: 24-25 px of ink, boxes of 39).
    extents = []
    for word in line:
        if any(map(_is_hangul, word.text)):
            rows = np.flatnonzero(
                ink[max(0, word.box.y0 - y0) : word.box.y1 - y0, word.box.x0 - x0 : word.box.x1 - x0].any(axis=1)
            )
            if rows.size:
                extents.append((max(0, word.box.y0 - y0) + rows[0], rows[-1] - rows[0] + 1))
    if extents:
        top, em = y0 + float(np.median([e[0] for e in extents])), float(np.median([e[1] for e in extents]))
    count, labels, stats = components(ink)
    # Letters' pieces: larger than a dot either way (the bar of `ㅜ` is flat, the stem of `ㅏ` thin).
    letters = stats[1:][stats[1:, 2:4].max(axis=1) > INTERPUNCT_SIZE[1] * em]
    band_top, band_bottom = int(top - y0), int(top - y0 + em)  # the line's Hangul, in the strip
    margin = max(1, round(0.04 * em))
    specks = max(2.0, (INTERPUNCT_SIZE[0] * em) ** 2)  # pixels of noise, not ink beside the dot
    widths, heights, areas = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    sized = (
        (np.minimum(widths, heights) >= INTERPUNCT_SIZE[0] * em)
        & (np.maximum(widths, heights) <= INTERPUNCT_SIZE[1] * em)
        & (widths >= 0.6 * heights)
        & (widths <= 1.7 * heights)
        & (areas >= 0.5 * widths * heights)
    )
    sized[0] = False  # the paper
    right_ends = letters[:, 0] + letters[:, 2]
    dots = []
    for i in np.flatnonzero(sized):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if strip[y : y + h, x : x + w].min() >= INTERPUNCT_CORE * paper:
            continue  # no printed core: grain, or the faint edge of something
        columns = labels[band_top:band_bottom, max(0, x - margin) : x + w + margin]
        if any(stats[j, cv2.CC_STAT_AREA] > specks for j in np.setdiff1d(columns, [0, i])):
            continue
        if _colon_partner(image, (x0 + x - margin, y0 + y, x0 + x + w + margin, y0 + y + h), em, paper, specks):
            continue
        left = letters[(right_ends <= x) & (right_ends >= x - INTERPUNCT_REACH * em)]
        right = letters[(letters[:, 0] >= x + w) & (letters[:, 0] <= x + w + INTERPUNCT_REACH * em)]
        if not len(left) or not len(right):
            continue
        start, end = x0 + x - INTERPUNCT_REACH * em, x0 + x + w + INTERPUNCT_REACH * em
        near = [word.box for word in line if word.box.x1 >= start and word.box.x0 <= end]
        if not near:  # ink tesseract read no word from: nothing to place the dot by
            continue
        upper, lower = min(b.y0 for b in near), max(b.y1 for b in near)  # the words beside it, as tesseract boxed them
        middle = (y0 + y + h / 2 - upper) / max(1, lower - upper)
        if not INTERPUNCT_MIDDLE[0] <= middle <= INTERPUNCT_MIDDLE[1]:
            continue
        gaps = x - int(right_ends[right_ends <= x].max()) + int(right[:, 0].min()) - (x + w)
        dots.append(_Dot(x0 + x, x0 + x + w, gaps < INTERPUNCT_TIGHT * em))
    return sorted(dots, key=lambda d: d.x0)


def _colon_partner(
    image: Image.Image, column: tuple[int, int, int, int], em: float, paper: float, specks: float
) -> bool:
    """Ink straight above or below a dot (`column`: its box widened by the margin, on the page) within
    COLON_REACH of its centre: a colon's other dot. Looked for on the page, not in the line's strip: on a
    slanted line (a photo) the words beside a colon sit lower or higher than the line's Hangul overall,
    and its lower dot may lie below the strip (`이메일:` read `이메일 ·`)."""
    left, top, right, bottom = column
    middle = (top + bottom) / 2
    y0 = max(0, int(middle - COLON_REACH * em))  # within the page: PIL fills a crop beyond its edge black
    y1 = min(image.height, int(middle + COLON_REACH * em) + 1)
    window = np.asarray(image.crop((max(0, left), y0, min(image.width, right), y1)))
    if window.size == 0:
        return False
    ink = (window < INTERPUNCT_FAINT * paper).astype(np.uint8)
    count, labels, stats = components(ink)
    own = labels[max(0, top - y0) : bottom - y0].ravel()
    return any(stats[j, cv2.CC_STAT_AREA] > specks for j in np.setdiff1d(np.arange(1, count), own))


def _left_out(image: Image.Image, lines: dict[tuple[int, int, int], list[Word]]) -> dict[int, str]:
    """Arrows and marks tesseract left out altogether (no word where they stand), by the index of the
    word before them: in every gap of at least GAP_EMS between two words of a line (left to right), the
    largest piece of ink that fits the line is looked at as arrow_direction looks at a word, or, in a gap
    of MARK_GAP, as _section_mark looks at one."""
    dropped = {}
    for line in lines.values():
        em = float(np.median([w.box.height for w in line]))
        hangul_em = _hangul_height(line)
        top, bottom = min(w.box.y0 for w in line), max(w.box.y1 for w in line)
        for before, after in zip(line, line[1:], strict=False):
            x0, x1 = before.box.x1 + 1, after.box.x0 - 1
            if x1 - x0 < GAP_EMS * em:
                continue
            gap = np.asarray(image.crop((x0, top, x1, bottom)))
            if hangul_em and x1 - x0 >= MARK_GAP * hangul_em and (mark := _section_mark(gap, hangul_em, whole=False)):
                dropped[before.index] = mark  # a section mark or check box (`이상 ◀ 우대`)
                continue
            ink = (gap < 0.6 * float(np.percentile(gap, 90))).astype(np.uint8)
            count, _, stats = components(ink)
            if count < 2:
                continue
            biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
            x, y, w, h, _ = stats[biggest]
            if w < MIN_WIDTH_PX or h >= 0.8 * em or x == 0 or x + w >= gap.shape[1]:
                continue  # too small, too tall, or part of a glyph of the word beside the gap
            margin = max(2, int(h) // 2)
            crop = image.crop((x0 + x - 2, top + y - margin, x0 + x + w + 2, top + y + h + margin))
            direction = arrow_direction(np.asarray(crop))
            if direction:
                dropped[before.index] = direction
    return dropped


def _whole_glyph(image: Image.Image, word: Word, line: list[Word]) -> tuple[tuple[int, int], np.ndarray | None]:
    """A crop of the whole piece of ink that a mark's box cuts into, when the box holds only part of
    it: tesseract's box of an arrow it reads as `-` or `ㅡ` is now and then its shaft alone (9 px wide
    for a 23 px arrow) or a tall sliver. The piece is looked for within the line's band (from the other
    words of the line) and two line heights either side; one that runs on past that window is part
    of something larger, and one no wider than the box adds nothing. Returns the piece's x span on the
    page (the box's when there is none) and the crop."""
    span = (word.box.x0, word.box.x1)
    others = [w for w in line if w is not word] or [word]
    em = float(np.median([w.box.height for w in others]))
    middle = float(np.median([w.box.cy for w in others]))
    x0, top = int(word.box.x0 - 2 * em), int(middle - em)
    window = np.asarray(image.crop((x0, top, int(word.box.x1 + 2 * em), int(middle + em))))
    pieces = _ink_pieces(window)
    if pieces is None:
        return span, None
    _, labels, stats = pieces
    inside = labels[:, max(0, word.box.x0 - x0) : word.box.x1 - x0]
    counts = np.bincount(inside.ravel(), minlength=len(stats))
    counts[0] = 0
    if not counts.any():
        return span, None
    x, y, w, h, _ = stats[int(np.argmax(counts))]
    if x == 0 or y == 0 or x + w >= window.shape[1] or y + h >= window.shape[0] or w <= word.box.x1 - word.box.x0 + 1:
        return span, None
    margin = max(2, int(h) // 2)
    crop = image.crop((x0 + x - 2, top + y - margin, x0 + x + w + 2, top + y + h + margin))
    return (int(x0 + x), int(x0 + x + w)), np.asarray(crop)


def _crop(image: Image.Image, word: Word) -> np.ndarray:
    box, margin = word.box, max(2, word.box.height // 2)
    return np.asarray(image.crop((box.x0 - 2, box.y0 - margin, box.x1 + 2, box.y1 + margin)))  # white off-page


def _is_bullet(image: Image.Image, dot: Word, line: list[Word]) -> bool:
    """One round, filled blob at least BULLET_SIZE as tall as the Hangul words of its line."""
    if (blob := _one_blob(image, dot, line)) is None:
        return False
    em, width, height, area = blob
    round_ = 0.7 <= width / height <= 1.4 and area >= 0.6 * width * height
    return round_ and max(width, height) >= BULLET_SIZE * em


def _bullet_end(image: Image.Image, word: Word, line: list[Word], em: float) -> int | None:
    """Page x where the rest of a word begins when its first ink is a bullet (_is_bullet, no larger
    than BULLET_MAX: a `●` is a section mark) floating clear of the word's top and bottom a space apart
    from the rest (SPACE_GAP); else None."""
    box = word.box
    ink = _ink_between(image, box, box.x0, box.x1)
    if ink is None:
        return None
    runs = _column_runs(ink)
    if len(runs) < 2 or runs[1][0] - runs[0][1] < SPACE_GAP * em:
        return None
    rows = np.flatnonzero(ink[:, runs[0][0] : runs[0][1]].any(axis=1))
    if rows[0] < MIDLINE_CLEAR * em or ink.shape[0] - 1 - rows[-1] < MIDLINE_CLEAR * em:
        return None
    dot = Box(box.x0 + runs[0][0], box.y0 + int(rows[0]), box.x0 + runs[0][1], box.y0 + int(rows[-1]) + 1)
    if max(dot.width, dot.height) > BULLET_MAX * em or not _is_bullet(image, dataclasses.replace(word, box=dot), line):
        return None
    return box.x0 + runs[1][0]


def _is_dash(image: Image.Image, mark: Word, line: list[Word]) -> bool:
    """One flat, straight bar of ink (DASH_FLAT, DASH_LONG, DASH_FILL): a dash read as `~`. On a line
    with no Hangul (`- TOEIC 890 (2023.08)`) the em is its other words' median height."""
    em = _hangul_height(line) or _words_height([w for w in line if w is not mark])
    if (blob := _one_blob(image, mark, line, em)) is None:
        return False
    em, width, height, area = blob
    return height <= DASH_FLAT * em and width >= DASH_LONG * height and area >= DASH_FILL * width * height


def _alone(word: Word, line: list[Word]) -> bool:
    """No other word of the line within DASH_ALONE of its em beside `word` (a mark alone in a cell)."""
    em = _hangul_height(line)
    gaps = [max(w.box.x0 - word.box.x1, word.box.x0 - w.box.x1) for w in line if w is not word and w.text]
    return em is not None and bool(gaps) and min(gaps) >= DASH_ALONE * em


def _one_blob(
    image: Image.Image, mark: Word, line: list[Word], em: float | None = None
) -> tuple[float, int, int, int] | None:
    """The em of the mark's line (`em`, else its Hangul's height) and the width, height and area of the
    mark's ink, when it is one piece and the line has an em; else None."""
    em = em or _hangul_height(line)
    if em is None:
        return None
    piece = _one_piece(_crop(image, mark))
    if piece is None:
        # tesseract boxes a mark now and then half as tall again as its line and off its ink (a bullet
        # read `*` on a photo, boxed 37 px tall on a line of 23 beside its dot): its crop then reaches
        # into the lines above and below and cuts the mark. Looked at again within its line's band, from
        # the word before it to the word after it.
        piece = _one_piece(_crop_in_line(image, mark, line, em))
    if piece is None:
        return None  # nothing, or more than one piece
    width, height, area = piece
    return em, width, height, area


def _one_piece(crop: np.ndarray) -> tuple[int, int, int] | None:
    """Width, height and area of the one piece of ink of a crop, specks beside it (SPECK_SHARE of its
    area: a scanner's noise under a bullet) left out; None when it has none or more than one."""
    pieces = _ink_pieces(crop)
    if pieces is None:
        return None
    areas = pieces[2][1:, cv2.CC_STAT_AREA]
    large = np.flatnonzero(areas >= SPECK_SHARE * areas.max())
    if len(large) != 1:
        return None
    _, _, width, height, area = (int(v) for v in pieces[2][1 + large[0]])
    return width, height, area


def _crop_in_line(image: Image.Image, mark: Word, line: list[Word], em: float) -> np.ndarray:
    """The page around a mark: across, up to 0.3 em past its box but short of the words beside it;
    down, the band of the other words of its line (their median top and bottom) and 0.15 em more."""
    others = [w for w in line if w is not mark and w.text]
    if not others:
        return _crop(image, mark)
    top = float(np.median([w.box.y0 for w in others])) - 0.15 * em
    bottom = float(np.median([w.box.y1 for w in others])) + 0.15 * em
    reach = 0.3 * em
    left = max([mark.box.x0 - reach] + [w.box.x1 + 1 for w in others if w.box.x1 <= mark.box.x0])
    right = min([mark.box.x1 + reach] + [w.box.x0 - 1 for w in others if w.box.x0 >= mark.box.x1])
    box = (max(0, int(left)), max(0, int(top)), min(image.width, int(right)), min(image.height, int(bottom)))
    return np.asarray(image.crop(box))


def _unsure_short(word: Word) -> bool:
    return 0 < len(word.text) <= 2 and word.confidence < 90


def _words_height(words: list[Word]) -> float | None:
    """Median height of the words with a letter or digit, or None if there are none."""
    heights = [w.box.height for w in words if any(c.isalnum() for c in w.text)]
    return float(np.median(heights)) if heights else None


def _hangul_height(line: list[Word]) -> float | None:
    """Median height of a line's words with Hangul (the line's em), or None if it has none."""
    heights = [w.box.height for w in line if any(map(_is_hangul, w.text))]
    return float(np.median(heights)) if heights else None


def _mark_of_word(image: Image.Image, word: Word, line: list[Word], em: float, starts_line: bool) -> str | None:
    """The text of a word with the section mark or check box it is or follows (`■ 학력사항`, `▶ 담당업무`,
    `□ 신입 ■ 경력`), or None. tesseract has no reading for most marks: it writes `&@`, `m`, `톨`, `를` or
    `0` for `■`, `@` for `●`, `>` for `▶`, `<>` for `◇` (MARK_SHAPES), or nothing at all, the mark left
    out of every word. A short word that could be one (_could_be_mark) is looked at in place, anywhere
    in its line (check boxes); a word's first characters when they are not its Hangul (`<>담당업무`,
    `0 경력`, `[인턴`), at its left end; the ink just left of a line's first word otherwise (a section
    mark in no word). `em`: the height of the line's Hangul."""
    if _could_be_mark(word):
        crop, span = _crop(image, word), (word.box.x0, word.box.x1)
        mark = _section_mark(crop, em)
        if mark is not None or _cut_at_side(crop):  # tesseract boxed part of it (`@`: half a `●`)?
            span, whole = _whole_glyph(image, word, line)
            if whole is not None:
                mark = _section_mark(whole, em)
        # A syllable of a word, blurred or dithered, is a blob of any shape (`을` a disc, `에` a
        # triangle, `움` read `3`): a mark stands apart from the glyphs beside it, and one read as
        # Hangul is a square (tesseract reads `■` as `를` or `톨`; a blurred `호` is a triangle).
        if mark is None or (any(map(_is_hangul, word.text)) and mark not in SQUARE_MARKS):
            return None
        return mark if _clear_beside(image, span, word.box, em) else None
    if lead := _LEADING_MARK.match(word.text):
        # The mark read as the word's first characters or token: its first glyph.
        box, margin = word.box, max(2, word.box.height // 2)
        left = image.crop((box.x0 - 2, box.y0 - margin, min(box.x1, int(box.x0 + MARK_REACH * em)), box.y1 + margin))
        if mark := _section_mark(_first_glyph(np.asarray(left)), em):
            return f"{mark} {word.text[lead.end() :].lstrip()}".rstrip()
    if not starts_line:
        return None
    top, bottom = min(w.box.y0 for w in line), max(w.box.y1 for w in line)
    x0 = max(0, int(word.box.x0 - SQUARE_REACH * em))
    if word.box.x0 - x0 < 0.5 * em:
        return None
    window = np.asarray(image.crop((x0, top, word.box.x0 - 1, bottom)))
    mark = _section_mark(window, em, whole=False)
    return f"{mark} {word.text}" if mark else None


def _clear_beside(image: Image.Image, span: tuple[int, int], box: Box, em: float) -> bool:
    """No ink within MARK_APART of the page's x `span` on either side, in the rows of `box` (a syllable
    split off its word stands closer to the next)."""
    reach = max(2, round(MARK_APART * em))
    x0 = max(0, span[0] - reach)
    ink = _ink_between(image, box, x0, min(image.width, span[1] + reach))
    if ink is None:
        return True
    left, right = span[0] - x0, span[1] - x0
    return not ink[:, max(0, left - reach) : max(0, left - 1)].any() and not ink[:, right + 1 :].any()


def _cut_at_side(crop: np.ndarray) -> bool:
    """Whether ink runs into either side of a word's crop (its box cut a glyph: _whole_glyph finds it)."""
    ink = _otsu_ink(crop)
    return ink is not None and bool(ink[:, 0].any() or ink[:, -1].any())


def _could_be_mark(word: Word) -> bool:
    """A word of one or two characters read unsure, or a short one of no Hangul that is no Latin word
    or number (`@`, `<>`, `(2`, `O`, `*`): a mark's reading, however sure tesseract is of it."""
    text = word.text
    if _unsure_short(word):
        return True
    return 0 < len(text) <= 3 and not any(map(_is_hangul, text)) and (len(text) == 1 or not text.isalnum())


def _first_glyph(crop: np.ndarray) -> np.ndarray:
    """A crop cut after its first run of inked columns (its first glyph, when glyphs stand apart)."""
    ink = _otsu_ink(crop)
    if ink is None:
        return crop
    inked = np.asarray(ink.any(axis=0))
    first = int(np.argmax(inked))
    gaps = np.flatnonzero(~inked[first:])
    return crop if not len(gaps) else crop[:, : first + int(gaps[0]) + 2]


def _section_mark(crop: np.ndarray, em: float, whole: bool = True) -> str | None:
    """The section mark or check box (MARK_SHAPES: `■ □ ● ○ ◆ ◇ ▶ ▷ ◀ ◁ ▲ △ ▼ ▽ ◎ ▣ ◈`) the largest
    piece of ink in a crop is, else None. `whole`: the crop is the mark's own box (else the piece must
    stand clear of the crop's sides). The piece is one glyph of MARK_SIZE, alone but for what lies
    inside it; its outline (holes filled) tells the shape (_outline), the share of the outline it inks
    whether it is filled or hollow, and a hollow mark holds nothing but the inner mark of `◎ ▣ ◈`."""
    pieces = _ink_pieces(crop)
    if pieces is None:
        return None
    count, labels, stats = pieces
    boxes = stats[1:, cv2.CC_STAT_WIDTH] * stats[1:, cv2.CC_STAT_HEIGHT]
    outer = 1 + int(np.argmax(boxes))  # a frame's box holds what is inside it (▣: the fill is more ink)
    x, y, w, h, area = (int(v) for v in stats[outer])
    if not (MARK_SIZE[0] * em <= max(w, h) <= MARK_SIZE[1] * em and 0.6 <= w / h <= 1.67):
        return None
    if not whole and (x == 0 or x + w >= crop.shape[1]):
        return None  # runs on out of the window: part of something larger
    inner = [
        i
        for i in range(1, count)
        if i != outer
        and stats[i, 0] > x
        and stats[i, 1] > y
        and stats[i, 0] + stats[i, 2] < x + w
        and stats[i, 1] + stats[i, 3] < y + h
    ]
    rest = int(stats[1:, cv2.CC_STAT_AREA].sum()) - area - int(stats[inner, cv2.CC_STAT_AREA].sum())
    if rest > 0.15 * area:
        return None  # not alone: a glyph of several strokes
    glyph = labels[y : y + h, x : x + w] == outer
    ink, paper = float(np.percentile(crop[y : y + h, x : x + w][glyph], 10)), float(np.percentile(crop, 90))
    if ink > MARK_DARK * paper:
        return None  # grey to its core: what shading left in a cell, not print
    solid = _filled(glyph)
    shape = _outline(solid)
    if shape is None:
        return None
    inked = glyph.sum() / solid.sum()
    filled, hollow = MARK_SHAPES[shape]
    depth = cv2.distanceTransform(np.pad(solid, 1).astype(np.uint8), cv2.DIST_L2, 3)[1:-1, 1:-1]  # into the outline
    if inked >= MARK_SOLID:
        # Filled through: dark, and its innermost half (by depth in the outline) mostly as dark as its
        # ink. A round glyph blurred shut (`@` at 10 pt: its counters grey, its ink 0.39 of the paper)
        # is a disc to Otsu; a scanned `■` may hold specks of paper.
        middle = crop[y : y + h, x : x + w][depth >= 0.5 * depth.max()]
        if ink > MARK_INK * paper or float(np.median(middle)) > ink + MARK_CORE * (paper - ink):
            return None
        return filled if not inner else None
    if inked > MARK_HOLLOW:
        return None  # half filled: a letter
    if shape == "disc" and not (inked <= RING_INKED and RING_ROUND[0] <= w / h <= RING_ROUND[1] and h >= RING_MIN * em):
        return None  # a letter `O`, the jamo `ㅇ`
    if float(depth[glyph].max()) > MARK_STROKE * min(w, h):
        return None  # ink inside the outline: `@`, a letter in a ring
    if not inner:
        return hollow
    if len(inner) > 1:
        return None  # a letter or a number inside: `©`, a circled number
    i = inner[0]
    ix, iy, iw, ih, iarea = (int(v) for v in stats[i])
    if not (0.35 * w <= iw <= 0.8 * w and 0.35 * h <= ih <= 0.8 * h):
        return None
    core = labels[iy : iy + ih, ix : ix + iw] == i
    core_solid = _filled(core)
    if _outline(core_solid) != shape:
        return None
    core_filled = iarea >= MARK_SOLID * core_solid.sum()
    nested = {("disc", False): "◎", ("square", True): "▣", ("diamond", True): "◈"}
    return nested.get((shape, bool(core_filled)))


def _filled(glyph: np.ndarray) -> np.ndarray:
    """A glyph mask with its holes filled: everything not reached from outside it."""
    outside = np.pad(~glyph, 1, constant_values=True).astype(np.uint8)
    mask = np.zeros((outside.shape[0] + 2, outside.shape[1] + 2), np.uint8)
    cv2.floodFill(outside, mask, (0, 0), 2)
    return (outside != 2)[1:-1, 1:-1]


def _outline(solid: np.ndarray) -> str | None:
    """The shape of a filled outline mask: "square", "disc", "diamond", "right", "left", "up" or "down"
    (triangles by where they point); None for any other (letters, arrows, chevrons)."""
    h, w = solid.shape
    if h < MIN_MARK_PX or w < MIN_MARK_PX:
        return None
    fill = float(solid.mean())
    cols, rows = solid.mean(axis=0), solid.mean(axis=1)
    k = max(1, round(min(w, h) / 8))
    left, right, top, bottom = (
        float(cols[:k].mean()),
        float(cols[-k:].mean()),
        float(rows[:k].mean()),
        float(rows[-k:].mean()),
    )
    across, down = (
        float(rows[h // 2 - k // 2 : h // 2 + k // 2 + 1].max()),
        float(cols[w // 2 - k // 2 : w // 2 + k // 2 + 1].max()),
    )
    square = 0.92 <= w / h <= 1.09  # the jamo `ㅁ`: 1.1-1.45
    if fill >= 0.88 and square:
        return "square"
    corners = [solid[:k, :k], solid[:k, -k:], solid[-k:, :k], solid[-k:, -k:]]
    if (
        0.7 <= fill <= 0.86
        and 0.9 <= w / h <= 1.11
        and max(float(c.mean()) for c in corners) < 0.3
        and down >= 0.9
        and across >= 0.9
    ):
        return "disc"
    contours, _ = cv2.findContours(solid.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.contourArea(cv2.convexHull(max(contours, key=cv2.contourArea)))
    solidity = solid.sum() / max(hull, 1.0)
    if 0.38 <= fill <= 0.66 and solidity >= 0.88:
        if left >= 0.75 and right <= 0.35 and across >= 0.9:
            return "right"
        if right >= 0.75 and left <= 0.35 and across >= 0.9:
            return "left"
        if bottom >= 0.75 and top <= 0.35 and down >= 0.9:
            return "up"
        if top >= 0.75 and bottom <= 0.35 and down >= 0.9:
            return "down"
        if max(left, right, top, bottom) <= 0.35 and across >= 0.85 and down >= 0.85 and 0.85 <= w / h <= 1.18:
            return "diamond"
        return None
    return None


def _ink_pieces(crop: np.ndarray) -> tuple[int, np.ndarray, np.ndarray] | None:
    """(count, labels, stats) of the connected pieces of dark ink in a greyscale crop (Otsu), or None
    when the crop is blank (no contrast: paper and noise only)."""
    ink = _otsu_ink(crop)
    if ink is None:
        return None
    count, labels, stats = components(ink)
    return (count, labels, stats) if count >= 2 else None


def _ink_between(image: Image.Image, box: Box, x0: int, x1: int) -> np.ndarray | None:
    """_otsu_ink of the page between x `x0` and `x1` over the rows of `box` (a word's, or a mark's)."""
    return _otsu_ink(np.asarray(image.crop((x0, box.y0, x1, box.y1))))


def _otsu_ink(crop: np.ndarray) -> np.ndarray | None:
    """The dark ink of a greyscale crop (1) on its paper (0), split by Otsu's threshold; None when the
    crop is blank (no contrast: paper and noise only)."""
    if crop.size == 0 or int(crop.max()) - int(crop.min()) < 48:
        return None
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink
