"""A job posting's requirements, read from its structure: the sections a posting is written in
(자격 요건 / Requirements, 우대 사항 / Nice to have, 주요 업무 / What you will do) and their bullets."""

from __future__ import annotations

import re
from dataclasses import dataclass

REQUIRED, PREFERRED, DUTY = "required", "preferred", "duty"
WEIGHTS = {REQUIRED: 1.0, PREFERRED: 0.5, DUTY: 0.5}

# Heading words, normalised (lower case, no spaces). A heading is a short line holding one of them.
_HEADINGS: dict[str, tuple[str, ...]] = {
    REQUIRED: ("자격요건", "지원자격", "필수요건", "필수역량", "자격조건", "requirements", "qualifications",
               "musthave", "whatwearelookingfor", "whatwe'relookingfor", "whoyouare", "whatyoubring",
               "minimumqualifications", "basicqualifications"),
    PREFERRED: ("우대사항", "우대조건", "우대요건", "우대", "nicetohave", "preferred", "bonuspoints", "pluses",
                "preferredqualifications", "goodtohave"),
    DUTY: ("주요업무", "담당업무", "업무내용", "하는일", "직무내용", "responsibilities", "whatyouwilldo",
           "whatyou'lldo", "theroles", "yourrole", "keyresponsibilities", "duties", "기술스택", "techstack"),
    "other": ("회사소개", "복지", "혜택", "전형절차", "채용절차", "근무조건", "근무환경", "지원방법", "접수방법",
              "기타",
              "aboutus", "benefits", "perks", "howtoapply", "hiringprocess", "process", "compensation",
              "자주묻는질문", "faq", "팀이하는일", "입사후", "이런분과"),
}  # fmt: skip
_BULLET = re.compile(r"^\s*(?:[-•·*▪◦○●■□▶➤✓✔]|\d{1,2}[.)]|[가-하][.)])\s*")
MAX_HEADING_CHARS = 40
MIN_REQUIREMENT_CHARS = 6


@dataclass(frozen=True)
class Requirement:
    text: str
    kind: str  # required | preferred | duty
    section: str  # the heading it was found under ("" when inferred)

    @property
    def weight(self) -> float:
        return WEIGHTS[self.kind]


def _heading_kind(line: str) -> str | None:
    stripped = line.strip().strip("[]【】<>#*:：").strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or _BULLET.match(line):
        return None
    key = re.sub(r"[\s·/&()\-:：]", "", stripped.lower())
    for kind, words in _HEADINGS.items():
        if any(key == word or (len(word) >= 3 and key.startswith(word)) for word in words):
            return kind
    return None


def extract(text: str) -> list[Requirement]:
    """Every line under a requirement, preference or duty heading, one requirement each; when the
    posting has no such headings, its bullet lines are taken as requirements."""
    found: list[Requirement] = []
    kind: str | None = None
    section = ""
    lines = text.splitlines()
    for index, raw in enumerate(lines):
        heading = _heading_kind(raw) or _unknown_heading(raw, lines[index + 1 : index + 3])
        if heading is not None:
            kind, section = heading, raw.strip()
            continue
        line = _BULLET.sub("", raw).strip()
        if kind in WEIGHTS and len(line) >= MIN_REQUIREMENT_CHARS and not line.endswith(("?", "？")):
            found.append(Requirement(line, kind, section))
    if any(r.kind == REQUIRED for r in found):
        return _unique(found)
    bullets = [_BULLET.sub("", raw).strip() for raw in text.splitlines() if _BULLET.match(raw)]
    inferred = [Requirement(b, REQUIRED, "") for b in bullets if len(b) >= MIN_REQUIREMENT_CHARS]
    return _unique(found + inferred)


def _unknown_heading(line: str, following: list[str]) -> str | None:
    """A short line that is not a sentence, right above bullets, starts a section we do not know
    (입사 후 첫 90일, Our culture): its bullets are not requirements."""
    stripped = line.strip()
    if not stripped or len(stripped) > 30 or _BULLET.match(line) or stripped.endswith((".", "다", "요", ",")):
        return None
    nxt = next((f for f in following if f.strip()), "")
    return "other" if _BULLET.match(nxt) else None


def _unique(requirements: list[Requirement]) -> list[Requirement]:
    seen: set[str] = set()
    out = []
    for r in requirements:
        if r.text not in seen:
            seen.add(r.text)
            out.append(r)
    return out


_YEARS_NEEDED = re.compile(
    r"(?:경력\s*)?(\d{1,2})\s*년\s*(?:이상|차 이상|\+)|(\d{1,2})\s*\+?\s*(?:or more\s*)?years?(?: of)?"
)


def years_required(requirements: list[Requirement], text: str) -> int | None:
    """The experience a posting asks for (the largest 'N년 이상' / 'N+ years' of its requirements,
    or of its header when the requirements say none)."""
    for source in (" ".join(r.text for r in requirements if r.kind == REQUIRED), text[:400]):
        values = [int(a or b) for a, b in _YEARS_NEEDED.findall(source)]
        values = [v for v in values if 0 < v <= 30]
        if values:
            return max(values)
    return None
