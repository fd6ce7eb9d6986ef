"""documents.layout on synthetic pages: rules found and erased, cells in rows, reading order, spacing."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from documents import layout
from documents.layout import Box, PageLayout, Table, Word

UNIT = 30.0


def _ruled_table(shade: int = 255) -> np.ndarray:
    """A 1000x700 page: a 3-row x 2-column ruled table, the header row shaded, a little 'text' in each cell."""
    image = Image.new("L", (1000, 700), 245)
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 100, 900, 160], fill=shade)
    for y in (100, 160, 220, 280):
        draw.line([100, y, 900, y], fill=40, width=3)
    for x in (100, 400, 900):
        draw.line([x, 100, x, 280], fill=40, width=3)
    for _row, y in enumerate((120, 180, 240)):
        for x in (130, 430):
            draw.rectangle([x, y, x + 12, y + 20], fill=20)  # a glyph-sized blob per cell
    return np.asarray(image)


def test_plain_text_page_has_no_structure() -> None:
    image = Image.new("L", (600, 800), 245)
    draw = ImageDraw.Draw(image)
    for y in range(60, 700, 30):
        for x in range(50, 520, 14):
            draw.rectangle([x, y, x + 9, y + 12], fill=30)
    assert not layout.needs_layout(np.asarray(image), 15.0)


def test_heading_rules_alone_are_no_layout_and_a_grid_is() -> None:
    image = Image.new("L", (600, 800), 245)
    draw = ImageDraw.Draw(image)
    for y in (100, 400):
        draw.line([40, y, 560, y], fill=40, width=2)  # a rule under each heading
    assert not layout.needs_layout(np.asarray(image), 10.0)
    table = Image.fromarray(_ruled_table()).resize((500, 350))
    assert layout.needs_layout(np.asarray(table), 10.0)


def test_ruled_table_is_found_cells_in_rows_and_rules_erased() -> None:
    page, found = layout.prepare_layout(_ruled_table(shade=200), UNIT)
    assert found.shaded and found.rules >= 2 and found.changed
    assert len(found.tables) == 1
    rows = found.tables[0].rows
    assert [len(row) for row in rows] == [2, 2, 2]
    assert all(row[0].x1 <= row[1].x0 for row in rows)  # left to right
    assert page[190, 600] > 200 and page[220, 600] > 200  # inside a cell and on a former rule: paper
    assert page[188, 435] < 100  # the glyph stays
    assert page[130, 600] > 230  # the shaded header cell is paper now


def test_a_faint_hairline_is_a_rule_on_shading_and_not_on_paper() -> None:
    """A scanned hairline blurred beside a shaded cell comes out 0.85-0.9 of the shading: it still divides
    the shaded header row. On plain paper that contrast stays no rule (it found rules in glyph strokes)."""
    image = Image.fromarray(_ruled_table(shade=200))
    draw = ImageDraw.Draw(image)
    draw.line([400, 102, 400, 158], fill=174, width=3)  # the header row's border: 0.87 of the shading
    draw.line([400, 222, 400, 278], fill=213, width=3)  # the last row's: 0.87 of the paper
    _, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert [len(row) for row in found.tables[0].rows] == [2, 2, 1]


def test_a_table_edge_rule_gone_where_the_borders_end_is_drawn_in() -> None:
    """A photographed table's top rule blurred into its shaded header row's edge: unfound over the left
    cell and missing altogether at the bottom. The cell borders all end there, so the rows are cells."""
    image = Image.new("L", (1000, 700), 245)
    draw = ImageDraw.Draw(image)
    draw.line([400, 100, 900, 100], fill=40, width=3)  # the top rule, found only over the right cell
    for y in (160, 220):
        draw.line([100, y, 900, y], fill=40, width=3)
    for x in (100, 400, 900):
        draw.line([x, 100, x, 280], fill=40, width=3)  # the borders run on to where the rules were
    for y in (120, 180, 240):
        for x in (130, 430):
            draw.rectangle([x, y, x + 12, y + 20], fill=20)
    _, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert [len(row) for row in found.tables[0].rows] == [2, 2, 2]
    assert found.tables[0].rows[0][0].y0 < 120 and found.tables[0].rows[2][0].y1 > 260


def test_light_text_on_a_dark_band_becomes_dark_text_on_paper() -> None:
    """A banner (dark band, light text) on a page with a table: reversed, and its edges are no rules."""
    plain = _ruled_table()
    image = Image.fromarray(plain)
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 400, 900, 470], fill=40)
    for x in range(130, 600, 24):
        draw.rectangle([x, 420, x + 14, 448], fill=250)  # light "glyphs"
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    _, without_band = layout.prepare_layout(plain, UNIT)
    assert found.reversed_bands == 1 and found.changed
    assert page[410, 700] > 200 and page[460, 120] > 200  # the band is paper now
    assert page[430, 137] < 100  # and its light text dark
    assert page[400, 500] > 200 and page[435, 900] > 200  # its edges erased, not read
    assert found.tables == without_band.tables  # the band is no table


def test_a_band_with_a_line_of_text_just_under_it_is_still_a_band() -> None:
    """The closing that fills a band's light text also joins a line of dark text a few pixels under
    it; the joint box was no longer a filled band (a held-out posting's footer bar, CER 0.123)."""
    image = Image.fromarray(_ruled_table())
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 400, 900, 470], fill=40)
    for x in range(130, 600, 24):
        draw.rectangle([x, 420, x + 14, 448], fill=250)  # light "glyphs" in the band
    for x in range(110, 400, 18):
        draw.rectangle([x, 476, x + 12, 496], fill=30)  # a short line of dark text right under it
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert found.reversed_bands == 1
    assert page[430, 137] < 100 and page[410, 700] > 200  # its text dark, its ground paper
    assert page[486, 115] < 100  # the line under it untouched
    for x in range(500, 680, 18):
        draw.rectangle([x, 372, x + 12, 394], fill=30)  # and a short one just above it (a band keeps 0.8)
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert found.reversed_bands == 1 and page[430, 137] < 100 and page[383, 505] < 100


