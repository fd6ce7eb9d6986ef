#!/usr/bin/env python3
"""A stress set of the held-out kinds, all at once harder: every form kind at 150 and 200 dpi, skewed
2-3 degrees either way, noisier paper (8), saved as JPEG quality 60, and phone photos of the
certificate and the posting. Written outside the repository, like heldout_proxy.py; what the stage is
tuned on is not what this checks.

    python eval/ocr/stress_proxy.py --out /tmp/stress [--seed 4242]
    python eval/ocr/run.py --dir /tmp/stress --skip-ocrmypdf

Needs reportlab (`pip install reportlab`), as generate_forms.py does. Results: docs/ocr.md.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_forms as g  # noqa: E402 - beside this file; it puts the shared docgen on the path
from docgen import photoify, render_image, scanify  # noqa: E402

SEED = 4242


def generate(out: Path, seed: int = SEED) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)

    def angle() -> float:
        return round(rng.choice([-1, 1]) * rng.uniform(2.0, 3.0), 1)

    def scanned(name: str, img, text: str, dpi: int, offset: int) -> None:
        page = scanify(img, seed=seed + offset + dpi, angle=angle(), noise=8.0)
        g.write(out, f"{name}_{dpi}_q60.jpg", g.jpeg(page, 60, dpi))
        g.write(out, f"{name}_{dpi}_q60.expected.txt", text)

    for dpi in (150, 200):
        layout, pages = g.resume_form_pages(dpi, seed + dpi, (angle(), angle()), noise=8.0)
        for i, page in enumerate(pages):
            g.write(out, f"form_p{i + 1}_{dpi}_q60.jpg", g.jpeg(page, 60, dpi))
            g.write(out, f"form_p{i + 1}_{dpi}_q60.expected.txt", layout.page_text(i))
        layout, seal = g.career_certificate_layout()
        img = render_image(layout, 0, dpi=dpi)
        g.stamp(img, seal, dpi)
        scanned("cert", img, layout.text(), dpi, 1)
        layout, box = g.posting_layout()
        img = render_image(layout, 0, dpi=dpi)
        g.logo(img, box, dpi)
        scanned("posting", img, layout.text(), dpi, 2)
        layout = g.two_column_layout()
        scanned("two_column", render_image(layout, 0, dpi=dpi), layout.text(), dpi, 3)
        layout = g.posting_image_layout("주식회사 다온랩", "ML 엔지니어 (경력 2년 이상)")
        scanned("image_posting_scanned", render_image(layout, 0, dpi=dpi), layout.text(), dpi, 4)
    for name in ("cert", "posting"):
        layout, extra = g.career_certificate_layout() if name == "cert" else g.posting_layout()
        page = render_image(layout, 0, dpi=170)
        if name == "cert":
            g.stamp(page, extra, 170)
        else:
            g.logo(page, extra, 170)
        w, h = page.size
        corners = [(0.05 * w, 0.06 * h), (1.05 * w, 0.04 * h), (1.07 * w, 1.05 * h), (0.03 * w, 1.05 * h)]
        canvas = (int(w * 1.12), int(h * 1.1))
        photo = photoify(page, seed=seed + 9, corners=corners, canvas_size=canvas, blur=0.8, quality=82)
        g.write(out, f"{name}_photo.jpg", photo)
        g.write(out, f"{name}_photo.expected.txt", layout.text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="a folder outside the repository")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    generate(args.out, args.seed)


if __name__ == "__main__":
    main()
