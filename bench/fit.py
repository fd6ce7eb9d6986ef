#!/usr/bin/env python
"""Fit analysis benchmarks (issue 14), in process on the benchmark database:

  (k) POST /ai/analysis/match server time, new pairs (nothing stored), p50/p99   target p50 <= 300 ms
      beside it: the e5 batch embedding of the same posting's requirements alone
  (l) ranking one resume against 200 postings (first cut on all, full analysis of the best 5),
      no LLM judgement                                                          target <= 2 s

Run: `.venv/bin/python bench/fit.py` (own database `aiserver_bench`, Redis db 14). The 200 postings
are the 12 of eval/corpus, each repeated with its own company line, embedded for real (~3 minutes).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import REPO, setup_django  # noqa: E402 - sets the benchmark environment first

POSTINGS = 200
rows: list[tuple[str, str, str, str]] = []


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def ingest(user: str, document_id: str, doc_type: str, text: str) -> None:
    from django_q.conf import Conf

    from documents.jobs import submit_ingest
    from documents.services import register_text

    Conf.SYNC = True
    submit_ingest(register_text(user_id=user, document_id=document_id, doc_type=doc_type, text=text))
    Conf.SYNC = False


def main() -> None:
    setup_django()
    from django.test import Client

    from analysis import inputs, requirements
    from analysis.models import FitAnalysis
    from documents.models import Document

    corpus = REPO / "eval" / "corpus"
    postings = sorted(corpus.glob("posting_*.txt"))
    resume_text = (corpus / "resume_ko_backend_kim.txt").read_text()
    user = "bench-fit"
    Document.objects.filter(user_id=user).delete()
    FitAnalysis.objects.filter(user_id=user).delete()
    ingest(user, "fit-resume", "resume", resume_text)
    started = time.perf_counter()
    for n in range(POSTINGS):
        text = postings[n % len(postings)].read_text()
        ingest(user, f"fit-posting-{n}", "job_posting", f"{text}\n\n공고 {n}: 주식회사 벤치{n} 채용팀")
    print(f"ingested {POSTINGS} postings in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    client = Client(HTTP_AUTHORIZATION="Bearer dev-token")
    times, embed_times = [], []
    for n in range(40):
        FitAnalysis.objects.filter(user_id=user).delete()  # a new pair each time: nothing stored to return
        body = {"user_id": user, "resume_document_id": "fit-resume", "job_posting_document_id": f"fit-posting-{n}"}
        start = time.perf_counter()
        response = client.post("/ai/analysis/match", body, content_type="application/json")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
        posting = Document.objects.get(document_id=f"fit-posting-{n}")
        start = time.perf_counter()
        inputs.requirement_vectors(requirements.extract(posting.text))
        embed_times.append((time.perf_counter() - start) * 1000)
    served, embedded = times[5:], embed_times[5:]
    rows.append(("(k) POST /ai/analysis/match, new pair", f"p50 {pct(served, 50):.0f} ms, p99 {pct(served, 99):.0f} ms",
                 f"requirements' e5 embedding alone p50 {pct(embedded, 50):.0f} ms", ""))  # fmt: skip

    rank_times = []
    for _ in range(3):
        FitAnalysis.objects.filter(user_id=user).delete()
        start = time.perf_counter()
        response = client.post("/ai/analysis/rank", {"user_id": user, "resume_document_id": "fit-resume"},
                               content_type="application/json")  # fmt: skip
        rank_times.append(time.perf_counter() - start)
        assert response.status_code == 200 and response.json()["candidates"] == POSTINGS, response.content
    best = response.json()["results"][0]
    rows.append((f"(l) rank one resume against {POSTINGS} postings (5 analysed in full), no LLM",
                 f"median {statistics.median(rank_times):.2f} s", f"best: {best['document_id']}, {best['score']}",
                 ""))  # fmt: skip
    print("\n| measure | aiserver | beside it | |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