def test_a_photo_or_a_dark_frame_is_no_band() -> None:
    image = Image.fromarray(_ruled_table())
    draw = ImageDraw.Draw(image)
    draw.rectangle([700, 400, 800, 550], fill=40)  # taller than wide: a photo, a logo
    draw.rectangle([100, 600, 900, 660], fill=40)  # all dark: a bar, no text in it
    _, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert found.reversed_bands == 0


def test_short_free_standing_runs_are_no_rules() -> None:
    """The bottom bars of bold syllables side by side (`소프트`) make a run as long as a short rule;
    it is kept unless it meets a cell border or is as long as a heading rule."""
    image = Image.fromarray(_ruled_table())
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 400, 100 + int(4 * UNIT), 404], fill=30)  # 4 line heights, free-standing
    draw.rectangle([100, 500, 100 + int(10 * UNIT), 503], fill=30)  # a heading rule
    page, _ = layout.prepare_layout(np.asarray(image), UNIT)
    assert page[402, 150] < 100  # kept: tesseract reads it as part of the glyphs
    assert page[501, 150] > 200  # erased
    assert page[160, 600] > 200  # the table's rules (they meet its borders) erased as before


def test_the_tops_of_blurred_letters_run_together_from_a_cell_border_are_no_rule() -> None:
    """In a blurred page the tops of a cell's letters run together into a line as long as a short
    rule, and the blur joins it to the cell's left border: it met a border, was kept as a rule and
    erased with half of `PostgreSQL` (a phone photo read `2.`). A run with a body of ink beside it is
    no rule; the table's own rules are still found and erased."""
    from PIL import ImageFilter

    from testsupport.pages import FONT_DIR

    font = ImageFont.truetype(str(FONT_DIR / "NanumBarunGothic.ttf"), 24)
    image = Image.new("L", (1000, 400), 235)
    draw = ImageDraw.Draw(image)
    for y in (100, 150, 200, 250):
        draw.line([100, y, 900, y], fill=60, width=2)
    for x in (100, 300, 900):
        draw.line([x, 100, x, 250], fill=60, width=2)
    for y, words in ((112, "Kotlin, Java, Python"), (162, "PostgreSQL, Redis, Kafka"), (212, "Docker, Kubernetes")):
        draw.text((130, y), "데이터", font=font, fill=40)
        draw.text((308, y), words, font=font, fill=40)
    blurred = np.asarray(image.filter(ImageFilter.GaussianBlur(1.6)))
    page, found = layout.prepare_layout(blurred, 24.0)
    letters = blurred[160:190, 305:600] < 150
    assert np.count_nonzero(letters & (page[160:190, 305:600] >= 250)) < 0.01 * np.count_nonzero(letters)
    (table,) = found.tables
    assert [len(row) for row in table.rows] == [2, 2, 2]
    assert page[150, 500] > 200 and page[175, 300] > 200  # the rules erased


