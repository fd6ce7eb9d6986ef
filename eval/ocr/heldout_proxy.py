#!/usr/bin/env python3
"""A held-out proxy for the scanned-forms evaluation: the fixture generator (generate_forms.py) with
other seeds, resolutions, angles and company names, written outside the repository, so what the
stage is tuned on is not what this checks (CI checks a held-out set of its own that we never see).

    python eval/ocr/heldout_proxy.py --out /tmp/heldout
    python eval/ocr/heldout_proxy.py --out /tmp/heldout2 --seed 913002   # another set
    python eval/ocr/heldout_proxy.py --out /tmp/stress --stress          # the same kinds, all harder
    python eval/ocr/heldout_proxy.py --out /tmp/variety --variety        # other designs of them
    python eval/ocr/heldout_proxy.py --out /tmp/scanner --scanner        # other scanner settings
    python eval/ocr/heldout_proxy.py --out /tmp/photos --photos          # other camera settings
    python eval/ocr/heldout_proxy.py --out /tmp/blur --blur              # out of focus
    python eval/ocr/heldout_proxy.py --out /tmp/turned --turned          # far off level
    python eval/ocr/heldout_proxy.py --out /tmp/halftone --halftone      # shading printed as dots
    python eval/ocr/heldout_proxy.py --out /tmp/flat --flat              # noiseless, whitened, 1-bit scans
    python eval/ocr/heldout_proxy.py --out /tmp/designs --designs        # four more designs
    python eval/ocr/heldout_proxy.py --out /tmp/plain --plain            # a plain page photographed
    NANUM_FONT_DIR=/tmp/fonts_un python eval/ocr/heldout_proxy.py --out /tmp/un_plain --plain  # other typefaces
    python eval/ocr/run.py --dir /tmp/heldout --skip-ocrmypdf

Every set draws the Nanum typefaces. `NANUM_FONT_DIR` (read by the shared docgen) points them elsewhere:
a folder of links under the Nanum file names (NanumGothic.ttf, NanumGothicBold.ttf, NanumMyeongjo.ttf,
NanumMyeongjoBold.ttf, NanumBarunGothic.ttf, NanumBarunGothicBold.ttf, NanumSquareR.ttf, NanumSquareB.ttf)
to other TrueType fonts, such as Debian's fonts-unfonts-core (UnDotum, UnBatang, UnGraphic, UnDinaru) or
fonts-baekmuk (gulim, dotum, batang): the typeface probe of docs/ocr.md (session 33). Noto Sans and Serif
CJK KR, set as 맑은 고딕 is (session 34), need their outlines converted first: `eval/ocr/noto_fonts.py`.

`--stress` writes a stress set instead: every form kind at 150 and 200 dpi, skewed 2-3 degrees,
noisier paper, JPEG quality 60, and phone photos of the certificate and the posting (14 documents).
`--variety` writes other designs of the same kinds (6 documents, generate_variety): what the proxies,
drawn from the fixtures' own layouts, cannot show. `--scanner` writes four form kinds each scanned
with eleven other settings of the shared scanner model (docgen.scanify: paper tone 200-235, noise,
dust, blur, and all of them at once; 44 documents, generate_scanner). `--photos` writes the same
four kinds photographed with seven settings of the shared camera model (docgen.photoify: as the
fixtures, more blur, more sensor noise, JPEG quality 60, dimmer light, a desk as light as the paper,
a stronger slant; 28 documents, generate_photos). `--blur` writes the four kinds photographed with a
camera blur of 1.2, 1.6 and 2.0 px and scanned with a scanner blur of 1.3 and 1.6 (20 documents,
generate_blur): a probe beyond the fixtures' settings, not a target. `--turned` writes the four kinds
fed into a scanner and photographed on a desk turned 12-35 degrees (40 documents, generate_turned):
another probe. `--halftone` writes the four kinds with their shading printed as a halftone screen of
60-100 lines per inch and scanned (12 documents, generate_halftone): a third. `--flat` writes
the four kinds scanned at 150, 200 and 300 dpi on paper of one flat level: with no noise, as scanners
that whiten the paper write them, and in black and white (32 documents, generate_flat). `--designs`
writes four more designs (a 경력기술서, a 자기소개서, a posting with a 모집요강 table, a small-print
이력서), scanned and photographed (8 documents, generate_designs). `--plain` writes a plain résumé page
(paragraphs only) photographed with a blur of 0.8-2.0 px on a dark and a light desk (8 documents,
generate_plain): every other set draws forms.

Needs reportlab (`pip install reportlab`), as generate_forms.py does. Results: docs/ocr.md.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_forms as g  # noqa: E402 - beside this file; it puts the shared docgen on the path
from docgen import Layout, photoify, render_image, scanify  # noqa: E402
from PIL import Image  # noqa: E402

SEED = 777001
SCANNER_SEED = 500
PHOTO_SEED = 900
# docgen.photoify's knobs away from the fixtures' (blur 0.8, noise 4, quality 82, light 0.78, dark desk)
PHOTO_SETTINGS = {
    "base": {}, "blur16": {"blur": 1.6}, "noise8": {"noise": 8.0}, "q60": {"quality": 60},
    "dim": {"light": 0.55}, "whitedesk": {"desk": (225, 222, 215)}, "tilt": {},
}  # fmt: skip
# docgen.scanify's knobs away from the fixtures' (tone 243, noise 5, dust 0.0004, blur 0.4)
SCANNER_SETTINGS = {
    "tone200": {"tone": 200}, "tone205": {"tone": 205}, "tone215": {"tone": 215}, "tone220": {"tone": 220},
    "tone225": {"tone": 225}, "tone230": {"tone": 230}, "tone235": {"tone": 235},
    "noise12": {"noise": 12.0}, "specks3": {"specks": 0.003}, "blur1": {"blur": 1.0},
    "harsh": {"tone": 215, "noise": 10.0, "specks": 0.002, "blur": 0.8},
}  # fmt: skip
STRESS_SEED = 4242
BLUR_SEED = 777
PHOTO_BLURS = (1.2, 1.6, 2.0)  # docgen.photoify's blur in px (the fixtures' photos: 0.8)
SCANNER_BLURS = (1.3, 1.6)  # docgen.scanify's (the fixtures' scans: 0.4; --scanner's worst: 1.0)
VARIETY_SEED = 515151
TURN_SEED = 31
TURNS = (12, -15, 20, -28, 35)  # degrees off level (the fixtures' scans: up to 3)
FLAT_SEED = 7000
DESIGNS_SEED = 61000
PLAIN_SEED = 70
PLAIN_BLURS = (0.8, 1.2, 1.6, 2.0)  # docgen.photoify's blur in px for --plain
FLAT_SKEWS = (-0.9, 1.4, -2.6, 0.6)  # degrees, the four kinds (_four_kinds) on flat paper
SCAN_SKEWS = (1.2, -0.8, 2.1, -1.6)  # degrees, the four kinds (_four_kinds) scanned out of focus or screened
HALFTONE_SEED = 4000
HALFTONE_PERIODS = (2.0, 2.6, 3.3)  # px between a screen's dots at 200 dpi: 100, 77 and 60 lines per inch
LIGHT_GRID = (0.62, 0.62, 0.62)


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


def generate_stress(out: Path, seed: int = STRESS_SEED) -> None:
    """The stress set: every form kind at 150 and 200 dpi, skewed 2-3 degrees either way, noisier
    paper (8), saved as JPEG quality 60, and phone photos of the certificate and the posting."""
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


def application_form() -> tuple[Layout, tuple]:
    """입사지원서: photo box on the left, a 6-column personal table, a 5-column education table, career
    rows whose duties wrap to two lines, a self-introduction box; light grid, blue header cells."""
    L = Layout(font="barun", margin=(44, 44, 44, 44))
    width = L.x1 - L.x0
    L.para("입사지원서", size=20, font="barun-b", after=4)
    L.para("지원 부문: 마케팅 기획 (경력)", size=10, after=10)
    top = L.y
    photo_w = 86
    L.frame(L.x0 + photo_w + 8, L.x1, top)
    tw = L.x1 - L.x0
    L.table(
        [
            ["성명", "최유진", "한자", "崔由眞", "생년월일", "1991.07.21"],
            ["휴대폰", "010-0000-8841", "이메일", ("yujin.choi@example.com", 3)],
            ["주소", ("부산광역시 해운대구 센텀중앙로 000, 1502호", 5)],
            ["희망연봉", "회사 내규에 따름", "입사가능일", ("2025.05.01", 3)],
        ],
        widths=[52, 78, 40, 60, 58, tw - 288],
        size=9.5,
        pad=6,
        fills=g.header_fills(4, (0, 2, 4), g.SHADE_BLUE),
        grid=LIGHT_GRID,
        after=0,
    )
    photo_box = (44, top, 44 + photo_w, L.y)
    L.rect(44, top, photo_w, L.y - top, stroke=LIGHT_GRID)
    L.frame(44, 44 + width, L.y + 6)
    g.section(L, "■ 학력사항", size=11)
    L.table(
        [
            ["입학년월", "졸업년월", "학교명", "전공", "학점"],
            ["2007.03", "2010.02", "해솔고등학교", "-", "-"],
            ["2010.03", "2014.02", "한바다대학교", "경영학과", "3.8 / 4.5"],
        ],
        widths=[78, 78, 150, 120, width - 426],
        size=9.5,
        pad=5,
        fills={0: g.SHADE_BLUE},
        grid=LIGHT_GRID,
        align={0: "center", 1: "center", 4: "center"},
    )
    g.section(L, "■ 경력사항", size=11)
    L.table(
        [
            ["근무기간", "회사명", "부서/직위", "주요 업무"],
            [
                "2014.03 ~ 2018.06",
                "주식회사 파도식품",
                "마케팅팀 / 주임",
                "신제품 출시 캠페인 기획과 온라인 광고 예산 집행, 판매 채널별 성과 분석 보고서 작성",
            ],
            [
                "2018.07 ~ 현재",
                "해온커머스 주식회사",
                "브랜드전략팀 / 과장",
                "자사몰 회원 데이터 기반 CRM 캠페인 운영으로 재구매율 22% 개선, 인플루언서 협업 관리",
            ],
        ],
        widths=[104, 118, 100, width - 322],
        size=9.5,
        pad=5,
        fills={0: g.SHADE_BLUE},
        grid=LIGHT_GRID,
        align={0: "center"},
    )
    g.section(L, "■ 자기소개", size=11)
    L.table(
        [
            [
                "데이터로 가설을 세우고 작은 실험으로 검증하는 마케터입니다. 해온커머스에서 회원 등급별 혜택을 다시 "
                "설계해 재구매율을 높였고, 캠페인마다 성과 지표를 먼저 정한 뒤 실행했습니다."
            ],
        ],
        widths=[width],
        size=9.5,
        pad=8,
        grid=LIGHT_GRID,
    )
    return L, photo_box


def certificate_vertical() -> tuple[Layout, tuple]:
    """재직증명서 laid out as label/value rows (labels shaded on the left), thick frame, square font."""
    L = Layout(font="square", margin=(64, 60, 64, 60))
    width = L.x1 - L.x0
    L.para("재 직 증 명 서", size=22, font="square-b", align="center", after=26)
    top = L.y
    L.table(
        [
            ["성 명", "정다은"],
            ["생년월일", "1993년 4월 9일"],
            ["소 속", "연구개발본부 임베디드SW팀"],
            ["직 위", "책임연구원"],
            ["재직기간", "2019년 2월 11일 ~ 현재"],
            ["담당업무", "차량용 BMS 펌웨어 개발, AUTOSAR 기반 진단 통신 구현"],
            ["용 도", "금융기관 제출용"],
        ],
        widths=[110, width - 110],
        size=11.5,
        pad=9,
        fills={(r, 0): g.SHADE for r in range(7)},
        grid=(0.2, 0.2, 0.2),
        align={0: "center"},
    )
    L.rect(L.x0, top, width, L.y - 6 - top, stroke=(0.1, 0.1, 0.1), lw=1.6)
    L.y += 26
    L.para("상기인은 위와 같이 재직하고 있음을 증명합니다.", size=12.5, align="center", after=22)
    L.para("2025년 4월 14일", size=12.5, align="center", after=28)
    L.para("주식회사 누리모빌리티", size=14, font="square-b", align="center", after=6)
    seal_y = L.y + 9
    L.para("대표이사 한지원 (인)", size=13, font="square-b", align="center")
    return L, ((L.x0 + L.x1) / 2 + 72, seal_y)


def posting_open_table() -> Layout:
    """A posting with heading rules, a conditions table ruled only between rows (no vertical rules),
    a shaded note box, chevrons and arrows; NanumGothic."""
    L = Layout(font="sans", margin=(54, 54, 54, 54))
    width = L.x1 - L.x0
    L.para("주식회사 별빛게임즈", size=11, after=2)
    L.para("클라이언트 프로그래머 채용", size=19, font="sans-b", after=8)
    L.heading("근무 조건", size=13)
    L.hline(L.x0, L.x1, L.y, color=(0.3, 0.3, 0.3), lw=0.8)
    for left, right in [
        ("고용형태", "정규직 (수습 3개월)"),
        ("근무지", "경기도 성남시 분당구 판교역로 000"),
        ("근무시간", "주 5일, 10:00 ~ 19:00 (시차출근제)"),
        ("급여", "경력에 따라 협의"),
    ]:
        L.table(
            [[left, right]],
            widths=[100, width - 100],
            size=10.5,
            pad=6,
            grid=None,
            fills={(0, 0): (0.93, 0.93, 0.93)},
            after=0,
        )
        L.hline(L.x0, L.x1, L.y, color=(0.55, 0.55, 0.55), lw=0.6)
    L.y += 6
    L.heading("주요 업무", size=13)
    L.bullets(
        ["Unity 기반 모바일 게임 클라이언트 개발", "UI 최적화와 메모리 사용량 개선", "서버 팀과 API 규격 협의 및 연동"],
        size=10.5,
        bullet="•",
    )
    L.heading("자격 요건", size=13)
    L.bullets(["C# 및 Unity 실무 경험 2년 이상", "Git 기반 협업 경험"], size=10.5, bullet="•")
    L.heading("채용 절차", size=13)
    L.para("서류 접수 › 과제 전형 › 기술 면접 › 처우 협의", size=11.5, font="sans-b", after=4)
    L.para("지원서 작성 → 포트폴리오 첨부 → 제출 완료", size=10.5, after=8)
    L.rect(L.x0, L.y, width, 40, fill=(0.9, 0.9, 0.9))
    L.y += 8
    L.para("※ 허위 기재 사실이 확인될 경우 채용이 취소될 수 있습니다.", size=10, indent=10, after=2)
    L.para("※ 문의: jobs@example.com", size=10, indent=10, after=12)
    return L


def dense_form() -> Layout:
    """A dense 이력서 page: serif, 9 pt cells, a 7-column family/military table and a training table."""
    L = Layout(font="serif", margin=(40, 40, 40, 40))
    width = L.x1 - L.x0
    L.para("이 력 서", size=20, font="serif-b", align="center", after=10)
    g.section(L, "병역사항", size=10.5)
    L.table(
        [
            ["구분", "군별", "계급", "병과", "복무기간", "면제사유", "비고"],
            ["군필", "육군", "병장", "통신", "2012.02 ~ 2013.11", "-", "만기전역"],
        ],
        widths=[50, 50, 50, 50, 130, 80, width - 410],
        size=9,
        pad=4,
        fills={0: g.SHADE},
        align={c: "center" for c in range(7)},
    )
    g.section(L, "교육이수", size=10.5)
    L.table(
        [
            ["기간", "교육명", "기관", "시간"],
            ["2022.03 ~ 2022.06", "클라우드 네이티브 아키텍처 과정", "한국소프트웨어산업협회", "120시간"],
            ["2023.09 ~ 2023.10", "데이터 품질 관리 실무", "한국데이터산업진흥원", "40시간"],
            ["2024.05", "정보보호 관리체계 이해", "한국인터넷진흥원", "16시간"],
        ],
        widths=[110, 170, 150, width - 430],
        size=9,
        pad=4,
        fills={0: g.SHADE},
        align={0: "center", 3: "center"},
    )
    g.section(L, "수상경력", size=10.5)
    L.table(
        [
            ["수상일", "수상명", "수여기관"],
            ["2019.12.20", "우수 사원상", "주식회사 다솜정보"],
            ["2021.11.05", "공공데이터 활용 경진대회 장려상", "행정안전부"],
        ],
        widths=[100, 240, width - 340],
        size=9,
        pad=4,
        fills={0: g.SHADE},
        align={0: "center"},
    )
    L.y += 14
    L.para("위에 기재한 사항은 사실과 틀림이 없습니다.", size=10.5, align="center", after=8)
    L.para("2025년 3월 20일   지원자 윤도현 (인)", size=10.5, align="center")
    return L


def generate_variety(out: Path, seed: int = VARIETY_SEED) -> None:
    """Other designs of the same kinds of document (a held-out set is drawn by other hands): an 입사지원서
    with its photo on the left, a light grid and a self-introduction box (200 dpi, and a phone photo),
    a 재직증명서 of label/value rows in a heavy frame (150 dpi JPEG), a posting whose conditions table
    is ruled between rows only (180 dpi PNG), a dense serif 이력서 page (150 dpi) and the right-sidebar
    resume of the fixtures at 150 dpi."""
    out.mkdir(parents=True, exist_ok=True)
    L, box = application_form()
    img = render_image(L, 0, dpi=200)
    g.photo(img, box, 200, seed)
    g.write_pdf(out, "application_200.pdf", [scanify(img, seed=seed + 1, angle=1.8, noise=6.0)])
    g.write(out, "application_200.expected.txt", L.text())
    w, h = round(img.width * 0.85), round(img.height * 0.85)
    corners = [(0.06 * w, 0.05 * h), (1.04 * w, 0.07 * h), (1.06 * w, 1.04 * h), (0.02 * w, 1.06 * h)]
    canvas = (int(w * 1.12), int(h * 1.1))
    photo = photoify(img.resize((w, h)), seed=seed + 2, corners=corners, canvas_size=canvas, blur=0.8, quality=82)
    g.write(out, "application_photo.jpg", photo)
    g.write(out, "application_photo.expected.txt", L.text())
    L, seal = certificate_vertical()
    img = render_image(L, 0, dpi=150)
    g.stamp(img, seal, 150)
    g.write(out, "employment_cert_150_q70.jpg", g.jpeg(scanify(img, seed=seed + 3, angle=-2.2), 70, 150))
    g.write(out, "employment_cert_150_q70.expected.txt", L.text())
    L = posting_open_table()
    buf = io.BytesIO()
    scanify(render_image(L, 0, dpi=180), seed=seed + 4, angle=-1.2).save(buf, "PNG", dpi=(180, 180))
    g.write(out, "posting_open_180.png", buf.getvalue())
    g.write(out, "posting_open_180.expected.txt", L.text())
    L = dense_form()
    g.write_pdf(out, "dense_form_150.pdf", [scanify(render_image(L, 0, dpi=150), seed=seed + 6, angle=-2.5)])
    g.write(out, "dense_form_150.expected.txt", L.text())
    L = g.two_column_right_layout()
    page = scanify(render_image(L, 0, dpi=150), seed=seed + 5, angle=-1.6, noise=7.0)
    g.write(out, "two_column_right_150_q60.jpg", g.jpeg(page, 60, 150))
    g.write(out, "two_column_right_150_q60.expected.txt", L.text())


def _four_kinds(dpi_twocol: int) -> list[tuple[str, str, Image.Image, int]]:
    """The certificate (with its seal), the posting (with its logo), the right-sidebar resume and the
    form's first page, rendered clean: name, expected text, image, dpi."""
    documents = []
    L, seal = g.career_certificate_layout()
    img = render_image(L, 0, dpi=200)
    g.stamp(img, seal, 200)
    documents.append(("cert", L.text(), img, 200))
    L, box = g.posting_layout()
    img = render_image(L, 0, dpi=200)
    g.logo(img, box, 200)
    documents.append(("posting", L.text(), img, 200))
    L = g.two_column_right_layout()
    documents.append(("twocol", L.text(), render_image(L, 0, dpi=dpi_twocol), dpi_twocol))
    L, _ = g.resume_form_layout()
    documents.append(("form1", L.page_text(0), render_image(L, 0, dpi=200), 200))
    return documents


