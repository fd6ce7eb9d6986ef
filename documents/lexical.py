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
from dataclasses import dataclass
from functools import cache

# A Latin/digit word with the inner symbols tech names use; or a run of Hangul / CJK / kana.
_TOKEN = re.compile(
    r"[a-z0-9]+(?:[.+#][a-z0-9+#]+)*[+#]*"
    r"|[\uac00-\ud7a3\u3131-\u318e\u4e00-\u9fff\u3040-\u30ff\uf900-\ufaff]+"
)
_CJK = re.compile(r"[^\x00-\x7f]")
MAX_TERM_CHARS = 64  # longer runs are noise (base64, hashes); tsvector lexemes stay small
MAX_QUERY_WORDS = 64  # of a long query, the first and last words (a pasted posting still matches)


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

    @property
    def empty(self) -> bool:
        return not self.terms


def parse_query(text: str) -> LexicalQuery:
    found = words(text)
    if len(found) > MAX_QUERY_WORDS:
        half = MAX_QUERY_WORDS // 2
        found = found[:half] + found[-half:]
    unique_words = list(dict.fromkeys(found))
    per_word = [word_terms(word) for word in unique_words]
    distinct = list(dict.fromkeys(term for each in per_word for term in each))
    return LexicalQuery(words=unique_words, word_terms=per_word, terms=distinct)


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