def test_a_picture_in_a_box_is_whitened_and_not_a_table() -> None:
    image = Image.fromarray(_ruled_table())
    draw = ImageDraw.Draw(image)
    draw.rectangle([700, 400, 900, 650], outline=40, width=3)
    draw.ellipse([740, 450, 860, 620], fill=50)  # the photo
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert found.pictures == 1
    assert page[530, 800] > 200
    assert len(found.tables) == 1  # the photo box is not read as a table


def test_a_photo_in_no_box_is_whitened_with_its_backdrop() -> None:
    # An ID photo with no frame found around it: its dark jacket is the picture; the grey backdrop,
    # face and hair around it are no blob dark enough on their own, and came out as text.
    image = Image.fromarray(_ruled_table())
    draw = ImageDraw.Draw(image)
    draw.rectangle([650, 380, 850, 640], fill=185)  # backdrop
    draw.chord([700, 395, 800, 470], 180, 360, fill=35)  # hair
    draw.ellipse([705, 420, 795, 520], fill=200)  # face
    draw.ellipse([660, 540, 840, 700], fill=45)  # jacket, cut by the box's bottom
    draw.rectangle([650, 641, 860, 700], fill=245)
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert found.pictures == 1
    assert page[410:640, 655:845].min() == 255  # hair, face and backdrop too, not the jacket alone
    assert page[240, 130] < 100  # the table's text is untouched


def test_a_cell_whose_rules_do_not_quite_meet_at_a_corner_is_found() -> None:
    # A photographed corner: the top rule stops 12 px short of the left border (and the left border
    # of the next row overshoots a little). Before, the corner cell ran out of the table through the gap.
    grid = np.zeros((400, 900), np.uint8)
    grid[100:103, 112:800] = 1  # top rule, short of the left border
    grid[160:163, 100:800] = 1
    grid[220:223, 100:800] = 1
    grid[95:223, 100:103] = 1  # left border
    grid[100:223, 300:303] = 1
    grid[100:223, 797:800] = 1
    (table,) = layout._find_tables(grid, UNIT)
    assert [len(row) for row in table.rows] == [2, 2]
    assert table.rows[0][0].x0 < 112 and table.rows[0][0].y1 < 165  # the corner cell itself


def _word(index: int, line: int, box: tuple[int, int, int, int], text: str, space: bool = True) -> Word:
    return Word(index, (1, 1, line), Box(*box), text, space)


def test_assemble_reads_rows_cell_by_cell_and_keeps_page_order() -> None:
    cells = ((Box(0, 100, 300, 200), Box(300, 100, 900, 200)),)
    found = PageLayout(tables=[Table(Box(0, 100, 900, 200), cells)])
    words = [
        _word(0, 1, (10, 20, 200, 50), "경력사항"),
        # tesseract's line 2 runs across both cells; the right cell has a second line (line 3)
        _word(1, 2, (10, 110, 120, 140), "2021.09"),
        _word(2, 2, (310, 110, 500, 140), "베트남"),
        _word(3, 3, (310, 150, 500, 180), "바이어 발굴"),
        _word(4, 4, (10, 300, 200, 330), "끝"),
    ]
    assert layout.assemble(words, found) == "경력사항\n2021.09 베트남 바이어 발굴\n끝"