def generate_photos(out: Path, seed: int = PHOTO_SEED) -> None:
    """The four kinds photographed (at 0.8 of 200 dpi) with every PHOTO_SETTINGS entry; `tilt` moves
    the corners so the far edge is ~16% shorter than the near one."""
    out.mkdir(parents=True, exist_ok=True)
    for k, (name, text, img, _) in enumerate(_four_kinds(200)):
        w, h = round(img.width * 0.8), round(img.height * 0.8)
        page = img.resize((w, h))
        for j, (label, settings) in enumerate(PHOTO_SETTINGS.items()):
            corners = g.SLANTED if label == "tilt" else g.NEAR_SQUARE
            photo = g.phone_photo(page, seed + 10 * k + j, corners=corners, **settings)
            g.write(out, f"{name}_{label}.jpg", photo)
            g.write(out, f"{name}_{label}.expected.txt", text)


def generate_blur(out: Path, seed: int = BLUR_SEED) -> None:
    """The four kinds out of focus: photographed with every PHOTO_BLURS blur and scanned with every
    SCANNER_BLURS blur (skewed 0.8-2.1 degrees, JPEG quality 75): 20 documents, beyond what the
    fixtures' settings draw (a probe of where reading breaks down, docs/ocr.md)."""
    out.mkdir(parents=True, exist_ok=True)
    for k, (name, text, img, _) in enumerate(_four_kinds(200)):  # photographed as generate_photos does
        w, h = round(img.width * 0.8), round(img.height * 0.8)
        for j, blur in enumerate(PHOTO_BLURS):
            photo = g.phone_photo(img.resize((w, h)), seed + 10 * k + j, corners=g.NEAR_SQUARE, blur=blur)
            g.write(out, f"{name}_pblur{blur}.jpg", photo)
            g.write(out, f"{name}_pblur{blur}.expected.txt", text)
    for k, (name, text, img, dpi) in enumerate(_four_kinds(150)):  # scanned as generate_scanner does
        for j, blur in enumerate(SCANNER_BLURS):
            page = scanify(img, seed=seed + 100 + 10 * k + j, angle=SCAN_SKEWS[k], blur=blur)
            g.write(out, f"{name}_sblur{blur}.jpg", g.jpeg(page, 75, dpi))
            g.write(out, f"{name}_sblur{blur}.expected.txt", text)


