"""Lexical terms for the keyword half of hybrid search: exact skills, names, acronyms and lines.

Korean has no spaces between a noun and its particles (`Kubernetes로`, `정보처리기사를`) and OCR
drops or merges syllables, so Hangul and other CJK runs are indexed as overlapping character
bigrams, as Lucene's CJK analyzer does: `정보처리기사를` -> 정보 보처 처리 리기 기사 사를. A query word
matches when its bigrams are in the chunk, whatever particle follows it in either. Latin words and
numbers are kept whole, lower-cased, with the symbols that are part of tech names (`c++`, `c#`,
`node.js`, `ci/cd` -> `ci` `cd`). The choice against Kiwi morphemes is measured in docs/retrieval.md.

Terms are stored as a `tsvector` built with `array_to_tsvector` (no parser, no stemming: the terms
are exactly these) and queried with lexemes cast directly to `tsquery`. Only letters, digits and
`+ # .` ever reach a term, so no query text can be tsquery syntax (`& | ! ( ) : * ' \\`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from documents import glossary

# A Latin/digit word with the inner symbols tech names use; or a run of Hangul / CJK / kana.
_TOKEN = re.compile(
    r"[a-z0-9]+(?:[.+#][a-z0-9+#]+)*[+#]*"
    r"|[\uac00-\ud7a3\u3131-\u318e\u4e00-\u9fff\u3040-\u30ff\uf900-\ufaff]+"
)
_CJK = re.compile(r"[^\x00-\x7f]")
MAX_TERM_CHARS = 64  # longer runs are noise (base64, hashes); tsvector lexemes stay small
MAX_QUERY_WORDS = 64  # of a long query, the first and last words (a pasted posting still matches)
MAX_QUERY_CHARS_TRANSLATED = 500  # a question, not a pasted document, is translated (documents.glossary)


def normalise(text: str) -> str:
    # NFKC folds full-width Latin (Ｐｙｔｈｏｎ) and compatibility jamo; lone surrogates and NUL go.
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
    return unicodedata.normalize("NFKC", text).lower()


def word_terms(word: str) -> list[str]:
    """Terms of one token: itself for Latin words and single syllables, bigrams for CJK runs."""
    if not _CJK.match(word) or _analyzer() == "kiwi":
        return [word.strip(".")] if word.strip(".") else []
    if len(word) == 1:
        return [word]
    return [word[i : i + 2] for i in range(len(word) - 1)]


def words(text: str) -> list[str]:
    if _analyzer() == "kiwi":
        return _kiwi_words(text)
    return [w for w in _TOKEN.findall(normalise(text)) if len(w) <= MAX_TERM_CHARS]


def terms(text: str) -> list[str]:
    """Every term of `text`, duplicates kept (their count is the term frequency)."""
    if _analyzer() == "kiwi":
        return _kiwi_words(text)
    return [term for word in words(text) for term in word_terms(word)]


def _analyzer() -> str:
    from django.conf import settings

    return settings.LEXICAL_ANALYZER


# Kiwi morphemes, for the comparison in docs/retrieval.md (LEXICAL_ANALYZER=kiwi; needs kiwipiepy and
# kiwipiepy-model, which are not in requirements.txt: bigrams won).
_KIWI_TAGS = ("NNG", "NNP", "NNB", "NR", "SL", "SN", "SH", "XR", "VV", "VA")


@cache
def _kiwi():  # noqa: ANN202
    from kiwipiepy import Kiwi

    return Kiwi()


def _kiwi_words(text: str) -> list[str]:
    out: list[str] = []
    for token in _kiwi().tokenize(normalise(text)):
        if token.tag.startswith(_KIWI_TAGS) and len(token.form) <= MAX_TERM_CHARS:
            out.extend(w for w in _TOKEN.findall(token.form.lower()) if w)
    return out


@dataclass(frozen=True)
class LexicalQuery:
    words: list[str]  # the query's words, as typed (normalised), for matched_terms
    word_terms: list[list[str]]  # the terms of each word
    terms: list[str]  # distinct terms, the query's own order
    # The query in the other language (documents.glossary): groups of alternative forms, each form
    # with its terms; a chunk holds a group when it holds every term of one of its forms.
    translated: list[list[tuple[str, list[str]]]] = field(default_factory=list)
    translated_language: str = ""  # the language of those terms: only documents in it are scored on them
    translated_reach: float = 0.0  # the share of the query they stand for

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def all_terms(self) -> list[str]:
        """The query's terms, then those of its translation, each once."""
        extra = (t for group in self.translated for _, form_terms in group for t in form_terms)
        return list(dict.fromkeys([*self.terms, *extra]))


def parse_query(text: str, *, translate: bool = True) -> LexicalQuery:
    found = words(text)
    if len(found) > MAX_QUERY_WORDS:
        half = MAX_QUERY_WORDS // 2
        found = found[:half] + found[-half:]
    unique_words = list(dict.fromkeys(found))
    per_word = [word_terms(word) for word in unique_words]
    distinct = list(dict.fromkeys(term for each in per_word for term in each))
    from django.conf import settings

    wanted = translate and settings.SEARCH_GLOSSARY
    translation = glossary.translate(text[:MAX_QUERY_CHARS_TRANSLATED]) if wanted else None
    if translation is None:
        return LexicalQuery(unique_words, per_word, distinct)
    groups = [[(form, terms(form)) for form in group] for group in translation.groups]
    translated = [[(form, found) for form, found in group if found] for group in groups]
    return LexicalQuery(
        unique_words, per_word, distinct, [g for g in translated if g], translation.language, translation.reach
    )


@lru_cache(maxsize=256)
def translated_terms(text: str) -> frozenset[str]:
    """The terms of the other language's forms of the career terms `text` holds (documents.glossary):
    what a Korean resume's 통계학 holds for an English posting's `statistics`, and the reverse."""
    return frozenset(t for form in glossary.forms_in(text) for t in terms(form))


def write_terms(chunks: list[tuple[int, str]]) -> None:
    """Index (chunk id, text) pairs in one statement; call it in the transaction that wrote the chunks."""
    from django.db import connection

    if not chunks:
        return
    ids = [chunk_id for chunk_id, _ in chunks]
    joined = [" ".join(dict.fromkeys(terms(text))) for _, text in chunks]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_chunk AS c SET lexical = array_to_tsvector(string_to_array(v.terms, ' ')) "
            "FROM unnest(%s::bigint[], %s::text[]) AS v(id, terms) WHERE c.id = v.id",
            [ids, joined],
        )