def test_a_rules_stub_beside_a_cell_edge_is_dropped_however_sure() -> None:
    # What a removed column rule leaves at a cell's edge, read as a sure mark (`현재 · 주식회사`: 22 of the
    # 37 lone marks written between words over the evaluation pages): a mark taller than the text, or a
    # `1` on the edge itself.
    cells = ((Box(0, 100, 300, 200), Box(300, 100, 900, 200)),)
    found = PageLayout(tables=[Table(Box(0, 100, 900, 200), cells)])

    def word(index: int, x0: int, x1: int, y0: int, y1: int, text: str, confidence: float = 90.0) -> Word:
        return Word(index, (1, 1, 1), Box(x0, y0, x1, y1), text, True, confidence)

    text = [word(0, 10, 120, 120, 150, "2025.01"), word(1, 140, 200, 120, 150, "현재"),
            word(2, 360, 480, 120, 150, "주식회사"), word(3, 500, 700, 120, 150, "세움")]  # fmt: skip
    stubs = [word(4, 285, 295, 110, 170, "ㆍ", 80.0), word(5, 298, 306, 120, 150, "1", 93.0)]
    assert layout.assemble(text + stubs, found) == "2025.01 현재 주식회사 세움"
    kept = [
        word(6, 312, 318, 132, 138, "·"),  # a bullet: as small as marks are
        word(7, 705, 712, 110, 170, ","),  # a tall box mid-cell: not at an edge
        word(8, 330, 340, 120, 150, "1"),  # a digit inside the cell, not on its edge
    ]
    assert layout.assemble(text + kept, found) == "2025.01 현재 · 1 주식회사 세움 ,"


def test_text_beside_a_column_rule_is_stacked_left_column_first() -> None:
    image = Image.new("L", (1000, 1200), 245)
    draw = ImageDraw.Draw(image)
    draw.line([500, 100, 500, 1000], fill=60, width=3)  # the column rule, 30 line heights long
    for y in range(120, 900, 60):
        for x in range(100, 400, 24):
            draw.rectangle([x, y, x + 16, y + 20], fill=20)  # left column "lines" of glyphs
    for x in range(600, 900, 24):
        draw.rectangle([x, 120, x + 16, 140], fill=20)  # the right column's first line, beside the left's first
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert found.restacked and not found.tables
    assert page.shape[0] > 1200  # the band beside the rule was split in two, one under the other
    rows_with_ink = np.flatnonzero((page[:, 600:900] < 100).any(axis=1))
    assert rows_with_ink.min() > 1000  # the right column now starts below the whole left column
    assert (page[:, 480:520] > 200).all()  # the rule is gone


def test_a_table_in_the_right_column_is_found_where_the_column_was_stacked() -> None:
    # The tables are looked for on a second thread while the rules are erased: on the grid as stacked,
    # so that a cell's box holds its text in the page tesseract reads.
    image = Image.new("L", (1000, 1200), 245)
    draw = ImageDraw.Draw(image)
    draw.line([500, 100, 500, 1000], fill=60, width=3)  # the column rule
    for y in range(120, 900, 60):
        for x in range(100, 400, 24):
            draw.rectangle([x, y, x + 16, y + 20], fill=20)  # the left column's lines
    for y in (200, 260, 320):
        draw.line([560, y, 940, y], fill=40, width=3)  # a 2 x 2 table in the right column
    for x in (560, 750, 940):
        draw.line([x, 200, x, 320], fill=40, width=3)
    for y in (220, 280):
        for x in (580, 770):
            draw.rectangle([x, y, x + 12, y + 20], fill=20)  # a glyph in each cell
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    (table,) = found.tables
    assert found.restacked and [len(row) for row in table.rows] == [2, 2]
    assert table.box.y0 > 900  # below the whole left column, as the right column now is
    for cell in (c for row in table.rows for c in row):
        assert page[cell.y0 : cell.y1, cell.x0 : cell.x1].min() < 100  # its glyph is in it