def generate_plain(out: Path, seed: int = PLAIN_SEED) -> None:
    """A plain résumé page (the shared fixture's text as paragraphs: no rule, no table, no shading)
    photographed with every PLAIN_BLURS blur, on the fixtures' dark desk and on a light one: 8
    documents. Every other set draws forms; the commonest phone photo is of a page like this one."""
    out.mkdir(parents=True, exist_ok=True)
    lines = [line for line in (g.FIXTURES / "resume_ko_text.expected.txt").read_text("utf-8").splitlines() if line]
    L = Layout(font="sans", margin=(48, 48, 48, 48))
    for line in lines[:40]:
        L.para(line, size=10.5)
    page = render_image(L, 0, dpi=170)  # the last heading (`기타`) falls on a second page: not drawn
    for k, blur in enumerate(PLAIN_BLURS):
        for j, (label, desk) in enumerate((("dark", (92, 78, 64)), ("white", (225, 222, 215)))):
            photo = g.phone_photo(page, seed + 10 * k + j, blur=blur, desk=desk)
            g.write(out, f"plain_b{blur}_{label}.jpg", photo)
            g.write(out, f"plain_b{blur}_{label}.expected.txt", L.page_text(0))


def generate_turned(out: Path, seed: int = TURN_SEED) -> None:
    """The four kinds turned every TURNS angle: scanned on a bed large enough for the whole sheet, and
    photographed on a desk, the sheet shrunk to fit in the frame (at 35 degrees it covers a third of it)."""
    out.mkdir(parents=True, exist_ok=True)
    for k, (name, text, img, dpi) in enumerate(_four_kinds(150)):
        for j, degrees in enumerate(TURNS):
            w, h, turn = img.width, img.height, math.radians(abs(degrees))
            bed = Image.new("L", (int(w * math.cos(turn) + h * math.sin(turn)) + 20,
                                  int(w * math.sin(turn) + h * math.cos(turn)) + 20), 255)  # fmt: skip
            bed.paste(img.convert("L"), ((bed.width - w) // 2, (bed.height - h) // 2))
            page = scanify(bed, seed=seed + 10 * k + j, angle=degrees)
            g.write(out, f"{name}_scan{degrees}.jpg", g.jpeg(page, 75, dpi))
            g.write(out, f"{name}_scan{degrees}.expected.txt", text)
    for k, (name, text, img, _) in enumerate(_four_kinds(200)):  # photographed as generate_photos does
        w, h = round(img.width * 0.8), round(img.height * 0.8)
        for j, degrees in enumerate(TURNS):
            turn = math.radians(degrees)
            offsets = [(x - 0.5, y - 0.5) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]  # in sheet sizes
            turned = [(x * math.cos(turn) - y * h / w * math.sin(turn), x * w / h * math.sin(turn) + y * math.cos(turn))
                      for x, y in offsets]  # fmt: skip
            xs, ys = [x for x, _ in turned], [y for _, y in turned]
            scale = min(1.05 / (max(xs) - min(xs)), 1.03 / (max(ys) - min(ys)), 1.0)
            corners = tuple((0.56 + x * scale, 0.55 + y * scale) for x, y in turned)
            photo = g.phone_photo(img.resize((w, h)), seed + 100 + 10 * k + j, corners=corners)
            g.write(out, f"{name}_photo{degrees}.jpg", photo)
            g.write(out, f"{name}_photo{degrees}.expected.txt", text)


def generate_halftone(out: Path, seed: int = HALFTONE_SEED) -> None:
    """The four kinds with their shading printed as a halftone screen of every HALFTONE_PERIODS period,
    scanned at 200 dpi (skewed 0.8-2.1 degrees, JPEG quality 75): 12 documents. Laser printers screen
    grey fills; the fixtures' generator draws them flat (a probe, docs/ocr.md "Open")."""
    out.mkdir(parents=True, exist_ok=True)
    for k, (name, text, img, dpi) in enumerate(_four_kinds(200)):
        for j, period in enumerate(HALFTONE_PERIODS):
            page = scanify(g.halftone(img, period), seed=seed + 10 * k + j, angle=SCAN_SKEWS[k])
            g.write(out, f"{name}_ht{period}.jpg", g.jpeg(page, 75, dpi))
            g.write(out, f"{name}_ht{period}.expected.txt", text)


def generate_flat(out: Path, seed: int = FLAT_SEED) -> None:
    """The four kinds scanned (skewed 0.6-2.6 degrees) on paper of one flat level, as scanners write
    pages with no paper grain: at 150 dpi with the paper whitened (every level over 210 white) as JPEG
    quality 60, and in black and white (1 bit a pixel) thresholded at 150 or with the whitened page's
    greys dithered into dots (Floyd-Steinberg) as PNG; at 200 dpi with no noise or dust at all (PNG),
    and both 1-bit kinds as PDFs; at 300 dpi thresholded (PNG) and dithered (PDF): 32 documents. Half
    a page at one level made such pages screens to the stage (docs/ocr.md, step 26)."""
    out.mkdir(parents=True, exist_ok=True)
    for k, (name, text, img, dpi) in enumerate(_four_kinds(200)):
        for scale in (0.75, 1.0, 1.5):
            size = (round(img.width * scale), round(img.height * scale))
            page = scanify(img.resize(size, Image.Resampling.LANCZOS), seed=seed + 10 * k + int(scale * 4),
                           angle=FLAT_SKEWS[k]).convert("L")  # fmt: skip
            whitened = page.point(lambda level: 255 if level > 210 else round(level * 255 / 210))
            threshold = page.point(lambda level: 255 if level > 150 else 0).convert("1", dither=Image.Dither.NONE)
            resolution = round(dpi * scale)
            dots = whitened.convert("1")
            if scale < 1:
                written = {f"{name}_threshold{resolution}.png": threshold, f"{name}_dither{resolution}.png": dots,
                           f"{name}_whitened{resolution}.jpg": whitened}  # fmt: skip
            elif scale == 1:
                written = {f"{name}_threshold{resolution}.pdf": threshold, f"{name}_dither{resolution}.pdf": dots,
                           f"{name}_noiseless{resolution}.png": scanify(img, seed=seed + 10 * k, angle=FLAT_SKEWS[k],
                                                                         noise=0.0, specks=0.0)}  # fmt: skip
            else:
                written = {f"{name}_threshold{resolution}.png": threshold, f"{name}_dither{resolution}.pdf": dots}
            for filename, image in written.items():
                buffer = io.BytesIO()
                if filename.endswith(".jpg"):
                    image.save(buffer, "JPEG", quality=60, dpi=(resolution, resolution))
                elif filename.endswith(".pdf"):
                    image.save(buffer, "PDF", resolution=resolution)
                else:
                    image.save(buffer, "PNG", dpi=(resolution, resolution))
                g.write(out, filename, buffer.getvalue())
                g.write(out, filename.rsplit(".", 1)[0] + ".expected.txt", text)


def generate_scanner(out: Path, seed: int = SCANNER_SEED) -> None:
    """The certificate, the posting, the right-sidebar resume and the form's first page, each scanned
    with every SCANNER_SETTINGS entry (skewed 1.1-2.9 degrees, JPEG quality 75)."""
    out.mkdir(parents=True, exist_ok=True)
    documents = _four_kinds(150)
    for k, (name, text, img, dpi) in enumerate(documents):
        for j, (label, settings) in enumerate(SCANNER_SETTINGS.items()):
            page = scanify(img, seed=seed + 10 * k + j, angle=(1.7, -2.4, 2.9, -1.1)[k], **settings)
            g.write(out, f"{name}_{label}.jpg", g.jpeg(page, 75, dpi))
            g.write(out, f"{name}_{label}.expected.txt", text)


def career_description() -> Layout:
    """경력기술서: project table, 4 columns, wrapped cells, dark-ish header, serif body."""
    L = Layout(font="serif", margin=(48, 48, 48, 48))
    w = L.x1 - L.x0
    L.para("경 력 기 술 서", size=20, font="serif-b", align="center", after=12)
    L.table(
        [["성명", "한서준", "지원분야", "데이터 엔지니어"]],
        widths=[70, 150, 80, w - 300],
        size=10,
        pad=6,
        fills={(0, 0): g.SHADE, (0, 2): g.SHADE},
        align={0: "center", 2: "center"},
    )
    g.section(L, "1. 주식회사 누리데이터 (2019.01 ~ 2024.02, 5년 2개월)", size=11)
    L.table(
        [
            ["프로젝트명", "기간", "역할", "사용 기술 및 성과"],
            [
                "물류 수요 예측 파이프라인 구축",
                "2022.03 ~ 2023.12",
                "리드 엔지니어",
                "Airflow와 Spark로 일 2억 건 배치 처리, 예측 오차 18% 감소",
            ],
            [
                "실시간 주문 이벤트 수집",
                "2020.06 ~ 2022.02",
                "백엔드 개발",
                "Kafka Connect, Flink 기반 스트리밍 적재, 지연 시간 3초 이내 유지",
            ],
            [
                "사내 데이터 카탈로그 도입",
                "2019.01 ~ 2020.05",
                "담당자",
                "DataHub 도입과 메타데이터 표준 수립, 검색 시간 절반으로 단축",
            ],
        ],
        widths=[130, 100, 80, w - 310],
        size=9.5,
        pad=5,
        fills={0: g.SHADE_DARK},
        align={0: "center", 1: "center", 2: "center"},
    )
    g.section(L, "2. 한결정보통신 주식회사 (2016.07 ~ 2018.12, 2년 6개월)", size=11)
    L.table(
        [
            ["프로젝트명", "기간", "역할", "사용 기술 및 성과"],
            [
                "통신 요금 정산 배치 개선",
                "2017.04 ~ 2018.12",
                "개발자",
                "Oracle PL/SQL 튜닝으로 월말 정산 시간 9시간에서 2시간으로 단축",
            ],
            [
                "고객 상담 이력 검색 시스템",
                "2016.07 ~ 2017.03",
                "개발자",
                "Elasticsearch 색인 설계와 Java Spring API 개발",
            ],
        ],
        widths=[130, 100, 80, w - 310],
        size=9.5,
        pad=5,
        fills={0: g.SHADE_DARK},
        align={0: "center", 1: "center", 2: "center"},
    )
    L.y += 10
    L.para("위 기재 내용은 사실과 다름이 없음을 확인합니다.", size=10.5, align="center", after=6)
    L.para("2025년 5월 2일   작성자 한서준 (인)", size=10.5, align="center")
    return L


def self_introduction() -> Layout:
    """자기소개서: question rows shaded, answer cells of several lines; NanumGothic; thin grid."""
    L = Layout(font="sans", margin=(50, 50, 50, 50))
    w = L.x1 - L.x0
    L.para("자기소개서", size=20, font="sans-b", align="center", after=14)
    qa = [
        (
            "1. 지원 동기 및 입사 후 포부 (500자 이내)",
            "고객의 불편을 데이터로 찾아 제품으로 해결하는 일에 끌려 지원했습니다. 입사 후에는 결제 이탈 구간을 분석해 "
            "전환율을 높이고, 분석 결과를 누구나 읽을 수 있는 대시보드로 공유하겠습니다.",
        ),
        (
            "2. 성장 과정 및 성격의 장단점",
            "맞벌이 부모님 아래에서 스스로 계획을 세우는 습관을 들였습니다. 꼼꼼함이 장점이지만 완벽을 고집해 일정이 "
            "밀린 적이 있어, 지금은 마감 기준을 먼저 정하고 우선순위에 따라 일합니다.",
        ),
        (
            "3. 가장 도전적이었던 경험",
            "대학 창업 동아리에서 중고 교재 거래 앱을 만들어 6개월 만에 회원 3,200명을 모았습니다. "
            "서버 비용이 급증했을 때 캐시 구조를 바꿔 월 비용을 40% 줄였습니다.",
        ),
    ]
    for q, a in qa:
        L.table([[q], [a]], widths=[w], size=10, pad=7, fills={0: (0.88, 0.88, 0.88)}, grid=(0.5, 0.5, 0.5), after=10)
    return L


def posting_requirements() -> Layout:
    """A posting: navy banner, a 4-column 모집요강 table with wrapped cells, an info table with shaded labels."""
    L = Layout(font="barun", margin=(46, 46, 46, 46))
    w = L.x1 - L.x0
    g.band(L, "2025 상반기 경력사원 채용", 18)
    L.para("주식회사 초록헬스케어", size=11, after=10)
    g.section(L, "모집요강", size=12)
    L.table(
        [
            ["모집분야", "담당업무", "자격요건", "인원"],
            ["iOS 개발", "헬스케어 앱 신규 기능 개발 및 유지보수", "Swift 3년 이상, SwiftUI 경험자 우대", "2명"],
            ["데이터 분석", "사용자 행동 로그 분석과 A/B 테스트 설계", "SQL 능숙, Python 통계 분석 경험", "1명"],
            ["QA 엔지니어", "테스트 자동화 환경 구축과 릴리스 품질 관리", "Appium 또는 XCUITest 경험", "0명"],
        ],
        widths=[90, 170, 170, w - 430],
        size=9.5,
        pad=5,
        fills={0: g.SHADE_BLUE},
        align={0: "center", 3: "center"},
    )
    g.section(L, "근무조건", size=12)
    L.table(
        [
            ["근무형태", "정규직 (수습기간 3개월)"],
            ["근무지역", "서울특별시 영등포구 국제금융로 000"],
            ["급여", "면접 후 결정 (최소 연봉 4,800만원 이상)"],
            ["접수기간", "2025.04.01 ~ 2025.04.30 (마감 시 조기 종료)"],
        ],
        widths=[100, w - 100],
        size=10,
        pad=6,
        fills={(r, 0): g.SHADE for r in range(4)},
        align={0: "center"},
    )
    g.section(L, "전형절차", size=12)
    L.para("서류전형 > 1차 면접 > 2차 면접 > 최종합격", size=11, font="barun-b", after=6)
    L.para("문의: recruit@example.com / 02-0000-1234", size=10)
    return L


def small_print_form() -> Layout:
    """A small-print 이력서 (8.5 pt) with many rows: 자격증 and 어학 tables."""
    L = Layout(font="barun", margin=(40, 40, 40, 40))
    w = L.x1 - L.x0
    L.para("이력서", size=18, font="barun-b", after=8)
    g.section(L, "자격증", size=10)
    L.table(
        [
            ["취득일", "자격증명", "발행처", "등급"],
            ["2016.11.25", "정보처리기사", "한국산업인력공단", "-"],
            ["2018.06.08", "SQL 개발자 (SQLD)", "한국데이터산업진흥원", "-"],
            ["2020.03.14", "AWS Solutions Architect", "Amazon Web Services", "Associate"],
            ["2021.09.30", "리눅스마스터", "한국정보통신진흥협회", "1급"],
        ],
        widths=[80, 170, 170, w - 420],
        size=8.5,
        pad=4,
        fills={0: g.SHADE},
        align={0: "center", 3: "center"},
    )
    g.section(L, "어학", size=10)
    L.table(
        [
            ["시험명", "점수", "취득일", "기관"],
            ["TOEIC", "915점", "2023.02.11", "ETS"],
            ["OPIc", "IH", "2023.07.22", "ACTFL"],
            ["JLPT", "N2", "2019.12.01", "일본국제교류기금"],
        ],
        widths=[100, 80, 100, w - 280],
        size=8.5,
        pad=4,
        fills={0: g.SHADE},
        align={1: "center"},
    )
    g.section(L, "교육 및 활동", size=10)
    L.table(
        [
            ["기간", "내용", "기관"],
            ["2022.01 ~ 2022.02", "쿠버네티스 운영 실무 과정 (80시간)", "한국정보산업연합회"],
            ["2019.07 ~ 2019.08", "오픈소스 컨트리뷰션 아카데미 참여", "정보통신산업진흥원"],
        ],
        widths=[110, 250, w - 360],
        size=8.5,
        pad=4,
        fills={0: g.SHADE},
    )
    return L


def generate_designs(out: Path, seed: int = DESIGNS_SEED) -> None:
    """Four more designs no other set draws (session 22): a 경력기술서 of project tables (200 dpi PDF, and
    150 dpi JPEG 60), a 자기소개서 of question rows (200 dpi PDF, and a phone photo), a posting with a
    navy banner and a 모집요강 table (200 dpi JPEG 70, and a phone photo) and a small-print 이력서 of
    자격증 and 어학 tables (200 dpi PDF, and 150 dpi JPEG 60): 8 documents."""
    out.mkdir(parents=True, exist_ok=True)
    L = career_description()
    img = render_image(L, 0, dpi=200)
    g.write_pdf(out, "career_desc_200.pdf", [scanify(img, seed=seed, angle=-1.4)])
    g.write(out, "career_desc_200.expected.txt", L.text())
    page = scanify(render_image(L, 0, dpi=150), seed=seed + 1, angle=2.4)
    g.write(out, "career_desc_150_q60.jpg", g.jpeg(page, 60, 150))
    g.write(out, "career_desc_150_q60.expected.txt", L.text())
    L = self_introduction()
    img = render_image(L, 0, dpi=200)
    g.write_pdf(out, "self_intro_200.pdf", [scanify(img, seed=seed + 2, angle=0.9)])
    g.write(out, "self_intro_200.expected.txt", L.text())
    g.write(
        out,
        "self_intro_photo.jpg",
        g.phone_photo(img.resize((round(img.width * 0.8), round(img.height * 0.8))), seed + 3),
    )
    g.write(out, "self_intro_photo.expected.txt", L.text())
    L = posting_requirements()
    img = render_image(L, 0, dpi=200)
    g.write(out, "posting_req_200_q70.jpg", g.jpeg(scanify(img, seed=seed + 4, angle=-2.8), 70, 200))
    g.write(out, "posting_req_200_q70.expected.txt", L.text())
    g.write(
        out,
        "posting_req_photo.jpg",
        g.phone_photo(img.resize((round(img.width * 0.8), round(img.height * 0.8))), seed + 5),
    )
    g.write(out, "posting_req_photo.expected.txt", L.text())
    L = small_print_form()
    g.write_pdf(out, "small_dense_200.pdf", [scanify(render_image(L, 0, dpi=200), seed=seed + 6, angle=1.1)])
    g.write(out, "small_dense_200.expected.txt", L.text())
    page = scanify(render_image(L, 0, dpi=150), seed=seed + 7, angle=-0.7)
    g.write(out, "small_dense_150_q60.jpg", g.jpeg(page, 60, 150))
    g.write(out, "small_dense_150_q60.expected.txt", L.text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="a folder outside the repository")
    parser.add_argument("--seed", type=int, help=f"another set than the default ({SEED}; {STRESS_SEED} with --stress)")
    parser.add_argument("--stress", action="store_true", help="the stress set instead of the proxy")
    parser.add_argument("--variety", action="store_true", help="other designs of the same kinds instead")
    parser.add_argument("--scanner", action="store_true", help="the form kinds with other scanner settings instead")
    parser.add_argument("--photos", action="store_true", help="the form kinds with other camera settings instead")
    parser.add_argument("--blur", action="store_true", help="the form kinds photographed and scanned out of focus")
    parser.add_argument("--turned", action="store_true", help="the form kinds scanned and photographed far off level")
    parser.add_argument("--halftone", action="store_true", help="the form kinds with their shading screened")
    parser.add_argument("--flat", action="store_true", help="the form kinds on noiseless or white paper, or in 1 bit")
    parser.add_argument(
        "--designs", action="store_true", help="four more designs of the kinds, scanned and photographed"
    )
    parser.add_argument("--plain", action="store_true", help="a plain page photographed in and out of focus")
    args = parser.parse_args()
    if args.plain:
        generate_plain(args.out, PLAIN_SEED if args.seed is None else args.seed)
    elif args.designs:
        generate_designs(args.out, DESIGNS_SEED if args.seed is None else args.seed)
    elif args.halftone:
        generate_halftone(args.out, HALFTONE_SEED if args.seed is None else args.seed)
    elif args.flat:
        generate_flat(args.out, FLAT_SEED if args.seed is None else args.seed)
    elif args.turned:
        generate_turned(args.out, TURN_SEED if args.seed is None else args.seed)
    elif args.blur:
        generate_blur(args.out, BLUR_SEED if args.seed is None else args.seed)
    elif args.photos:
        generate_photos(args.out, PHOTO_SEED if args.seed is None else args.seed)
    elif args.scanner:
        generate_scanner(args.out, SCANNER_SEED if args.seed is None else args.seed)
    elif args.variety:
        generate_variety(args.out, VARIETY_SEED if args.seed is None else args.seed)
    elif args.stress:
        generate_stress(args.out, STRESS_SEED if args.seed is None else args.seed)
    else:
        generate(args.out, SEED if args.seed is None else args.seed)


if __name__ == "__main__":
    main()
