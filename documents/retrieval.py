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

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import close_old_connections, connection

from aiserver import providers, vectorstore
from aiserver.executors import process_executor
from documents import lexical
from documents.models import COLLECTION_FOR_TYPE, DocumentType

MODES = ("hybrid", "dense", "lexical")
PHRASE_MIN_CHARS = 8  # shorter queries are keywords, not lines


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
) -> list[dict[str, Any]]:
    """The user's best `k` chunks for `query`, best first; `mode` is hybrid, dense or lexical."""
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}")
    scope = Scope(user_id, doc_type, tuple(dict.fromkeys(document_ids)))
    parsed = lexical.parse_query(query)
    pool = max(settings.SEARCH_CANDIDATES, k)
    lexical_future = None
    if mode != "dense" and not parsed.empty:
        lexical_future = process_executor("lexical", 2).submit(_lexical_in_thread, parsed, scope, query)
    found: dict[tuple[str, int], Candidate] = {}
    embedding: np.ndarray | None = None
    if mode != "lexical":
        embedding = np.asarray(providers.embedder().embed_query(dense_query(query)), dtype="float32")
        for hit in _dense(embedding, scope, pool):
            found[hit.key] = hit
    if lexical_future is not None:
        for hit in lexical_future.result():
            known = found.setdefault(hit.key, hit)
            if known is not hit:
                known.lexical, known.matched, known.pk = hit.lexical, hit.matched, hit.pk
            elif embedding is not None:
                hit.dense = _dense_from_postgres(embedding, hit)
    top = _fuse(list(found.values()), mode)[:k]
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
        only = {"document_id": ids[0]} if len(ids) == 1 else {"document_id": {"$in": ids}}
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


def _lexical_in_thread(parsed: lexical.LexicalQuery, scope: Scope, query: str) -> list[Candidate]:
    close_old_connections()
    try:
        return lexical_candidates(parsed, scope, query)
    finally:
        connection.close()


def lexical_candidates(parsed: lexical.LexicalQuery, scope: Scope, query: str) -> list[Candidate]:
    """Every chunk in scope holding a query term, scored by IDF-weighted coverage (+ phrase bonus)."""
    terms = parsed.terms
    presence = ", ".join(["c.lexical @@ %s::tsquery"] * len(terms))
    filters, params = ["c.user_id = %s", "d.vector_collection <> ''"], [scope.user_id]
    if scope.doc_type:
        filters.append("c.doc_type = %s")
        params.append(scope.doc_type)
    if scope.document_ids:
        filters.append("d.document_id = ANY(%s)")
        params.append(list(scope.document_ids))
    where = " AND ".join(filters)
    sql = (
        f"SELECT c.id, d.document_id, c.chunk_index, c.doc_type, ARRAY[{presence}], c.embedding, c.page "
        f"FROM documents_chunk c JOIN documents_document d ON d.id = c.document_id "
        f"WHERE {where} AND c.lexical @@ %s::tsquery"
    )
    count_sql = (
        f"SELECT count(*) FROM documents_chunk c JOIN documents_document d ON d.id = c.document_id "
        f"WHERE {where} AND c.lexical IS NOT NULL"
    )
    lexemes = [_lexeme(t) for t in terms]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*lexemes, *params, " | ".join(lexemes)])
        rows = cursor.fetchall()
        if not rows:
            return []
        cursor.execute(count_sql, params)
        total = cursor.fetchone()[0]
    df = np.sum(np.array([row[4] for row in rows], dtype=bool), axis=0)
    idf = np.array([math.log(1 + (total - d + 0.5) / (d + 0.5)) for d in df])
    weight = idf.sum() or 1.0
    phrase = _phrase(query)
    index = {term: i for i, term in enumerate(terms)}
    out = []
    for pk, document_id, chunk_index, doc_type, hits, embedding, page in rows:
        held = np.array(hits, dtype=bool)
        score = float(idf[held].sum() / weight)
        matched = [
            word
            for word, word_terms in zip(parsed.words, parsed.word_terms, strict=True)
            if word_terms and sum(held[index[t]] for t in word_terms) / len(word_terms) >= 0.75
        ]
        candidate = Candidate((document_id, chunk_index), doc_type, lexical=score, matched=matched, page=page, pk=pk)
        candidate._embedding = embedding  # type: ignore[attr-defined] - for _dense_from_postgres
        out.append(candidate)
    if phrase:
        _phrase_bonus(out, phrase, scope)
    return out


def _lexeme(term: str) -> str:
    # Terms hold only letters, digits and + # . (documents.lexical), never a quote or a backslash;
    # quoting makes the whole term one lexeme, with no tsquery operators in it.
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"


def _phrase(query: str) -> str:
    text = " ".join(lexical.normalise(query).split())
    return text if len(text) >= PHRASE_MIN_CHARS else ""


def _phrase_bonus(candidates: list[Candidate], phrase: str, scope: Scope) -> None:
    """A chunk holding the whole query as written (a copied line) scores above any partial match."""
    best = sorted(candidates, key=lambda c: c.lexical or 0.0, reverse=True)[: settings.SEARCH_CANDIDATES]
    texts = _texts_by_pk([c.pk for c in best if c.pk is not None], scope)
    for candidate in best:
        text = texts.get(candidate.pk or 0, "")
        candidate.text = text
        if phrase in " ".join(lexical.normalise(text).split()):
            candidate.lexical = (candidate.lexical or 0.0) + 1.0


def _texts_by_pk(pks: list[int], scope: Scope) -> dict[int, str]:
    if not pks:
        return {}
    with connection.cursor() as cursor:  # the user filter again: a text is only ever its owner's
        cursor.execute("SELECT id, text FROM documents_chunk WHERE id = ANY(%s) AND user_id = %s", [pks, scope.user_id])
        return dict(cursor.fetchall())


def _dense_from_postgres(embedding: np.ndarray, candidate: Candidate) -> float | None:
    stored = getattr(candidate, "_embedding", None)
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
        dense = _normalised([c.dense for c in candidates])
        for c, d in zip(candidates, dense, strict=True):
            c.fused = (1 - weight) * d + weight * (c.lexical or 0.0)
    return sorted(candidates, key=lambda c: (c.fused, c.dense or 0.0), reverse=True)


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


def _as_result(c: Candidate) -> dict[str, Any]:
    doc_type = c.doc_type if c.doc_type in DocumentType.values else DocumentType.RESUME
    return {
        "document_id": c.key[0],
        "chunk_index": c.key[1],
        "page": c.page,
        "type": c.doc_type,
        "collection": COLLECTION_FOR_TYPE[DocumentType(doc_type)],
        "score": round(c.fused, 4),
        "scores": {
            "dense": None if c.dense is None else round(c.dense, 4),
            "lexical": None if c.lexical is None else round(c.lexical, 4),
            "fused": round(c.fused, 4),
        },
        "matched_terms": c.matched,
        "text": c.text or "",
    }