def test_a_long_line_near_the_image_edge_is_no_column_rule() -> None:
    """A photographed desk's grain gave a run 7-29 px from the edge: no column of text fits beside it."""
    image = Image.new("L", (1000, 1200), 245)
    draw = ImageDraw.Draw(image)
    draw.line([40, 100, 40, 1000], fill=60, width=3)  # 1.3 line heights from the left edge
    for y in range(120, 900, 60):
        for x in range(100, 400, 24):
            draw.rectangle([x, y, x + 16, y + 20], fill=20)
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert not found.restacked and page.shape == (1200, 1000)


def test_a_header_cell_screened_into_a_mesh_is_kept_not_erased_as_rules() -> None:
    """A grey fill printed as a halftone screen, scanned: runs of dots side by side, top to bottom of the
    cell, which as rules would pass for cell borders and be erased with the label in them."""
    image = Image.fromarray(_ruled_table())
    draw = ImageDraw.Draw(image)
    for x in range(104, 398, 4):  # the left header cell: a mesh of 2 px runs 2 px apart
        draw.line([x, 103, x, 157], fill=150, width=2)
    draw.rectangle([130, 120, 142, 140], fill=20)  # its label's glyph
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert len(found.tables) == 1 and [len(row) for row in found.tables[0].rows] == [2, 2, 2]
    assert (page[110:150, 160:390] < 200).mean() > 0.3  # the mesh (and a label in it) stays to be read
    assert page[130, 136] < 100  # the glyph in it too
    assert page[190, 600] > 200  # the rules of the table are still erased


def test_side_by_side_runs_are_found_and_a_double_rule_is_not() -> None:
    runs = np.zeros((300, 300), np.uint8)
    runs[20:24, 10:290] = runs[28:32, 10:290] = 1  # a double rule, 4 px apart
    for y in range(100, 160, 5):  # a mesh 60 px (2 line heights) deep
        runs[y : y + 2, 10:290] = 1
    wide = layout._side_by_side(runs, UNIT, 0).astype(bool)
    assert not wide[20:32].any() and wide[103:155, 20:280].all() and not wide[100:102].any()  # the edge runs stay


def test_tsv_spacing_follows_tesseracts_text_output() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = [("김", 10), ("서", 40), ("연", 70), ("1994.03.15", 200)]
    tsv = header + "".join(f"5\t1\t1\t1\t1\t{i}\t{x}\t10\t25\t30\t90\t{t}\n" for i, (t, x) in enumerate(rows, 1))
    words = layout.parse_tsv(tsv, "김서연   1994.03.15\n")
    assert [w.space_before for w in words] == [False, False, False, True]
    assert layout.join_words(words) == "김서연 1994.03.15"
    # Without a matching text line the gaps decide: a third of the line height or more is a space.
    assert layout.join_words(layout.parse_tsv(tsv, "")) == "김서연 1994.03.15"
    assert layout.join_words(layout.parse_tsv(tsv, "김 서연 1994.03.15\n")) == "김 서연 1994.03.15"


