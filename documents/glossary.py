"""Korean <-> English career terms, so that keyword search crosses languages (documents/retrieval.py).

A Korean question about an English resume shares no word with it but its Latin names (`CKA`,
`FastAPI`): the lexical half of hybrid search found nothing and e5 alone ranked the right document
below same-language ones. The question's terms found in `career_terms.tsv` (a general glossary of
roles, duties, skills, fields and places, ~480 lines) give a second, translated set of keywords:
`쿠버네티스 관리자 자격증(CKA)` -> kubernetes|k8s, administrator|manager|admin, certificate|certified|..., cka.
Each term found is one group of alternatives, and a chunk holds the group when it holds any of them.

Korean is matched on its Hangul with the spaces between words taken out, longest term first, so a
particle (`자격증을`) or a compound (`의료영상`) does not hide a term; English word by word, longest
phrase first, with a plural's `s` dropped when the plural is not listed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

GLOSSARY = Path(__file__).with_name("career_terms.tsv")
MAX_ENGLISH_WORDS = 4  # the longest English phrase in the glossary
PARTICLES = frozenset("을를이가은는의에로와과도만")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+(?:\s+[\uac00-\ud7a3]+)*")
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#./'-]*")
# A Latin word of an English question is kept as a keyword of its Korean rendering only when it names
# something (Korean documents write `Kafka`, `SAP`, `S/4HANA` in Latin): these never are names.
_STOPWORD_TEXT = (
    "a an the and or of for in on at to with who which that this these those as by from into over under "
    "is are was were be been being has have had do does did can could will would should may might must "
    "i you he she we they it its their our my your his her them us me not no yes also than then there "
    "here about after before while when where what how why all any some each every most more less very "
    "job jobs role roles someone somebody person people one ones"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Translation:
    """A question's terms in the other language: one group of alternatives per term found or name
    kept (`["medical imaging"]`, `["의료 영상"]`, `["kafka", "카프카"]`)."""

    language: str  # the language of the forms: "en" or "ko"
    groups: list[list[str]]
    reach: float  # the share of the question the groups stand for (its syllables or its content words)


@cache
def _tables() -> tuple[dict[str, list[str]], dict[str, list[str]], int]:
    """Korean key (spaces out) -> English forms; English form -> Korean terms; longest key in syllables."""
    korean: dict[str, list[str]] = {}
    english: dict[str, list[str]] = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, _, forms = line.partition("\t")
        key = "".join(term.split())
        for form in (f.strip().lower() for f in forms.split("|")):
            if form and form not in korean.setdefault(key, []):
                korean[key].append(form)
            if form and term.strip() not in english.setdefault(form, []):
                english[form].append(term.strip())
    return korean, english, max(map(len, korean), default=0)


@cache
def version() -> str:
    """A digest of the glossary: results computed with it (stored fit analyses) name the one they used."""
    return hashlib.sha256(GLOSSARY.read_bytes()).hexdigest()[:12]


def translate(query: str) -> Translation | None:
    """The query's glossary terms in the other language, and its names kept as they are; None when the
    glossary knows none of its words (a line, a name, a question in neither language)."""
    from documents.chunking import detect_language  # the documents' own rule, so both sides agree

    if detect_language(query) == "ko":
        groups, covered, units = _korean_terms(query)
        names = [word.lower() for word in _latin_words(query)]
        units, language = units + len(names), "en"
    else:
        groups, names, covered, units = _english_terms(query)
        language = "ko"
    if not groups:
        return None
    return Translation(language, groups + [[name] for name in names], (covered + len(names)) / max(units, 1))


def _korean_terms(query: str) -> tuple[list[list[str]], int, int]:
    """The glossary's English forms of each term found, the syllables they cover and all syllables."""
    korean, _, longest = _tables()
    found: list[list[str]] = []
    covered = units = 0
    for run in _HANGUL_RUN.findall(query):
        text = "".join(run.split())
        units += len(text)
        for word in run.split():  # a one-syllable term (앱, 웹) only as a word of its own, or with a particle
            if len(word) <= 2 and word[0] in korean and (len(word) == 1 or word[1] in PARTICLES):
                found.append(korean[word[0]])
                covered += 1
        i = 0
        while i < len(text):
            for size in range(min(longest, len(text) - i), 1, -1):  # two syllables at least
                forms = korean.get(text[i : i + size])
                if forms:
                    found.append(forms)
                    covered += size
                    i += size
                    break
            else:
                i += 1
    return found, covered, units


def _english_terms(query: str) -> tuple[list[list[str]], list[str], int, int]:
    """Groups of Korean forms of each phrase found, the names kept, the content words they cover
    (names apart) and all content words."""
    _, english, _ = _tables()
    words = _latin_words(query)
    groups: list[list[str]] = []
    names: list[str] = []
    covered = 0
    i = 0
    while i < len(words):
        for size in range(min(MAX_ENGLISH_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(w.lower() for w in words[i : i + size])
            terms = english.get(phrase) or (english.get(phrase[:-1]) if phrase.endswith("s") else None)
            if terms:  # Korean documents write many names in Latin too (`Kafka`, `Backend`)
                groups.append([*terms, phrase])
                covered += sum(w.lower() not in _STOPWORDS for w in words[i : i + size])
                i += size
                break
        else:
            word = words[i]
            if _is_name(word, first=i == 0):
                names.append(word.lower())
            i += 1
    units = sum(w.lower() not in _STOPWORDS for w in words)
    return groups, names, covered, units


def _latin_words(text: str) -> list[str]:
    """Latin words with the symbols inside names (`node.js`, `S/4HANA`), not a sentence's full stop."""
    return [w for w in (word.rstrip(".'-") for word in _LATIN_WORD.findall(text)) if w]


def _is_name(word: str, *, first: bool) -> bool:
    """`Kafka`, `SAP`, `S/4HANA`, `FastAPI`, `C++`: a capital inside, a digit or a symbol, or a capital
    not at the start of the question; never a common English word."""
    if word.lower() in _STOPWORDS:
        return False
    if any(ch.isdigit() or ch in "+#./" for ch in word) or any(ch.isupper() for ch in word[1:]):
        return True
    return word[0].isupper() and not first


@lru_cache(maxsize=256)
def forms_in(text: str) -> frozenset[str]:
    """Every form, in the other language, of the glossary terms `text` holds (a whole document's:
    ~13 ms for 5,000 characters, so a ranking over many resumes reads each once)."""
    translation = translate(text)
    return frozenset(form for group in translation.groups for form in group) if translation else frozenset()
