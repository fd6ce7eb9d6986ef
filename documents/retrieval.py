"""Hybrid retrieval over one user's chunks: dense (e5 in Chroma) and lexical (Postgres terms), fused.

Search, chat grounding, fit analysis and interviews all call `search`. Every query is scoped to one
`user_id` in both indexes, and lexical statistics (how rare a term is) are computed within that
scope only, so nothing about another user's documents shapes a result.

- **dense**: the query's e5 embedding against the user's vectors in Chroma (meaning, across Korean
  and English).
- **lexical**: the share of the query's information found in a chunk: each query term weighs its
  IDF within the user's chunks (`MICCAI` in one chunk of forty weighs far more than `경험` in all of
  them), summed over the terms the chunk holds, divided by the query's total. A chunk that contains
  the whole query as a phrase (a line copied from a document) gets the phrase bonus.
- **hybrid**: the two scores, each normalised over the candidates, fused by a weighted sum (the
  method and weight were chosen on `eval/retrieval`, see docs/retrieval.md). The lexical query runs
  while the query is embedded, and the dense score of a lexical candidate that Chroma did not return
  is computed from its embedding in Postgres, so every candidate has both scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import close_old_connections, connection

from aiserver import providers, vectorstore
from aiserver.executors import process_executor
from documents import lexical
from documents.models import COLLECTION_FOR_TYPE, Document, DocumentType

MODES = ("hybrid", "dense", "lexical")
# A translated question's coverage is scaled by the share of it the glossary knows, to this power: a
# single known word (`대학교` of `해오름대학교`) must not match a whole English document, and a question
# known at 0.5-0.8 must still open the lexical gate (eval/retrieval: 1.0 gave cross-lingual MRR 0.796,
# 0.5 gave 0.837, paraphrase and keyword unchanged; docs/retrieval.md).
TRANSLATED_REACH_POWER = 0.5
PHRASE_MIN_CHARS = 8  # shorter queries are keywords, not lines
EXACT_TEXTS_MAX = 64  # scopes this small read their chunks' texts with the scope query


@dataclass
class Candidate:
    key: tuple[str, int]  # (document_id, chunk_index)
    doc_type: str
    dense: float | None = None
    lexical: float | None = None
    fused: float = 0.0
    matched: list[str] = field(default_factory=list)
    page: int | None = None
    text: str | None = None
    pk: int | None = None
    embedding: bytes | memoryview | None = field(default=None, repr=False)
    language: str = ""  # its document's (ko, en, mixed): see _language_centred


@dataclass(frozen=True)
class Scope:
    user_id: str
    doc_type: str | None = None
    document_ids: tuple[str, ...] = ()


def search(
    *,
    query: str,
    user_id: str,
    doc_type: str | None = None,
    document_ids: Iterable[str] = (),
    k: int = 5,
    mode: str = "hybrid",
    all_if_few: bool = False,
) -> list[dict[str, Any]]:
    """The user's best `k` chunks for `query`, best first; `mode` is hybrid, dense or lexical.

    `all_if_few` (chat grounding): when the scope has at most `k` chunks, all of them in document
    order with no scores, and no query embedding: ranking at most k chunks for k slots would only
    reorder them, after ~1.5 ms per query token of embedding.
    """
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}")
    scope = Scope(user_id, doc_type, tuple(dict.fromkeys(document_ids)))
    # The glossary's translation only beside meaning: lexical mode is the user's own words.
    parsed = lexical.parse_query(query, translate=mode == "hybrid")
    if mode == "lexical" and parsed.empty:
        return []
    # The user's chunks are read from Postgres while the query is embedded (~9 ms on the e5 thread).
    counted: Future[int] = Future()
    rows_future = process_executor("scope-rows", 2).submit(
        _rows_in_thread, parsed, scope, mode, _phrase(query), counted, k if all_if_few else 0
    )
    if all_if_few and counted.result() <= k:
        return [_as_result(c, scored=False) for c in rows_future.result().rows]
    embedding = None
    if mode != "lexical":
        embedding = np.asarray(providers.embedder().embed_query(dense_query(query)), dtype="float32")
    rows = rows_future.result()
    found: dict[tuple[str, int], Candidate] = {}
    if embedding is not None and not rows.exact:
        for hit in _dense(embedding, scope, max(settings.SEARCH_CANDIDATES, k)):
            found[hit.key] = hit
    for row in rows.rows:
        candidate = found.get(row.key)
        if candidate is None:
            found[row.key] = candidate = row
            if embedding is not None:
                candidate.dense = _cosine(embedding, row.embedding)
        else:
            candidate.lexical, candidate.matched, candidate.pk = row.lexical, row.matched, row.pk
            candidate.language = row.language
    candidates = [c for c in found.values() if mode != "lexical" or c.lexical]
    if mode == "hybrid" and not rows.exact:
        _fill_languages(candidates, scope)
    top = _fuse(candidates, mode)[:k]
    _fill_texts(top, scope)
    return [_as_result(c) for c in top]


def dense_query(query: str) -> str:
    """What of a query is embedded: all of a short one; the head and the tail of a long one (a pasted
    posting with the question at the end). Embedding costs ~0.8 ms per token here; the lexical half
    still reads the whole query (its first and last words)."""
    limit = settings.CHAT_QUERY_CHARS
    if len(query) <= limit:
        return query
    half = limit // 2
    return f"{query[:half]} … {query[-half:]}"


def _dense(embedding: np.ndarray, scope: Scope, n: int) -> list[Candidate]:
    embedder = providers.embedder()
    where: dict[str, Any] = {"user_id": scope.user_id}
    if scope.document_ids:
        ids = list(scope.document_ids)
        only: dict[str, Any] = {"document_id": ids[0]} if len(ids) == 1 else {"document_id": {"$in": ids}}
        where = {"$and": [{"user_id": scope.user_id}, only]}
    types = [DocumentType(scope.doc_type)] if scope.doc_type else list(DocumentType)
    vector = embedding.tolist()

    def query(each: DocumentType) -> list[vectorstore.Hit]:
        return vectorstore.query(COLLECTION_FOR_TYPE[each], embedder.slug, embedding=vector, k=n, where=where)

    # One collection per document type, queried side by side (a Chroma server query is ~2.5 ms here).
    hits = [hit for found in process_executor("chroma-query", len(DocumentType)).map(query, types) for hit in found]
    return [
        Candidate(
            key=(str(hit.metadata.get("document_id")), int(hit.metadata.get("chunk_index", 0))),
            doc_type=str(hit.metadata.get("type")),
            dense=float(hit.score),
            page=hit.metadata.get("page"),
            text=hit.text,
        )
        for hit in hits
    ]


@dataclass
class ScopeRows:
    rows: list[Candidate]
    exact: bool  # every chunk in scope is here, with its embedding: dense scores need no Chroma query


def _rows_in_thread(
    parsed: lexical.LexicalQuery, scope: Scope, mode: str, phrase: str, counted: Future[int], few: int
) -> ScopeRows:
    close_old_connections()
    try:
        return scope_rows(parsed, scope, mode, phrase, counted, few)
    except BaseException as exc:
        if not counted.done():
            counted.set_exception(exc)
        raise
    finally:
        connection.close()  # back to the pool (DB_POOL); this thread is not a request's


def scope_rows(
    parsed: lexical.LexicalQuery,
    scope: Scope,
    mode: str,
    phrase: str = "",
    counted: Future[int] | None = None,
    few: int = 0,
) -> ScopeRows:
    """The scope's chunks that hold a query term, scored by IDF-weighted coverage (+ phrase bonus).

    When the scope has at most SEARCH_EXACT_MAX_CHUNKS chunks (a user's documents, a chat room's)
    and the query needs dense scores, every chunk comes back with its embedding instead, and dense
    scores are exact cosines computed here: one Postgres query instead of a Chroma query per
    collection after the embedding (measured: docs/retrieval.md). Larger scopes use Chroma's index.
    """
    terms = parsed.all_terms
    filters = ["c.user_id = %s", "d.vector_collection <> ''", "c.embedding IS NOT NULL"]
    params: list[Any] = [scope.user_id]
    if scope.doc_type:
        filters.append("c.doc_type = %s")
        params.append(scope.doc_type)
    if scope.document_ids:
        filters.append("d.document_id = ANY(%s)")
        params.append(list(scope.document_ids))
    where = " AND ".join(filters)
    lexemes = [_lexeme(t) for t in terms]
    presence = "ARRAY[" + ", ".join(["coalesce(c.lexical @@ %s::tsquery, false)"] * len(terms)) + "]"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM documents_chunk c JOIN documents_document d ON d.id = c.document_id "
                       f"WHERE {where}", params)  # fmt: skip
        total = cursor.fetchone()[0]
        if counted is not None:
            counted.set_result(total)
        exact = (mode != "lexical" and total <= settings.SEARCH_EXACT_MAX_CHUNKS) or total <= few
        # A few chunks (a chat room's documents) come with their texts: no second query after ranking.
        text = "c.text" if exact and total <= max(EXACT_TEXTS_MAX, few) else "NULL"
        select = (
            f"SELECT c.id, d.document_id, c.chunk_index, c.doc_type, c.page, c.embedding, "
            f"{presence if terms else 'ARRAY[]::boolean[]'}, {text}, d.language "
            f"FROM documents_chunk c JOIN documents_document d ON d.id = c.document_id WHERE {where}"
        )
        order = " ORDER BY d.created_at, d.id, c.chunk_index"
        if exact:
            cursor.execute(select + order, [*lexemes, *params])
        elif terms:
            cursor.execute(f"{select} AND c.lexical @@ %s::tsquery{order}", [*lexemes, *params, " | ".join(lexemes)])
        else:
            return ScopeRows([], exact=False)
        rows = cursor.fetchall()
    out = [
        Candidate(
            (document_id, chunk_index), doc_type, page=page, pk=pk, embedding=embedding, text=text, language=language
        )
        for pk, document_id, chunk_index, doc_type, page, embedding, _, text, language in rows
    ]
    if terms and rows:
        _score_lexical(parsed, query_rows=out, presence=[row[6] for row in rows], total=total)
        if phrase:
            _phrase_bonus(out, phrase, scope)
    return ScopeRows(out, exact)


def _score_lexical(parsed: lexical.LexicalQuery, *, query_rows: list[Candidate], presence: list, total: int) -> None:
    terms = parsed.all_terms
    held_all = np.array(presence, dtype=bool).reshape(len(query_rows), len(terms))
    df = held_all.sum(axis=0)
    idf = np.log1p((total - df + 0.5) / (df + 0.5))
    index = {term: i for i, term in enumerate(terms)}
    own = [index[t] for t in parsed.terms]
    weight = float(idf[own].sum()) or 1.0
    translated = _TranslatedCoverage(parsed.translated, index, idf, held_all) if parsed.translated else None
    for row, (candidate, held) in enumerate(zip(query_rows, held_all, strict=True)):
        if not held.any():
            continue
        candidate.lexical = float(idf[own][held[own]].sum() / weight)
        candidate.matched = [
            word
            for word, word_terms in zip(parsed.words, parsed.word_terms, strict=True)
            if word_terms and sum(held[index[t]] for t in word_terms) / len(word_terms) >= 0.75
        ]
        # The translation counts for documents in its language only: on the question's own language it
        # would lift paraphrases' near misses (measured, docs/retrieval.md).
        if translated is not None and candidate.language in (parsed.translated_language, "mixed"):
            share = float(translated.shares[row]) * parsed.translated_reach**TRANSLATED_REACH_POWER
            candidate.lexical = max(candidate.lexical, share)
            candidate.matched += [form for form in translated.forms(row) if form not in candidate.matched]


class _TranslatedCoverage:
    """Each row's IDF-weighted share of the query's translated groups (documents.glossary) it holds: a
    group is held by a chunk holding every term of one of its forms, and weighs the mean IDF of its
    forms' terms. Column operations over all rows at once (a Python loop per row and form cost ~20 ms
    over 400 chunks)."""

    def __init__(
        self, groups: list[list[tuple[str, list[str]]]], index: dict[str, int], idf: np.ndarray, held: np.ndarray
    ) -> None:
        self.groups = groups
        # hit[g, row]: the first form of group g the row holds, -1 for none
        self.hit = np.full((len(groups), len(held)), -1, dtype=np.int16)
        weights = np.empty(len(groups))
        for g, group in enumerate(groups):
            columns = [[index[t] for t in form_terms] for _, form_terms in group]
            weights[g] = np.mean([idf[form].mean() for form in columns])
            for f in reversed(range(len(columns))):  # the first form held wins: written last
                self.hit[g, held[:, columns[f]].all(axis=1)] = f
        self.shares = (weights @ (self.hit >= 0)) / (float(weights.sum()) or 1.0)

    def forms(self, row: int) -> list[str]:
        return [self.groups[g][f][0] for g, f in enumerate(self.hit[:, row]) if f >= 0]


def _lexeme(term: str) -> str:
    # Terms hold only letters, digits and + # . (documents.lexical), never a quote or a backslash;
    # quoting makes the whole term one lexeme, with no tsquery operators in it.
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"


def _phrase(query: str) -> str:
    text = " ".join(lexical.normalise(query).split())
    return text if len(text) >= PHRASE_MIN_CHARS else ""


def _phrase_bonus(candidates: list[Candidate], phrase: str, scope: Scope) -> None:
    """A chunk holding the whole query as written (a copied line) scores above any partial match.
    Only a chunk that holds every term of the query can hold the phrase: only those texts are read."""
    whole = [c for c in candidates if (c.lexical or 0.0) >= 0.999][: settings.SEARCH_CANDIDATES]
    texts = _texts_by_pk([c.pk for c in whole if c.pk is not None and c.text is None], scope)
    for candidate in whole:
        if candidate.text is None:
            candidate.text = texts.get(candidate.pk or 0, "")
        if phrase in " ".join(lexical.normalise(candidate.text).split()):
            candidate.lexical = (candidate.lexical or 0.0) + 1.0


def _texts_by_pk(pks: list[int], scope: Scope) -> dict[int, str]:
    if not pks:
        return {}
    with connection.cursor() as cursor:  # the user filter again: a text is only ever its owner's
        cursor.execute("SELECT id, text FROM documents_chunk WHERE id = ANY(%s) AND user_id = %s", [pks, scope.user_id])
        return dict(cursor.fetchall())


def _cosine(embedding: np.ndarray, stored: bytes | memoryview | None) -> float | None:
    if stored is None:
        return None
    vector = np.frombuffer(bytes(stored), dtype="<f4")
    if vector.shape != embedding.shape:
        return None  # written by another embedding model: no comparable score
    denominator = float(np.linalg.norm(vector) * np.linalg.norm(embedding)) or 1.0
    return float(vector @ embedding) / denominator


def _normalised(values: list[float | None]) -> list[float]:
    present = [v for v in values if v is not None]
    if not present:
        return [0.0 for _ in values]
    low, high = min(present), max(present)
    span = high - low
    return [0.0 if v is None else (1.0 if span == 0 else (v - low) / span) for v in values]


def _fuse(candidates: list[Candidate], mode: str) -> list[Candidate]:
    if mode == "dense":
        for c in candidates:
            c.fused = c.dense if c.dense is not None else -1.0
    elif mode == "lexical":
        for c in candidates:
            c.fused = c.lexical or 0.0
    else:
        weight = settings.SEARCH_LEXICAL_WEIGHT * _lexical_confidence(candidates)
        dense = _normalised(_language_centred(candidates))
        for c, d in zip(candidates, dense, strict=True):
            c.fused = (1 - weight) * d + weight * (c.lexical or 0.0)
    return sorted(candidates, key=lambda c: (c.fused, c.dense or 0.0), reverse=True)


def _language_centred(candidates: list[Candidate]) -> list[float | None]:
    """Dense scores with SEARCH_LANGUAGE_CENTRING of each document language's mean taken off.

    e5 scores a question higher against any text in its own language than against the right text in
    the other: a Korean question about an English resume found Korean postings first (cross-lingual
    recall@3 0.398, eval/retrieval). How much higher is the gap between the languages' means over
    the candidates, so each language's scores are moved by that share of their own mean: cross-lingual
    recall@3 0.398 -> 0.751 with the other classes unchanged (docs/retrieval.md). Only when there are
    two languages with SEARCH_LANGUAGE_MIN_CHUNKS candidates each: a few chunks give no steady mean.
    """
    share = settings.SEARCH_LANGUAGE_CENTRING
    groups: dict[str, list[float]] = {}
    for c in candidates:
        if c.dense is not None:
            groups.setdefault(c.language, []).append(c.dense)
    steady = {lang: sum(v) / len(v) for lang, v in groups.items() if len(v) >= settings.SEARCH_LANGUAGE_MIN_CHUNKS}
    if share <= 0 or len(steady) < 2:
        return [c.dense for c in candidates]
    return [None if c.dense is None else c.dense - share * steady.get(c.language, 0.0) for c in candidates]


def _fill_languages(candidates: list[Candidate], scope: Scope) -> None:
    """Document languages of the candidates Chroma returned (its metadata does not hold them)."""
    missing = {c.key[0] for c in candidates if not c.language}
    if not missing:
        return
    languages = dict(
        Document.objects.filter(user_id=scope.user_id, document_id__in=missing).values_list("document_id", "language")
    )
    for c in candidates:
        if not c.language:
            c.language = languages.get(c.key[0], "")


def _lexical_confidence(candidates: list[Candidate]) -> float:
    """How much the lexical half counts for this query, 0..1, from how much of it the best chunk holds.

    A line copied from a document or a rare skill is found whole somewhere (coverage ~1, or the
    phrase bonus): lexical evidence then decides. A question in Korean about an English resume, or a
    paraphrase, matches only common words here and there; counted fully, those partial matches
    pushed same-language documents above the right one (cross-lingual MRR 0.379 dense -> 0.275 with
    a flat weight, eval/retrieval). Below SEARCH_LEXICAL_GATE coverage the dense order stands.
    """
    best = max((c.lexical or 0.0 for c in candidates), default=0.0)
    gate = settings.SEARCH_LEXICAL_GATE
    if best >= 1.0 or gate <= 0:
        return 1.0
    return min(max((best - gate) / (1.0 - gate), 0.0), 1.0)


def _fill_texts(top: list[Candidate], scope: Scope) -> None:
    """Texts of lexical-only results (dense hits carry theirs from Chroma)."""
    missing = [c for c in top if c.text is None and c.pk is not None]
    texts = _texts_by_pk([c.pk for c in missing if c.pk is not None], scope)
    for c in missing:
        c.text = texts.get(c.pk or 0, "")


def _as_result(c: Candidate, *, scored: bool = True) -> dict[str, Any]:
    doc_type = c.doc_type if c.doc_type in DocumentType.values else DocumentType.RESUME
    return {
        "document_id": c.key[0],
        "chunk_index": c.key[1],
        "page": c.page,
        "type": c.doc_type,
        "collection": COLLECTION_FOR_TYPE[DocumentType(doc_type)],
        "score": round(c.fused, 4) if scored else None,
        "scores": {
            "dense": None if c.dense is None else round(c.dense, 4),
            "lexical": None if c.lexical is None else round(c.lexical, 4),
            "fused": round(c.fused, 4) if scored else None,
        },
        "matched_terms": c.matched,
        "text": c.text or "",
    }