def test_a_word_removed_takes_the_space_before_it_as_in_rewrite_words() -> None:
    """A word whose text a repair removed (joined into the word before it) leaves the spacing of the
    word after it to that word's own space: `베트남 ' 태 국` with `'` and `태` taken into `베트남·태`."""
    boxes = [Box(0, 0, 60, 30), Box(64, 10, 68, 14), Box(72, 0, 94, 30), Box(96, 0, 118, 30), Box(140, 0, 190, 30)]
    texts, spaced = ["베트남·태", "", "", "국", "신규"], [True, True, False, False, True]
    words = [
        Word(i, (1, 1, 1), box, text, space)
        for i, (box, text, space) in enumerate(zip(boxes, texts, spaced, strict=True))
    ]
    assert layout.join_words(words) == "베트남·태국 신규"
    tesseract = [
        Word(i, w.line, w.box, t, w.space_before)
        for i, (w, t) in enumerate(zip(words, ["베트남", "'", "태", "국", "신규"], strict=True))
    ]
    assert layout.rewrite_words("베트남 ' 태국 신규", tesseract, words) == "베트남·태국 신규"
    # A removed word is no rule debris however unsure: it is no word at all.
    assert not Word(0, (1, 1, 1), Box(0, 0, 10, 30), "", True, 10.0).is_rule_debris


def test_rule_debris_is_short_unsure_punctuation() -> None:
    assert Word(0, (1, 1, 1), Box(0, 0, 10, 30), "_", True, 38.0).is_rule_debris
    assert Word(0, (1, 1, 1), Box(0, 0, 10, 30), "—-", True, 40.0).is_rule_debris
    assert not Word(0, (1, 1, 1), Box(0, 0, 10, 30), "_", True, 95.0).is_rule_debris  # sure: kept
    assert not Word(0, (1, 1, 1), Box(0, 0, 10, 30), "~", True, 10.0).is_rule_debris  # a date range's tilde
    assert not Word(0, (1, 1, 1), Box(0, 0, 10, 30), "중", True, 10.0).is_rule_debris


def test_rewrite_words_writes_the_changed_words_in_place() -> None:
    boxes = [(0, 0, 10, 10), (20, 0, 30, 10), (40, 0, 50, 10), (0, 20, 10, 30), (20, 20, 30, 30)]
    texts = ["서류", "-", "면접", "-", "합격"]
    words = [_word(i, i // 3, box, text) for i, (box, text) in enumerate(zip(boxes, texts, strict=True))]
    changed = [dataclasses.replace(w, text="→") if w.text == "-" else w for w in words]
    text = "서류 - 면접\n\n-  합격\n"
    assert layout.rewrite_words(text, words, changed) == "서류 → 면접\n\n→  합격\n"
    assert layout.rewrite_words(text, words, words) == text
    # The TSV and the text of one run always line up; if they ever did not, the text is kept.
    assert layout.rewrite_words("서류 = 면접\n", words[:3], changed[:3]) == "서류 = 면접\n"


def test_integer_and_16_bit_shortcuts_give_the_float_and_32_bit_results() -> None:
    """The layout's faster forms of three numpy/OpenCV steps (~100 ms a 200 dpi page) change nothing."""
    values = np.arange(256, dtype=np.uint8)
    image, level = np.meshgrid(values, values)  # every pair of a pixel and a background level
    for share in (layout.RULE_CONTRAST, 0.6, 0.9):
        expected = image.astype(np.float32) < share * level
        assert (layout._darker_than(image, level, share) == expected).all()
    paper = 231.0
    expected_shade = (level < layout.SHADE_LEVEL * paper) & (level > layout.SHADE_FLOOR * paper)
    assert (layout._shading(level, paper) == expected_shade).all()
    for photo in (False, True):
        share = np.where(
            expected_shade, layout.RULE_CONTRAST_SHADED, layout.RULE_CONTRAST_PHOTO if photo else layout.RULE_CONTRAST
        )
        expected = image.astype(np.float32) < share * level
        assert (layout._darker_than_background(image, level, paper, photo) == expected).all()
    noise = (np.random.default_rng(0).random((1200, 1200)) < 0.1).astype(np.uint8)  # > 65535 pieces
    count, labels, stats = layout._components(noise, 8)
    reference = cv2.connectedComponentsWithStats(noise, connectivity=8)
    assert count == reference[0] > 65535 and (stats == reference[2]).all()
    keep = np.zeros(count, bool)
    keep[1::7] = True
    assert (layout._paint(labels, stats, keep) == keep[labels]).all()


def test_a_table_with_dotted_rules_is_found_cell_by_cell() -> None:
    # A solid frame with dotted rules inside (3 px dots, 3 px apart): before, the frame was one cell.
    image = Image.new("L", (1000, 500), 245)
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 100, 900, 400], outline=60, width=2)
    for y in (200, 300):
        for x in range(100, 900, 6):
            draw.line([x, y, x + 2, y], fill=60, width=2)
    for x in (400, 700):
        for y in range(100, 400, 6):
            draw.line([x, y, x, y + 2], fill=60, width=2)
    for y in (140, 240, 340):
        for x in (130, 430, 730):
            draw.rectangle([x, y, x + 40, y + 22], fill=20)  # a word per cell
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    (table,) = found.tables
    assert [len(row) for row in table.rows] == [3, 3, 3]
    assert page[200, 150:390].min() > 200  # the dots are erased like a rule
    assert page[250, 430:470].min() < 100  # the words stay


