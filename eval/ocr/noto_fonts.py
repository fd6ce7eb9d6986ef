#!/usr/bin/env python3
"""A folder of Noto Sans/Serif CJK KR fonts under the Nanum file names, for the typeface probe of
docs/ocr.md (session 34): the held-out generator draws every set in them with `NANUM_FONT_DIR`.

    python eval/ocr/noto_fonts.py --out /tmp/fonts_noto
    NANUM_FONT_DIR=/tmp/fonts_noto python eval/ocr/heldout_proxy.py --out /tmp/noto_ho

Debian's fonts-noto-cjk (installed by `make test`) holds the fonts as collections with CFF outlines,
which reportlab cannot embed. Each Korean face is cut down to Hangul, Latin and the marks of the
fixtures, and its outlines converted to TrueType quadratics (fontTools, ~1 min a face); the gothic
names link to Noto Sans, the myeongjo names to Noto Serif. Needs fontTools (`pip install fonttools`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, newTable

NOTO = Path("/usr/share/fonts/opentype/noto")
KOREAN_FACE = 1  # JP, KR, SC, TC, HK in each collection
RANGES = [(0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x2100, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x27BF),
          (0x3000, 0x303F), (0x3130, 0x318F), (0x3200, 0x32FF), (0xAC00, 0xD7A3), (0xFF00, 0xFFEF)]  # fmt: skip
FACES = {"NotoSansKR-R.ttf": "NotoSansCJK-Regular.ttc", "NotoSansKR-B.ttf": "NotoSansCJK-Bold.ttc",
         "NotoSerifKR-R.ttf": "NotoSerifCJK-Regular.ttc", "NotoSerifKR-B.ttf": "NotoSerifCJK-Bold.ttc"}  # fmt: skip
NANUM_NAMES = {"NanumGothic.ttf": "NotoSansKR-R.ttf", "NanumGothicBold.ttf": "NotoSansKR-B.ttf",
               "NanumMyeongjo.ttf": "NotoSerifKR-R.ttf", "NanumMyeongjoBold.ttf": "NotoSerifKR-B.ttf",
               "NanumBarunGothic.ttf": "NotoSansKR-R.ttf", "NanumBarunGothicBold.ttf": "NotoSansKR-B.ttf",
               "NanumSquareR.ttf": "NotoSerifKR-R.ttf", "NanumSquareB.ttf": "NotoSansKR-B.ttf"}  # fmt: skip


def truetype_face(collection: Path, out: Path) -> None:
    """The Korean face of a CFF collection, subset to RANGES, written with TrueType outlines."""
    font = TTCollection(str(collection)).fonts[KOREAN_FACE]
    options = Options()
    options.layout_features, options.name_IDs, options.hinting, options.desubroutinize = [], ["*"], False, True
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=[u for low, high in RANGES for u in range(low, high + 1)])
    subsetter.subset(font)
    order, glyph_set = font.getGlyphOrder(), font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for table in ("CFF ", "VORG", "GSUB", "GPOS", "GDEF", "BASE"):
        if table in font:
            del font[table]
    glyf.compile(font)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion, maxp.maxZones = 0x00010000, 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, field, 0)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\000\001\000\000"
    font.save(str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, collection in FACES.items():
        if not (out / name).exists():
            truetype_face(NOTO / collection, out / name)
    for nanum, noto in NANUM_NAMES.items():
        (out / nanum).unlink(missing_ok=True)
        (out / nanum).symlink_to(noto)
    print(out)


if __name__ == "__main__":
    main()
