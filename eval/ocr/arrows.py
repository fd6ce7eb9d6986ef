#!/usr/bin/env python
"""Arrows in OCR text (issue 15): how many `→`/`←` of a scanned page come out as arrows, and how many
dashes, chevrons, plus signs or `->` wrongly do (`make eval-ocr`, part of `make eval`).

Neither tesseract model (kor, eng) can write an arrow; documents.marks finds them by shape. Each
page here is seven lines of Korean and English text with four `→`, three `←` and every look-alike
(`>`, `-`, `—`, `~`, `+`, `=`, `_`, `->`, `<-`, `»`, `›`), rendered in a Nanum font (Debian
fonts-nanum) at 10 and 12 pt, 150, 200 and 300 dpi, then read by the service's path
(documents.extraction.extract_text). Raw tesseract writes none of the arrows, so it is not a column.

  python eval/ocr/arrows.py            # nine fonts x 2 sizes x 3 resolutions = 54 pages, ~1 min
  python eval/ocr/arrows.py --check    # exit 1 on any false arrow or when fewer than 60% are written
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiserver.settings")
FONTS = [
    "NanumGothic.ttf",
    "NanumGothicBold.ttf",
    "NanumGothicLight.ttf",
    "NanumMyeongjo.ttf",
    "NanumMyeongjoBold.ttf",
    "NanumBarunGothic.ttf",
    "NanumBarunGothicBold.ttf",
    "NanumSquareR.ttf",
    "NanumSquareB.ttf",
]
LINES = [
    "지원 절차: 서류 → 과제 → 면접 → 합격",
    "결과 ← 검토 ← 접수 (역순)",
    "서류 전형 > 코딩 테스트 > 임원 면접",
    "기간 2019.03 - 2023.02 — 주요 업무 ~ 구조 개선",
    "구두 발표, 부서 이동 -> 누적 주문 <- 두부 + 추가",
    "Python → Go 전환, React ← Vue 이관",
    "연봉 3,000~4,000만원 = 협의 가능 _ 끝 » 다음 › 계속",
]
MIN_WRITTEN = 0.6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from documents.extraction import extract_text
    from testsupport.pages import text_page

    expected = {arrow: sum(line.count(arrow) for line in LINES) for arrow in "→←"}
    written = missed = false = 0
    for font in FONTS:
        row = []
        for pt, dpi in itertools.product((10, 12), (150, 200, 300)):
            text = extract_text(text_page(LINES, font, pt, dpi)).text
            got = {arrow: text.count(arrow) for arrow in "→←"}
            hit = sum(min(got[a], expected[a]) for a in expected)
            written += hit
            missed += sum(expected.values()) - hit
            false += sum(max(0, got[a] - expected[a]) for a in expected)
            row.append(f"{pt}pt/{dpi}: {hit}/{sum(expected.values())}")
        print(f"{font:<26} " + "  ".join(row))
    share = written / (written + missed)
    print(f"arrows written {written} of {written + missed} ({share:.0%}), false arrows {false}")
    failed = false > 0 or share < MIN_WRITTEN
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