def test_thin_strokes_of_hangul_side_by_side_are_no_dashed_rule() -> None:
    # The ㅡ of 그, 르, 느, 트 are thin pieces in a row, a little apart (in NanumSquareB they joined
    # into runs as long as a rule): the rest of each syllable lies just above them, so they are no dashes.
    from testsupport.pages import FONT_DIR

    text = "그르느트크 드르브 그르느트크 으르트 그르느트크 스크트"
    for px in (20, 26, 34):
        image = Image.new("L", (1600, 120), 245)
        font = ImageFont.truetype(str(FONT_DIR / "NanumSquareB.ttf"), px)
        ImageDraw.Draw(image).text((20, 40), text, font=font, fill=25)
        _, ink = cv2.threshold(np.asarray(image), 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
        unit = px * 1.1
        no_solid_ink = np.zeros_like(ink)  # only the dashes: could they join into a rule on their own?
        assert not layout._rules_along(no_solid_ink, layout._dashes(ink, unit), layout.HORIZONTAL, unit).any(), px


def test_a_tables_dark_header_row_with_white_text_is_reversed_and_stays_a_row() -> None:
    # White text on a navy header row: the closing joined the row to the whole grid and its text, so
    # it was no band; its dark fill was then taken for a thick rule and whitened with its text.
    image = Image.new("L", (1000, 520), 245)
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 100, 900, 160], fill=60)  # the header row
    for y in (100, 160, 220, 280, 340):
        draw.line([100, y, 900, y], fill=100, width=2)
    for x in (100, 400, 650, 900):
        draw.line([x, 100, x, 340], fill=100, width=2)
    for x in (130, 430, 680):
        draw.rectangle([x, 118, x + 50, 140], fill=240)  # white 'words' in the header
        draw.rectangle([x + 70, 120, x + 100, 140], fill=240)
        for y in (180, 240, 300):
            draw.rectangle([x, y, x + 60, y + 20], fill=20)  # dark words in the body
    page, found = layout.prepare_layout(np.asarray(image), UNIT)
    assert found.reversed_bands == 1
    (table,) = found.tables
    assert [len(row) for row in table.rows] == [3, 3, 3, 3]
    assert page[125:135, 140:170].mean() < 120  # the header's words are dark on paper now


def test_cells_shaded_at_40_percent_grey_are_shading_and_a_desk_darker_still_is_not() -> None:
    # Until session 20 shading stopped at 0.6 of the paper: a header row at 40% grey (level 140 on
    # paper at 240, 0.58) went unfound, the page was not laid out and its cells were read across.
    paper = np.full((300, 600), 240, np.uint8)
    paper[100:140, 50:550] = 140  # the header row
    shade = layout._shading(paper, 240.0)
    assert shade[100:140, 50:550].all() and not shade[:100].any()
    assert layout.needs_layout(paper, 12.0)  # laid out for its shading alone
    desk = np.full((300, 600), 100, np.uint8)  # a photographed page's desk: 0.42 of the paper
    assert not layout._shading(desk, 240.0).any()
