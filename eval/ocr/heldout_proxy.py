#!/usr/bin/env python3
"""A held-out proxy for the scanned-forms evaluation: the fixture generator (generate_forms.py) with
other seeds, resolutions, angles and company names, written outside the repository, so what the
stage is tuned on is not what this checks (CI checks a held-out set of its own that we never see).

    python eval/ocr/heldout_proxy.py --out /tmp/heldout
    python eval/ocr/heldout_proxy.py --out /tmp/heldout2 --seed 913002   # another set
    python eval/ocr/run.py --dir /tmp/heldout --skip-ocrmypdf

Needs reportlab (`pip install reportlab`), as generate_forms.py does. Results: docs/ocr.md.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_forms as g  # noqa: E402 - beside this file; it puts the shared docgen on the path
from docgen import render_image, scanify  # noqa: E402

SEED = 777001


def generate(out: Path, seed: int = SEED) -> None:
    """The proxy of `seed`; another seed gives other paper noise and, away from the default, other
    angles (up to 3 degrees either way), for a wider check than one set."""
    out.mkdir(parents=True, exist_ok=True)
    s = seed
    rng = random.Random(seed)
    angles = [1.4, -0.8, 2.6, 0.9, -1.7, 1.1, 0.6]
    if seed != SEED:
        angles = [round(rng.uniform(-3.0, 3.0), 1) for _ in angles]
    L, pages = g.resume_form_pages(250, s, (angles[0], angles[1]))
    g.write_pdf(out, "form_250dpi.pdf", pages)
    g.write(out, "form_250dpi.expected.txt", L.text())
    L, pages = g.resume_form_pages(180, s + 1, (0.0, angles[2]), noise=7.0)
    g.write(out, "form_p2_180dpi.jpg", g.jpeg(pages[1], 70, 180))
    g.write(out, "form_p2_180dpi.expected.txt", L.page_text(1))
    L, seal = g.career_certificate_layout()
    img = render_image(L, 0, dpi=220)
    g.stamp(img, seal, 220)
    g.write_pdf(out, "cert_220dpi.pdf", [scanify(img, seed=s + 2, angle=angles[3])])
    g.write(out, "cert_220dpi.expected.txt", L.text())
    L, box = g.posting_layout()
    img = render_image(L, 0, dpi=240)
    g.logo(img, box, 240)
    buf = io.BytesIO()
    scanify(img, seed=s + 3, angle=angles[4]).save(buf, "PNG", dpi=(240, 240))
    g.write(out, "posting_240dpi.png", buf.getvalue())
    g.write(out, "posting_240dpi.expected.txt", L.text())
    L = g.two_column_layout()
    g.write_pdf(out, "two_column_150dpi.pdf", [scanify(render_image(L, 0, dpi=150), seed=s + 4, angle=angles[5])])
    g.write(out, "two_column_150dpi.expected.txt", L.text())
    L = g.posting_image_layout("주식회사 새벽데이터", "데이터 엔지니어 (경력 5년 이상)")
    buf = io.BytesIO()
    render_image(L, 0, dpi=120, crop_to_content=True).save(buf, "PNG")
    g.write(out, "image_posting_120.png", buf.getvalue())
    g.write(out, "image_posting_120.expected.txt", L.text())
    L = g.posting_image_layout("주식회사 푸른길", "프론트엔드 개발자 (신입 가능)")
    img = render_image(L, 0, dpi=80, crop_to_content=True)
    g.write(out, "image_posting_80.jpg", g.jpeg(img.convert("RGB"), 70, 80))
    g.write(out, "image_posting_80.expected.txt", L.text())
    L = g.posting_image_layout()
    scanned = scanify(render_image(L, 0, dpi=200), seed=s + 5, angle=angles[6])
    g.write_pdf(out, "image_posting_scanned_200.pdf", [scanned])
    g.write(out, "image_posting_scanned_200.expected.txt", L.text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="a folder outside the repository")
    parser.add_argument("--seed", type=int, default=SEED, help=f"another set than the default ({SEED})")
    args = parser.parse_args()
    generate(args.out, args.seed)


if __name__ == "__main__":
    main()
