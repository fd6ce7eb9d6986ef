#!/usr/bin/env python3
"""Scanned Korean forms for the OCR evaluation (eval/ocr/forms/), with the expected text beside each.

    python eval/ocr/generate_forms.py              # writes eval/ocr/forms/
    python eval/ocr/generate_forms.py --out DIR

Built on the shared fixture generator (`../shared/fixtures/docgen.py`: the same layout engine, fonts,
scanner and phone-photo degradations), so the ground truth follows the fixtures' convention: text in
reading order, one line per rendered line, a table row on one line with its cells joined by a space.
Needs Pillow, numpy, Debian's fonts-nanum (`make setup` installs them) and reportlab (`pip install
reportlab`: only for regenerating, so not in the requirements).

Everything is synthetic: people, companies, schools, e-mail addresses (example.com) and phone numbers
(010-0000-xxxx) are invented. Seeded: the same bytes for the same library versions.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
FIXTURES = Path(os.environ.get("AISERVER_FIXTURES", HERE.parents[2] / "shared" / "fixtures"))
sys.path.insert(0, str(FIXTURES))

from docgen import GREY, Layout, images_to_pdf, photoify, render_image, scanify  # noqa: E402

SEED = 20261130
SHADE = (0.84, 0.84, 0.84)  # header cells of the standard forms
SHADE_DARK = (0.74, 0.74, 0.74)
SHADE_BLUE = (0.80, 0.86, 0.94)
SHADE_GREEN = (0.86, 0.92, 0.86)


# ------------------------------------------------------------------------------- drawing helpers
def write(out: Path, name: str, data: str | bytes) -> None:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(data)


def header_fills(rows: int, cols: tuple[int, ...], shade=SHADE) -> dict:
    return {(r, c): shade for r in range(rows) for c in cols}


def section(L: Layout, title: str, size: float = 12) -> None:
    """A form's section title: bold text above its table, no rule (the table's frame is the rule)."""
    L.y += 8
    if L.page.lines:
        L.gt("")
    L.para(title, size=size, font=L.font + "-b", after=3)


def photo(img: Image.Image, box_pt: tuple[float, float, float, float], dpi: int, seed: int) -> None:
    """Paste a synthetic ID photo (grey backdrop, head and shoulders) into a box given in points."""
    s = dpi / 72
    x0, y0, x1, y1 = (round(v * s) for v in box_pt)
    w, h = x1 - x0, y1 - y0
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    backdrop = 170 + 40 * (yy / h) + rng.normal(0, 4, (h, w))
    face = Image.fromarray(np.clip(backdrop, 0, 255).astype(np.uint8), "L").convert("RGB")
    d = ImageDraw.Draw(face)
    d.ellipse([w * 0.1, h * 0.62, w * 0.9, h * 1.4], fill=(45, 50, 70))  # jacket
    d.rectangle([w * 0.42, h * 0.5, w * 0.58, h * 0.68], fill=(205, 170, 150))  # neck
    d.ellipse([w * 0.28, h * 0.16, w * 0.72, h * 0.6], fill=(220, 185, 165))  # face
    d.chord([w * 0.26, h * 0.1, w * 0.74, h * 0.46], 180, 360, fill=(30, 25, 25))  # hair
    img.paste(face.filter(ImageFilter.GaussianBlur(1.2)), (x0, y0))


def logo(img: Image.Image, box_pt: tuple[float, float, float, float], dpi: int) -> None:
    """A company mark with no letters: a filled roundel with a white wave."""
    s = dpi / 72
    x0, y0, x1, y1 = (round(v * s) for v in box_pt)
    d = ImageDraw.Draw(img)
    d.ellipse([x0, y0, x1, y1], fill=(20, 110, 90))
    w = x1 - x0
    d.arc(
        [x0 + w * 0.15, y0 + w * 0.25, x1 - w * 0.15, y1 - w * 0.05],
        200,
        340,
        fill=(255, 255, 255),
        width=max(2, w // 9),
    )


def stamp(img: Image.Image, centre_pt: tuple[float, float], dpi: int) -> None:
    """A red company seal over '(인)', as certificates are stamped (a ring with a cross, no glyphs)."""
    s = dpi / 72
    cx, cy, r = centre_pt[0] * s, centre_pt[1] * s, 17 * s
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(200, 30, 30, 150), width=max(2, round(2 * s)))
    d.rectangle([cx - r * 0.55, cy - r * 0.55, cx + r * 0.55, cy + r * 0.55], outline=(200, 30, 30, 120), width=2)
    img.paste(Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB"))


# ------------------------------------------------------------------------------- 이력서 (2 pages)
def resume_form_layout() -> tuple[Layout, tuple[float, float, float, float]]:
    L = Layout(font="sans", margin=(48, 48, 48, 48))
    width = L.x1 - L.x0
    L.para("이 력 서", size=22, font="sans-b", align="center", after=14)
    photo_w = 92
    table_w = width - photo_w - 8
    top = L.y
    w4 = [62, 118, 56, table_w - 236]
    L.table(
        [
            ["성명", "김서연", "생년월일", "1994.03.15"],
            ["영문성명", "KIM SEOYEON", "성별", "여"],
            ["연락처", "010-0000-3172", "이메일", "seoyeon.kim@example.com"],
            ["주소", ("서울특별시 마포구 월드컵북로 000, 101동 1203호", 3)],
            ["지원분야", ("해외영업 / 무역실무", 3)],
        ],
        widths=w4,
        size=10,
        pad=7,
        fills=header_fills(5, (0, 2)),
        after=0,
    )
    photo_box = (L.x1 - photo_w, top, L.x1, L.y)
    L.rect(*photo_box[:2], photo_w, L.y - top, stroke=(0.4, 0.4, 0.4))
    L.y += 6
    section(L, "학력사항")
    L.table(
        [
            ["기간", "학교명", "전공", "구분"],
            ["2010.03 ~ 2013.02", "한빛여자고등학교", "인문계열", "졸업"],
            ["2013.03 ~ 2017.02", "누리대학교", "국제통상학과", "졸업"],
            ["2019.09 ~ 2021.08", "누리대학교 대학원", "무역학 석사", "졸업"],
        ],
        widths=[120, 150, 140, width - 410],
        size=10,
        pad=6,
        fills={0: SHADE},
        align={0: "center", 3: "center"},
    )
    section(L, "경력사항")
    L.table(
        [
            ["기간", "회사명", "직위", "담당업무"],
            [
                "2017.03 ~ 2019.08",
                "주식회사 한가람무역",
                "사원",
                "동남아 거래처 관리, 수출입 서류 작성 및 선적 일정 조율",
            ],
            [
                "2021.09 ~ 2024.12",
                "대양글로벌 주식회사",
                "대리",
                "베트남·태국 신규 바이어 발굴, 연 매출 40억 원 규모 계약 관리",
            ],
            ["2025.01 ~ 현재", "주식회사 세움인터내셔널", "과장", "해외영업팀 운영, 신용장(L/C) 결제 조건 협상"],
        ],
        widths=[112, 128, 48, width - 288],
        size=10,
        pad=6,
        fills={0: SHADE},
        align={0: "center", 2: "center"},
    )
    section(L, "자격사항")
    L.table(
        [
            ["취득일", "자격증명", "발행처"],
            ["2016.11.25", "무역영어 1급", "대한상공회의소"],
            ["2018.06.29", "국제무역사 1급", "한국무역협회"],
            ["2020.03.13", "TOEIC 935점", "한국토익위원회"],
        ],
        widths=[120, 210, width - 330],
        size=10,
        pad=6,
        fills={0: SHADE},
        align={0: "center"},
    )
    # page 2: languages, military service, training, the signature block
    L.new_page()
    section(L, "어학능력")
    L.table(
        [
            ["언어", "시험명", "점수/등급", "취득일"],
            ["영어", "TOEIC Speaking", "Level 7 (180점)", "2023.05.20"],
            ["베트남어", "OPI", "IM2", "2022.10.08"],
        ],
        widths=[90, 160, 130, width - 380],
        size=10,
        pad=6,
        fills={0: SHADE},
        align={0: "center"},
    )
    section(L, "교육 및 연수")
    L.table(
        [
            ["기간", "교육명", "기관"],
            ["2022.03 ~ 2022.06", "글로벌 무역 전문가 양성과정", "한국무역협회 무역아카데미"],
            ["2023.09 ~ 2023.10", "원산지 관리사 실무 교육", "관세청 교육원"],
        ],
        widths=[120, 220, width - 340],
        size=10,
        pad=6,
        fills={0: SHADE},
        align={0: "center"},
    )
    section(L, "수상경력")
    L.table(
        [
            ["수상일", "수상명", "수여기관"],
            ["2023.12.20", "올해의 영업인상 (우수상)", "대양글로벌 주식회사"],
        ],
        widths=[120, 220, width - 340],
        size=10,
        pad=6,
        fills={0: SHADE},
        align={0: "center"},
    )
    L.y += 40
    L.para("위에 기재한 사항은 사실과 다름이 없습니다.", size=12, align="center", after=14)
    L.para("2025년 3월 4일", size=12, align="center", after=14)
    L.para("작성자 김서연 (인)", size=12, align="right")
    return L, photo_box


def resume_form_pages(dpi: int, seed: int, angles: tuple[float, float], noise: float = 5.0):
    L, box = resume_form_layout()
    pages = []
    for i, angle in enumerate(angles):
        img = render_image(L, i, dpi=dpi)
        if i == 0:
            inset = 3
            photo(img, (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset), dpi, seed)
        pages.append(scanify(img, seed=seed + i, angle=angle, noise=noise))
    return L, pages


# ------------------------------------------------------------------------------- 경력증명서
def career_certificate_layout() -> tuple[Layout, tuple[float, float]]:
    L = Layout(font="serif", margin=(60, 56, 60, 56))
    width = L.x1 - L.x0
    L.para("제 2025-0311 호", size=10, after=10)
    L.para("경 력 증 명 서", size=24, font="serif-b", align="center", after=22)
    section(L, "1. 인적사항", size=11)
    L.table(
        [
            ["성명", "박준혁", "생년월일", "1989.11.02"],
            ["주소", ("경기도 수원시 영통구 광교중앙로 000", 3)],
        ],
        widths=[80, width / 2 - 80, 80, width / 2 - 80],
        size=11,
        pad=8,
        fills=header_fills(2, (0, 2), SHADE_DARK),
    )
    section(L, "2. 경력사항", size=11)
    L.table(
        [
            ["소속", "직위", "근무기간", "담당업무"],
            ["생산기술팀", "사원", "2014.01.02 ~ 2017.12.31", "사출 성형 공정 개선 및 불량 분석"],
            ["품질보증팀", "대리", "2018.01.01 ~ 2021.06.30", "협력사 품질 감사, 8D 리포트 작성"],
            ["품질보증팀", "과장", "2021.07.01 ~ 2025.02.28", "IATF 16949 인증 유지, 고객 클레임 대응"],
        ],
        widths=[90, 52, 150, width - 292],
        size=10.5,
        pad=7,
        fills={0: SHADE_DARK},
        align={0: "center", 1: "center"},
    )
    section(L, "3. 발급정보", size=11)
    L.table(
        [["용도", "이직 제출용", "발급일", "2025.03.05"]],
        widths=[80, width / 2 - 80, 80, width / 2 - 80],
        size=11,
        pad=8,
        fills=header_fills(1, (0, 2), SHADE_DARK),
    )
    L.y += 30
    L.para("위 사람은 당사에 재직하였음을 증명합니다.", size=13, align="center", after=24)
    L.para("2025년 3월 5일", size=13, align="center", after=30)
    L.para("주식회사 동진정밀", size=14, font="serif-b", align="center", after=6)
    L.para("경기도 화성시 동탄산단로 000", size=11, align="center", after=6)
    seal_y = L.y + 9
    L.para("대표이사 오세훈 (인)", size=14, font="serif-b", align="center")
    seal_x = (L.x0 + L.x1) / 2 + 78
    return L, (seal_x, seal_y)


# ------------------------------------------------------------------------------- posting with rules
def posting_layout() -> tuple[Layout, tuple[float, float, float, float]]:
    L = Layout(font="barun", margin=(56, 56, 56, 56))
    logo_box = (L.x0, L.y, L.x0 + 40, L.y + 40)
    L.frame(L.x0 + 52, L.x1)
    L.para("주식회사 온누리데이터", size=12, color=GREY, after=2)
    L.para("데이터 분석가 (신입/경력)", size=20, font="barun-b", after=4)
    L.frame(L.x0 - 52, L.x1)
    L.y += 6
    L.rect(L.x0, L.y, L.x1 - L.x0, 44, fill=(0.88, 0.88, 0.88))
    L.y += 8
    L.para("근무지: 서울특별시 영등포구 | 고용형태: 정규직 | 마감: 2025.04.30", size=10.5, indent=10, after=2)
    L.para("급여: 면접 후 결정 | 근무시간: 09:00 ~ 18:00 (유연근무)", size=10.5, indent=10, after=10)
    L.heading("담당 업무", size=14)
    L.bullets(
        [
            "서비스 지표 정의와 대시보드 구축 (Tableau, Looker Studio)",
            "A/B 테스트 설계와 결과 분석, 의사결정용 보고서 작성",
            "SQL로 로그 데이터를 추출하고 이상치를 점검",
        ],
        size=11,
        bullet="•",
    )
    L.heading("자격 요건", size=14)
    L.bullets(
        [
            "통계학, 산업공학 등 관련 전공 또는 동등한 실무 경험",
            "SQL과 Python(pandas) 사용 경험",
            "분석 결과를 비전공자에게 쉽게 설명할 수 있는 분",
        ],
        size=11,
        bullet="•",
    )
    L.heading("우대 사항", size=14)
    L.bullets(["BigQuery 또는 Redshift 사용 경험", "이커머스 도메인 분석 경험"], size=11, bullet="•")
    L.heading("채용 절차", size=14)
    L.para("서류 전형 > SQL 과제 > 실무 면접 > 임원 면접 > 최종 합격", size=12, font="barun-b", after=6)
    L.para("각 단계의 결과는 이메일로 안내드립니다.", size=11)
    L.heading("제출 서류", size=14)
    L.para("이력서 → 포트폴리오(선택) → 자기소개서 순서로 하나의 PDF 파일로 제출", size=11)
    L.heading("문의", size=14)
    L.para("채용 담당자 recruit@example.com | 02-0000-5521", size=11)
    return L, logo_box


# ------------------------------------------------------------------------------- posting image
NAVY = (0.12, 0.23, 0.37)
NAVY_HEADER = (0.15, 0.25, 0.45)
WHITE = (1.0, 1.0, 1.0)


def band(L: Layout, text: str, size: float, fill=NAVY, font: str = "barun-b", height: float = 0) -> None:
    """A dark band across the page with one line of light text in it (a banner or a footer bar)."""
    height = height or size * 2.4
    L.rect(L.x0, L.y, L.x1 - L.x0, height, fill=fill)
    L.draw_text(L.x0 + size * 0.8, L.y + (height + size * 0.7) / 2, text, font, size, WHITE)
    L.gt(text)
    L.y += height + 10


def posting_image_layout(company: str = "주식회사 한빛소프트", role: str = "백엔드 개발자 (경력 3년 이상)") -> Layout:
    """A job posting published as one image (the common form on Korean job boards): a title in a dark
    band, a bold heading with syllables side by side whose bottom bars line up (소프트, 그룹), a ruled
    conditions table with shaded header cells, arrows and chevrons between hiring steps, a footer bar.
    Rendered clean (no scanner): a screen-kind image."""
    L = Layout(font="barun", margin=(40, 40, 40, 40))
    band(L, f"{company} 채용공고", 20)
    L.para(f"{company[5:] if company.startswith('주식회사 ') else company} 그룹 스크럼 팀과 함께할 {role}", size=14,
           font="barun-b", after=8)  # fmt: skip
    L.heading("모집 요강", size=13)
    w = (L.x1 - L.x0) / 4
    L.table(
        [
            ["구분", "내용", "구분", "내용"],
            ["모집 분야", "서버 개발", "모집 인원", "0명"],
            ["근무지", "서울특별시 강남구", "고용형태", "정규직 (수습 3개월)"],
            ["우대 사항", ("Kubernetes 운영 경험, 대용량 트래픽 처리 경험", 3)],
        ],
        widths=(w * 0.8, w * 1.2, w * 0.8, w * 1.2),
        size=10.5,
        fills={0: SHADE},
        bold={0},
    )
    L.heading("전형 절차", size=13)
    L.para("서류 전형 → 코딩 테스트 → 1차 면접 → 최종 합격", size=11, after=4)
    L.para("온라인 접수 > 서류 검토 > 개별 안내", size=11, after=4)
    L.heading("담당 업무", size=13)
    L.bullets(
        [
            "결제 API 설계와 운영 (Go, PostgreSQL)",
            "트래픽 증가에 맞춘 캐시와 큐 구조 개선",
            "장애 대응 절차 정리와 모니터링 고도화",
        ],
        size=11,
        bullet="-",
    )
    L.y += 8
    band(L, "지원 방법: 채용 홈페이지에서 온라인 접수 (recruit@example.com)", 11, height=30)
    return L


# ------------------------------------------------------------------------------- two-column resume
def two_column_layout() -> Layout:
    L = Layout(font="sans", margin=(50, 50, 50, 50))
    L.para("이 하 늘", size=22, font="sans-b", after=2)
    L.para("UX/UI 디자이너 · 6년차", size=12, color=GREY, after=6)
    L.hline(L.x0, L.x1, L.y, color=(0.3, 0.3, 0.3), lw=1.2)
    L.y += 12
    top = L.y
    split = L.x0 + 165
    # left sidebar
    L.frame(L.x0, split - 14, top)
    L.heading("연락처", size=12, rule=False, before=0)
    L.para("010-0000-6604", size=9.5, after=1)
    L.para("haneul.lee@example.com", size=9.5, after=1)
    L.para("서울특별시 성동구", size=9.5)
    L.heading("학력", size=12, rule=False)
    L.para("누리대학교", size=9.5, after=1)
    L.para("시각디자인학과 학사", size=9.5, after=1)
    L.para("2012.03 ~ 2016.02", size=9.5)
    L.heading("자격증", size=12, rule=False)
    L.para("컬러리스트기사", size=9.5, after=1)
    L.para("GTQ 그래픽기술자격 1급", size=9.5)
    L.heading("언어", size=12, rule=False)
    L.para("영어 (비즈니스 회화)", size=9.5)
    left_bottom = L.y
    # main column
    L.frame(split + 14, 595.28 - 50, top)
    L.heading("경력", size=12, rule=False, before=0)
    L.para("주식회사 소풍랩 | 프로덕트 디자이너", size=10, font="sans-b", after=1)
    L.para("2021.05 ~ 현재", size=9.5, color=GREY, after=2)
    L.bullets(
        [
            "여행 예약 앱 개편을 이끌어 예약 완료율을 18% 높임",
            "Figma 디자인 시스템과 컴포넌트 가이드 120종 구축",
            "사용성 테스트를 분기마다 운영하고 개선 과제를 도출",
        ],
        size=9.5,
    )
    L.para("주식회사 미래핀테크 | UI 디자이너", size=10, font="sans-b", after=1)
    L.para("2016.03 ~ 2021.04", size=9.5, color=GREY, after=2)
    L.bullets(
        ["모바일 뱅킹 화면 설계와 접근성 개선", "마케팅 배너와 랜딩 페이지 디자인"],
        size=9.5,
    )
    L.heading("프로젝트", size=12, rule=False)
    L.para("소풍 앱 3.0 리디자인 (2023)", size=10, font="sans-b", after=1)
    L.para("정보 구조를 다시 설계하고 탭 수를 7개에서 4개로 줄임", size=9.5)
    L.y = max(L.y, left_bottom)
    L.vline(split, top, L.y - 4, color=(0.5, 0.5, 0.5), lw=0.8)
    # full width again: the ruled skills table
    L.frame(50, 595.28 - 50, L.y + 6)
    L.heading("보유 기술", size=12, rule=False, before=0)
    width = L.x1 - L.x0
    L.table(
        [
            ["분야", "도구", "숙련도"],
            ["디자인", "Figma, Sketch, Adobe XD", "상"],
            ["프로토타이핑", "ProtoPie, Framer", "중"],
            ["그래픽", "Photoshop, Illustrator", "상"],
            ["협업", "Jira, Notion, Zeplin", "중"],
        ],
        widths=[110, width - 190, 80],
        size=9.5,
        pad=6,
        fills={0: SHADE_BLUE},
        align={0: "center", 2: "center"},
    )
    return L


def two_column_right_layout() -> Layout:
    """A two-column resume with the sidebar on the right of a vertical rule (NanumBarunGothic): its bold
    headings with final consonants (학력, 자격증) are what tesseract splits into two half-height lines; a
    ruled skills table with a spanning cell."""
    L = Layout(font="barun", margin=(48, 48, 48, 48))
    L.para("박 지 훈", size=21, font="barun-b", after=2)
    L.para("백엔드 엔지니어 · 8년차", size=11.5, after=6)
    L.hline(L.x0, L.x1, L.y, color=(0.25, 0.25, 0.25), lw=1.0)
    L.y += 12
    top = L.y
    split = 595.28 - 48 - 150
    L.frame(48, split - 14, top)
    L.heading("경력", size=12, rule=False, before=0)
    L.para("주식회사 구름페이 | 시니어 엔지니어", size=10, font="barun-b", after=1)
    L.para("2020.01 ~ 현재", size=9.5, after=2)
    L.bullets(
        [
            "정산 시스템을 Kotlin으로 재작성해 처리 시간을 40% 단축",
            "Kafka 기반 이벤트 파이프라인 설계",
            "신입 개발자 온보딩 프로그램 운영",
        ],
        size=9.5,
    )
    L.para("주식회사 바람소프트 | 개발자", size=10, font="barun-b", after=1)
    L.para("2017.03 ~ 2019.12", size=9.5, after=2)
    L.bullets(["사내 ERP 백엔드 유지보수", "MySQL 쿼리 튜닝으로 보고서 생성 시간 단축"], size=9.5)
    left_bottom = L.y
    L.frame(split + 14, 595.28 - 48, top)
    L.heading("연락처", size=12, rule=False, before=0)
    L.para("010-0000-2290", size=9.5, after=1)
    L.para("jihoon.park@example.com", size=9.5)
    L.heading("학력", size=12, rule=False)
    L.para("한별대학교 컴퓨터공학과", size=9.5, after=1)
    L.para("2010.03 ~ 2017.02", size=9.5)
    L.heading("자격증", size=12, rule=False)
    L.para("정보처리기사", size=9.5, after=1)
    L.para("AWS SAA", size=9.5)
    L.y = max(L.y, left_bottom)
    L.vline(split, top, L.y - 4, color=(0.45, 0.45, 0.45), lw=0.8)
    L.frame(48, 595.28 - 48, L.y + 6)
    L.heading("기술 스택", size=12, rule=False, before=0)
    width = L.x1 - L.x0
    L.table(
        [
            ["구분", "기술", "경험"],
            ["언어", "Kotlin, Java, Python", "8년"],
            ["데이터", "PostgreSQL, Redis, Kafka", "6년"],
            ["기타", ("Docker, Kubernetes, GitHub Actions로 배포 자동화", 2)],
        ],
        widths=[90, width - 160, 70],
        size=9.5,
        pad=6,
        fills={0: SHADE_GREEN},
        align={0: "center"},
    )
    return L


def dotted_resume_layout() -> Layout:
    """A resume whose sections are ruled with dashed lines and whose skills table has a solid frame and
    dotted inner rules (점선), as many Korean resume templates draw them; a letter-spaced name as title."""
    L = Layout(font="sans", margin=(50, 50, 50, 50))
    width = L.x1 - L.x0
    L.para("김 민 준", size=20, font="sans-b", after=2)
    L.para("데이터 엔지니어 | minjun.kim@example.com | 010-0000-7713", size=10, after=8)

    def dashed(y: float, dash: float = 4, gap: float = 3) -> None:
        x = L.x0
        while x < L.x1:
            L.hline(x, min(x + dash, L.x1), y, color=(0.35, 0.35, 0.35), lw=0.7)
            x += dash + gap

    for title, items in [
        ("경력", ["2021.03 ~ 현재 주식회사 새빛데이터 데이터 플랫폼팀", "2018.01 ~ 2021.02 한결소프트 백엔드 개발"]),
        ("학력", ["2011.03 ~ 2017.02 누리대학교 정보통계학과 졸업"]),
    ]:
        L.para(title, size=12, font="sans-b", after=2)
        dashed(L.y)
        L.y += 6
        for it in items:
            L.para(it, size=10, after=2)
        L.y += 6
    L.para("보유 기술", size=12, font="sans-b", after=4)
    top = L.y
    rows = [
        ["분류", "기술", "수준"],
        ["언어", "Python, Scala, SQL", "상"],
        ["플랫폼", "Spark, Airflow, Kafka", "상"],
        ["클라우드", "AWS, GCP", "중"],
    ]
    L.table(rows, widths=[100, width - 180, 80], size=10, pad=6, grid=None, fills={0: (0.9, 0.9, 0.9)}, after=0)
    # The frame solid, the rules inside it dotted.
    L.rect(L.x0, top, width, L.y - top, stroke=(0.3, 0.3, 0.3), lw=0.8)
    for r in range(1, 4):
        dashed(top + r * (L.y - top) / 4, dash=2, gap=2)
    for x in (L.x0 + 100, L.x1 - 80):
        for y in np.arange(top, L.y, 4.0):
            L.vline(x, y, min(y + 2, L.y), color=(0.35, 0.35, 0.35), lw=0.7)
    return L


def posting_dark_header_layout() -> Layout:
    """A posting whose table is headed by a navy row in white, check boxes inside a line (□ 신입 ■ 경력),
    arrows between dates, bullets."""
    L = Layout(font="barun", margin=(50, 50, 50, 50))
    width = L.x1 - L.x0
    L.para("(주)하늘모빌리티 2025년 상반기 경력 채용", size=17, font="barun-b", after=10)
    L.heading("모집 부문", size=13)
    cols = [90, 150, 70, width - 310]
    # The header row: a dark fill, white bold text.
    x = L.x0
    for t, w in zip(["부문", "담당 업무", "인원", "자격 요건"], cols, strict=True):
        L.rect(x, L.y, w, 26, fill=NAVY_HEADER, stroke=(0.4, 0.4, 0.4))
        L.draw_text(x + 6, L.y + 17, t, "barun-b", 10.5, WHITE)
        x += w
    L.gt("부문 담당 업무 인원 자격 요건")
    L.y += 26
    L.table(
        [
            ["백엔드", "결제 서버 개발", "2명", "Java 또는 Kotlin 3년 이상"],
            ["데이터", "수요 예측 모델 운영", "1명", "Python, SQL 실무 경험"],
            ["QA", "테스트 자동화", "1명", "Selenium 사용 경험"],
        ],
        widths=cols,
        size=10,
        pad=6,
        after=8,
    )
    L.heading("지원 구분", size=13)
    L.para("□ 신입   ■ 경력   □ 인턴", size=11, after=6)
    L.heading("전형 일정", size=13)
    L.para("서류 마감 2025.05.16 → 면접 5월 넷째 주 → 입사 6월 중", size=11, after=6)
    L.heading("복리후생", size=13)
    L.bullets(["자율 출퇴근제와 재택근무", "건강검진 및 단체 상해보험", "도서 구입비 지원"], size=10.5, bullet="•")
    return L


def posting_marks_layout() -> Layout:
    """A posting in the style of Korean job boards' text postings: section marks before every heading
    (■, ◆), items led by ▶, ●, ○ and ◇, check boxes inside a line (□ 신입 ■ 경력), and a mark inside a
    line (`경력 3년 이상 ● 우대`)."""
    L = Layout(font="sans", margin=(56, 56, 56, 56))
    L.para("(주)바른물류 2025년 하반기 신입 및 경력사원 모집", size=16, font="sans-b", after=10)
    L.para("■ 모집 부문", size=12.5, font="sans-b", after=4)
    L.bullets(["물류 시스템 백엔드 개발 (Java, Spring)", "배송 데이터 분석 (SQL, Python)"], size=10.5, bullet="▶")
    L.para("■ 지원 자격", size=12.5, font="sans-b", after=4)
    L.bullets(
        ["학력 무관, 관련 경력 2년 이상", "해외여행에 결격 사유가 없는 분", "남성의 경우 병역을 마쳤거나 면제된 분"],
        size=10.5,
        bullet="●",
    )
    L.para("■ 우대 사항", size=12.5, font="sans-b", after=4)
    L.bullets(["물류 또는 유통 도메인 경험", "정보처리기사 자격증 소지자"], size=10.5, bullet="○")
    L.para("◆ 근무 조건", size=12.5, font="sans-b", after=4)
    conditions = ["근무 형태: 정규직 (수습 3개월)", "근무지: 경기도 성남시 분당구", "급여: 회사 내규에 따름"]
    L.bullets(conditions, size=10.5, bullet="◇")
    L.para("◆ 지원 구분", size=12.5, font="sans-b", after=4)
    L.para("□ 신입   ■ 경력   □ 인턴", size=11, after=4)
    L.para("경력 3년 이상 ● 우대 사항 있음", size=10.5, after=6)
    L.para("◆ 전형 절차", size=12.5, font="sans-b", after=4)
    L.para("서류 전형 > 1차 면접 > 2차 면접 > 최종 합격", size=11, after=4)
    L.para("※ 제출 서류는 반환하지 않습니다.", size=10, color=GREY)
    return L


# ------------------------------------------------------------------------------- documents
def jpeg(img: Image.Image, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
    return buf.getvalue()


NEAR_SQUARE = ((0.05, 0.06), (1.05, 0.04), (1.07, 1.05), (0.03, 1.05))  # where a photo puts the sheet's corners
SLANTED = ((0.10, 0.05), (1.00, 0.08), (1.08, 1.06), (0.02, 1.03))  # ... seen at a slant (in sheet sizes)


def phone_photo(page: Image.Image, seed: int, corners=NEAR_SQUARE, **camera) -> bytes:
    """`page` photographed on a desk (docgen.photoify, blur 0.8 unless `camera` says otherwise), its
    corners (TL, TR, BR, BL) at `corners` times its size: JPEG bytes."""
    w, h = page.size
    placed = [(x * w, y * h) for x, y in corners]
    return photoify(
        page, seed=seed, corners=placed, canvas_size=(int(w * 1.12), int(h * 1.1)), **{"blur": 0.8, **camera}
    )


def halftone(img: Image.Image, period: float, degrees: float = 45.0) -> Image.Image:
    """The page with its flat grey fills printed as a printer prints them: a clustered-dot screen of
    `period` px at `degrees`, each dot as large as the grey is dark; glyphs and rules stay solid (a
    pixel is fill where its 5x5 neighbourhood is all grey, neither paper nor ink)."""
    grey = np.asarray(img.convert("L")).astype(np.float32)
    around = np.ones((5, 5), np.uint8)
    fill = (cv2.erode(grey, around) > 120) & (cv2.dilate(grey, around) < 250)
    y, x = np.mgrid[0 : grey.shape[0], 0 : grey.shape[1]].astype(np.float32)
    turn = math.radians(degrees)
    u, v = x * math.cos(turn) + y * math.sin(turn), y * math.cos(turn) - x * math.sin(turn)
    threshold = (np.cos(2 * np.pi * u / period) + np.cos(2 * np.pi * v / period)) / 4 + 0.5
    screened = np.where(1 - grey / 255 > 1 - threshold, 0, 255)
    return Image.fromarray(np.where(fill, screened, grey).astype(np.uint8))


def write_pdf(out: Path, name: str, images: list[Image.Image]) -> None:
    images_to_pdf(images, out / name, title="scan")


def generate(out: Path) -> None:
    # The standard resume form, 200 dpi, the angles of a hand-fed scanner.
    L, pages = resume_form_pages(200, SEED, (0.9, -0.6))
    write_pdf(out, "resume_form_ko.pdf", pages)
    write(out, "resume_form_ko.expected.txt", L.text())
    # The same form at 150 dpi, 2 degrees.
    L, pages = resume_form_pages(150, SEED + 10, (2.0, -1.2))
    write_pdf(out, "resume_form_ko_150dpi.pdf", pages)
    write(out, "resume_form_ko_150dpi.expected.txt", L.text())
    # Page 1 at 200 dpi, 3 degrees, noisier paper, saved as a JPEG at quality 60.
    L, pages = resume_form_pages(200, SEED + 20, (-3.0, 0.0), noise=8.0)
    write(out, "resume_form_ko_skew3_q60.jpg", jpeg(pages[0], 60, 200))
    write(out, "resume_form_ko_skew3_q60.expected.txt", L.page_text(0))
    # A phone photo of page 1.
    L, _ = resume_form_layout()
    page = render_image(L, 0, dpi=170)
    box = resume_form_layout()[1]
    photo(page, (box[0] + 3, box[1] + 3, box[2] - 3, box[3] - 3), 170, SEED + 30)
    w, h = page.size
    corners = [(0.06 * w, 0.05 * h), (1.06 * w, 0.03 * h), (1.08 * w, 1.04 * h), (0.04 * w, 1.06 * h)]
    write(
        out,
        "resume_form_ko_photo.jpg",
        photoify(
            page, seed=SEED + 31, corners=corners, canvas_size=(int(w * 1.12), int(h * 1.1)), blur=0.8, quality=82
        ),
    )
    write(out, "resume_form_ko_photo.expected.txt", L.page_text(0))
    # 경력증명서 with a seal, 200 dpi, -1.5 degrees.
    L, seal = career_certificate_layout()
    img = render_image(L, 0, dpi=200)
    stamp(img, seal, 200)
    write_pdf(out, "career_certificate_ko.pdf", [scanify(img, seed=SEED + 40, angle=-1.5)])
    write(out, "career_certificate_ko.expected.txt", L.text())
    # ... and at 150 dpi, 2.5 degrees, JPEG quality 60.
    img = render_image(L, 0, dpi=150)
    stamp(img, seal, 150)
    write(
        out, "career_certificate_ko_150dpi_q60.jpg", jpeg(scanify(img, seed=SEED + 41, angle=2.5, noise=7.0), 60, 150)
    )
    write(out, "career_certificate_ko_150dpi_q60.expected.txt", L.text())
    # A job posting with heading rules, a shaded summary box, a logo and a chevron process line.
    L, box = posting_layout()
    img = render_image(L, 0, dpi=200)
    logo(img, box, 200)
    write_pdf(out, "posting_rules_ko.pdf", [scanify(img, seed=SEED + 50, angle=1.2)])
    write(out, "posting_rules_ko.expected.txt", L.text())
    img = render_image(L, 0, dpi=150)
    logo(img, box, 150)
    write(out, "posting_rules_ko_150dpi_q60.jpg", jpeg(scanify(img, seed=SEED + 51, angle=-2.2, noise=7.0), 60, 150))
    write(out, "posting_rules_ko_150dpi_q60.expected.txt", L.text())
    # A posting published as an image (screen kind, no scanner): 100 dpi, the width of a web page.
    L = posting_image_layout()
    buffer = io.BytesIO()
    render_image(L, 0, dpi=100, crop_to_content=True).save(buffer, "PNG")
    write(out, "posting_image_ko.png", buffer.getvalue())
    write(out, "posting_image_ko.expected.txt", L.text())
    # A two-column resume with a ruled skills table.
    L = two_column_layout()
    write_pdf(out, "resume_two_column_ko.pdf", [scanify(render_image(L, 0, dpi=200), seed=SEED + 60, angle=0.7)])
    write(out, "resume_two_column_ko.expected.txt", L.text())
    # A phone photo of the 경력증명서: hairline rules beside a shaded header row, blurred by the camera.
    L, seal = career_certificate_layout()
    page = render_image(L, 0, dpi=170)
    stamp(page, seal, 170)
    write(out, "career_certificate_ko_photo.jpg", phone_photo(page, SEED + 70))
    write(out, "career_certificate_ko_photo.expected.txt", L.text())
    # A two-column resume with the sidebar on the right, 200 dpi, 2.7 degrees, JPEG quality 60.
    L = two_column_right_layout()
    page = scanify(render_image(L, 0, dpi=200), seed=SEED + 80, angle=2.7, noise=7.0)
    write(out, "resume_two_column_right_ko_q60.jpg", jpeg(page, 60, 200))
    write(out, "resume_two_column_right_ko_q60.expected.txt", L.text())
    # A resume ruled with dashes and dots, 200 dpi, -1.9 degrees.
    L = dotted_resume_layout()
    write_pdf(out, "resume_dotted_ko.pdf", [scanify(render_image(L, 0, dpi=200), seed=SEED + 90, angle=-1.9)])
    write(out, "resume_dotted_ko.expected.txt", L.text())
    # A posting image (screen kind, 110 dpi) with a dark table header row in white and check boxes.
    L = posting_dark_header_layout()
    buffer = io.BytesIO()
    render_image(L, 0, dpi=110, crop_to_content=True).save(buffer, "PNG")
    write(out, "posting_dark_header_ko.png", buffer.getvalue())
    write(out, "posting_dark_header_ko.expected.txt", L.text())
    # Phone photos with other settings of the camera model: the right-sidebar resume on a desk as light
    # as the paper (no dark frame: told by its light falling off), and the 경력증명서 with a noisier
    # sensor (the desk's grain, blown up by the light's flattening, read as lines of text).
    L = two_column_right_layout()
    page = render_image(L, 0, dpi=160)
    write(out, "resume_two_column_right_ko_photo.jpg", phone_photo(page, SEED + 100, desk=(225, 222, 215)))
    write(out, "resume_two_column_right_ko_photo.expected.txt", L.text())
    L, seal = career_certificate_layout()
    page = render_image(L, 0, dpi=160)
    stamp(page, seal, 160)
    write(out, "career_certificate_ko_photo_noisy.jpg", phone_photo(page, SEED + 110, noise=8.0))
    write(out, "career_certificate_ko_photo_noisy.expected.txt", L.text())
    # ... and photographed at a slant: the far edge 16% shorter than the near one.
    write(out, "career_certificate_ko_photo_slanted.jpg", phone_photo(page, SEED + 120, corners=SLANTED))
    write(out, "career_certificate_ko_photo_slanted.expected.txt", L.text())
    # Shading printed as a laser printer prints grey, a halftone screen, and scanned at 200 dpi: the
    # 경력증명서 at 77 lines per inch (2.6 px) and the 이력서 form's first page at 100 (2.0 px).
    img = render_image(L, 0, dpi=200)
    stamp(img, seal, 200)
    page = scanify(halftone(img, 2.6), seed=SEED + 130, angle=1.2)
    write(out, "career_certificate_ko_halftone.jpg", jpeg(page, 75, 200))
    write(out, "career_certificate_ko_halftone.expected.txt", L.text())
    L, _ = resume_form_layout()
    img = render_image(L, 0, dpi=200)
    page = scanify(halftone(img, 2.0), seed=SEED + 140, angle=-0.8)
    write(out, "resume_form_ko_halftone.jpg", jpeg(page, 75, 200))
    write(out, "resume_form_ko_halftone.expected.txt", L.page_text(0))
    # A posting with section marks, bullets of several shapes and check boxes, 200 dpi, 0.6 degrees.
    L = posting_marks_layout()
    page = scanify(render_image(L, 0, dpi=200), seed=SEED + 150, angle=0.6)
    write(out, "posting_marks_ko.jpg", jpeg(page, 80, 200))
    write(out, "posting_marks_ko.expected.txt", L.text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=HERE / "forms")
    args = parser.parse_args()
    generate(args.out)
    for path in sorted(args.out.iterdir()):
        print(f"{path.stat().st_size:>10}  {path.name}")


if __name__ == "__main__":
    main()
