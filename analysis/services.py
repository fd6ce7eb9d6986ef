"""Fit analysis: match a resume with a job posting, keep the result, list and read results."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aiserver import archive
from aiserver.errors import DomainError, ErrorCode
from analysis import inputs, jobs, judgement, scoring
from analysis import requirements as reqs
from analysis.models import FitAnalysis
from documents import glossary
from documents.models import Document, DocumentType
from tasks import services as task_services
from tasks.models import ACTIVE, Task

logger = logging.getLogger(__name__)
SCORING_VERSION = "fit-3"  # bump when scoring or its texts change: stored results of older scoring are recomputed
MONGO_COLLECTION = "analysis_results"


def _key(user_id: str, resume: Document, posting: Document) -> str:
    # With a judging LLM configured the result differs: its own key.
    # An edited glossary (documents.glossary) changes what a resume holds across languages: its own key.
    llm = f"llm={settings.LLM_PROVIDER}" if judgement.enabled() else "llm=none"
    parts = [SCORING_VERSION, glossary.version(), llm, user_id]
    for document in (resume, posting):
        parts += [document.document_id, document.updated_at.isoformat(), str(document.chunk_count)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def match(*, user_id: str, resume_document_id: str, job_posting_document_id: str, vectors: Any = None) -> FitAnalysis:
    """The analysis of this pair: the stored one when neither document changed, else a new one.

    Without a judging LLM it is computed here (~0.1-0.3 s). With one (seconds), the row is created
    pending and a `fit_match` task computes it: the caller gets `analysis.task_id` to poll.
    """
    resume = inputs.owned_document(user_id=user_id, document_id=resume_document_id, doc_type=DocumentType.RESUME)
    posting = inputs.owned_document(
        user_id=user_id, document_id=job_posting_document_id, doc_type=DocumentType.JOB_POSTING
    )
    key = _key(user_id, resume, posting)
    found = FitAnalysis.objects.filter(key=key).first()
    if found is not None and found.state == FitAnalysis.State.DONE:
        return found
    with transaction.atomic():
        analysis, _ = FitAnalysis.objects.select_for_update().update_or_create(
            key=key,
            defaults={
                "user_id": user_id,
                "resume_document_id": resume.document_id,
                "posting_document_id": posting.document_id,
                "state": FitAnalysis.State.PENDING,
            },
        )
    if judgement.enabled():
        active = Task.objects.filter(kind=jobs.KIND, subject_id=str(analysis.pk), status__in=ACTIVE).first()
        task = active or task_services.submit(
            kind=jobs.KIND, subject_id=str(analysis.pk), subject_ref=str(analysis.pk), label="fit",
            user_id=user_id, first_stage=jobs.STAGE,
        )  # fmt: skip
        analysis.task_id = str(task.id)  # type: ignore[attr-defined]  # for the view's 202
        return analysis
    finish(analysis, compute(resume, posting, vectors))
    return analysis


def compute_for(analysis: FitAnalysis) -> dict[str, Any]:
    resume = inputs.owned_document(
        user_id=analysis.user_id, document_id=analysis.resume_document_id, doc_type=DocumentType.RESUME
    )
    posting = inputs.owned_document(
        user_id=analysis.user_id, document_id=analysis.posting_document_id, doc_type=DocumentType.JOB_POSTING
    )
    return compute(resume, posting)


def finish(analysis: FitAnalysis, result: dict[str, Any]) -> None:
    analysis.state, analysis.score, analysis.band, analysis.result = (
        FitAnalysis.State.DONE, result["score"], result["band"], result,
    )  # fmt: skip
    analysis.save(update_fields=["state", "score", "band", "result", "updated_at"])
    transaction.on_commit(lambda: archive_pending(ids=[analysis.id]))


def requirements_of(posting: Document) -> list[reqs.Requirement]:
    return reqs.extract(posting.text)[: settings.FIT_MAX_REQUIREMENTS]


def compute(resume: Document, posting: Document, vectors: Any = None) -> dict[str, Any]:
    """`vectors`: the requirements' embeddings when the caller embedded several postings' at once."""
    found = requirements_of(posting)
    result = scoring.analyse(
        inputs.chunks_of(resume),
        inputs.chunks_of(posting),
        posting.text,
        inputs.requirement_vectors(found) if vectors is None else vectors,
        found,
        anchors=inputs.anchors(),
        languages=(inputs.language(resume), inputs.language(posting)),
    )
    judged = judgement.judge([r.text for r in found], resume.text, inputs.language(resume))
    scoring.add_llm_signal(result, judged, [r.weight for r in found])
    result["signals_used"] = sorted(result["signals"])
    result["llm"] = {k: v for k, v in judged.items() if k in ("used", "note", "summary")}
    return result


def as_dict(analysis: FitAnalysis) -> dict[str, Any]:
    return {
        "id": str(analysis.id),
        "user_id": analysis.user_id,
        "resume_document_id": analysis.resume_document_id,
        "job_posting_document_id": analysis.posting_document_id,
        "created_at": analysis.created_at.isoformat(),
        **(analysis.result or {}),
    }


def get(*, user_id: str, analysis_id: str) -> FitAnalysis:
    analysis = FitAnalysis.objects.filter(id=analysis_id, user_id=user_id, state=FitAnalysis.State.DONE).first()
    if analysis is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No analysis {analysis_id!r} of this user.")
    return analysis


def list_for(*, user_id: str, offset: int = 0, limit: int = 50) -> tuple[int, list[FitAnalysis]]:
    rows = FitAnalysis.objects.filter(user_id=user_id, state=FitAnalysis.State.DONE)
    return rows.count(), list(rows[offset : offset + limit])


def archive_pending(*, ids: list[Any] | None = None, batch: int = 200) -> int:
    """Copy analyses not yet in MongoDB there (when MONGO_URL is set). Scheduled every minute, so an
    outage only delays it; Postgres keeps every analysis meanwhile."""
    if not archive.enabled():
        return 0
    from pymongo.errors import PyMongoError

    rows = FitAnalysis.objects.filter(state=FitAnalysis.State.DONE, archived_at__isnull=True)
    if ids is not None:
        rows = rows.filter(id__in=ids)
    # Locked while MongoDB takes the copies: an erasure (analysis.erasure) deleting the rows waits for
    # this, then deletes the copies too, so none is written back after it.
    with transaction.atomic():
        pending = list(rows.select_for_update(skip_locked=True)[:batch])
        if not pending:
            return 0
        try:
            archive.upsert(MONGO_COLLECTION, [{"_id": str(a.id), **as_dict(a)} for a in pending])
        except PyMongoError:
            logger.warning("MongoDB unavailable; %d analysis result(s) stay queued", len(pending), exc_info=True)
            return 0
        FitAnalysis.objects.filter(id__in=[a.id for a in pending]).update(archived_at=timezone.now())
    return len(pending)


def rank(
    *,
    user_id: str,
    resume_document_id: str | None = None,
    job_posting_document_id: str | None = None,
    document_ids: list[str] | None = None,
    limit: int = 5,
) -> dict[str, Any]:
    """Rank the user's postings for one resume, or given resumes for one posting.

    A first cut scores every candidate by the whole-document signals (anchored meaning and named
    skills, from the embeddings and terms already stored: no embedding call); the best `limit` are
    then analysed in full (requirements and all, stored like any match, so a second rank reuses them).
    Their requirements are embedded in one batch: ~12 ms each on this CPU, the floor of a ranking.
    """
    if (resume_document_id is None) == (job_posting_document_id is None):
        raise DomainError(ErrorCode.INVALID_REQUEST, "Give either resume_document_id or job_posting_document_id.")
    if resume_document_id is not None:
        anchor = inputs.owned_document(user_id=user_id, document_id=resume_document_id, doc_type=DocumentType.RESUME)
        candidates = _candidates(user_id, DocumentType.JOB_POSTING, document_ids)
    else:
        anchor = inputs.owned_document(
            user_id=user_id, document_id=job_posting_document_id or "", doc_type=DocumentType.JOB_POSTING
        )
        if not document_ids:
            raise DomainError(ErrorCode.INVALID_REQUEST, "Name the resumes to rank for this posting (document_ids).")
        candidates = _candidates(user_id, DocumentType.RESUME, document_ids)
    anchor_chunks = inputs.chunks_of(anchor)
    loaded = inputs.chunks_of_many(candidates)
    anchor_terms: dict[bool, set[str]] = {}  # an anchor resume's term_set, same language and across
    first_cut = []
    for candidate in candidates:
        chunks = loaded.get(candidate.pk)
        if chunks is None:
            continue
        if anchor.type == DocumentType.RESUME:
            resume, posting, resume_doc, posting_doc = anchor_chunks, chunks, anchor, candidate
        else:
            resume, posting, resume_doc, posting_doc = chunks, anchor_chunks, candidate, anchor
        languages = (inputs.language(resume_doc), inputs.language(posting_doc))
        terms = None
        if anchor.type == DocumentType.RESUME:
            across = languages[0] != languages[1]
            if across not in anchor_terms:
                anchor_terms[across] = scoring.term_set(anchor_chunks, across=across)
            terms = anchor_terms[across]
        quick = scoring.quick_score(
            resume, posting, posting_doc.text, anchors=inputs.anchors(), languages=languages, resume_terms=terms
        )
        first_cut.append((quick, candidate))
    first_cut.sort(key=lambda pair: pair[0], reverse=True)
    chosen = first_cut[:limit]
    vectors = _requirement_vectors_at_once([c for _, c in chosen] if anchor.type == DocumentType.RESUME else [anchor])
    results = []
    for quick, candidate in chosen:
        resume_doc, posting_doc = (anchor, candidate) if anchor.type == DocumentType.RESUME else (candidate, anchor)
        analysis = match(
            user_id=user_id, resume_document_id=resume_doc.document_id,
            job_posting_document_id=posting_doc.document_id, vectors=vectors.get(posting_doc.pk),
        )  # fmt: skip
        results.append(
            {"document_id": candidate.document_id, "score": analysis.score, "band": analysis.band,
             "analysis_id": str(analysis.id), "first_cut": round(quick, 1)}
        )  # fmt: skip
    results.sort(key=lambda row: float(row["score"] or 0), reverse=True)
    return {"candidates": len(candidates), "analysed": len(results), "results": results}


def _requirement_vectors_at_once(postings: list[Document]) -> dict[int, Any]:
    """Every posting's requirements embedded in one batch (one e5 call instead of one per posting)."""
    found = {p.pk: requirements_of(p) for p in postings}
    texts = [r for p in postings for r in found[p.pk]]
    vectors = inputs.requirement_vectors(texts)
    out, start = {}, 0
    for p in postings:
        out[p.pk] = vectors[start : start + len(found[p.pk])]
        start += len(found[p.pk])
    return out


def _candidates(user_id: str, doc_type: str, document_ids: list[str] | None) -> list[Document]:
    rows = (
        Document.objects.filter(user_id=user_id, type=doc_type).exclude(vector_collection="").filter(chunk_count__gt=0)
    )
    if document_ids:
        rows = rows.filter(document_id__in=document_ids)
        missing = set(document_ids) - set(rows.values_list("document_id", flat=True))
        if missing:
            raise DomainError(ErrorCode.NOT_FOUND, f"No indexed {doc_type} {sorted(missing)[0]!r} of this user.")
    return list(rows.order_by("created_at")[: settings.FIT_MAX_CANDIDATES])
