#!/usr/bin/env python
"""Quality evaluation on the sets in this folder (`make eval`).

  fit         the same corpus, then every graded pair of eval/fit/pairs.jsonl: Spearman of each
              signal alone and of the combined score with the grade (0-3), no LLM.
  retrieval   ingests eval/corpus + the shared fixtures for one user (the real pipeline, OCR
              included), runs every query of eval/retrieval/queries.jsonl in each search mode and
              prints recall@3, MRR and top-1 per query class for dense, lexical and hybrid.
              --weights 0.3,0.5 also prints hybrid at each lexical weight (tuning);
              --queries FILE / --manifest FILE check another (held-out) set the same way.

Own database `aiserver_eval`, Redis db 12, embedded Chroma in a temporary directory, Django-Q
inline (Q_SYNC). Documents are ranked by their best chunk.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
EVAL = REPO / "eval"
FIXTURES = Path(os.environ.get("AISERVER_FIXTURES", REPO.parent / "shared" / "fixtures"))
# --reuse keeps the ingested corpus between runs (tuning): then the data lives in data/eval.
REUSE = "--reuse" in sys.argv
DATA = REPO / "data" / "eval" if REUSE else Path(tempfile.mkdtemp(prefix="aiserver-eval-"))
ENV = {
    "DATABASE_URL": os.environ.get("EVAL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aiserver_eval"),
    "REDIS_URL": "redis://127.0.0.1:6379/12",
    "Q_NAME": "aiserver-eval",
    "Q_SYNC": "1",
    "AISERVER_DATA_DIR": str(DATA),
    "CHROMA_PATH": str(DATA / "chroma"),
    "LLM_PROVIDER": "fake",
    "DJANGO_SETTINGS_MODULE": "aiserver.settings",
}
USER = "eval"
CLASSES = ("exact_line", "keyword", "cross_lingual", "paraphrase")


def setup() -> bool:
    """A fresh database (True), or with --reuse the one already ingested (False)."""
    import psycopg

    for key in ("CHROMA_HOST",):
        os.environ.pop(key, None)
    os.environ.update(ENV)
    name = ENV["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if REUSE and exists and (DATA / "ingested").exists():
            import django

            django.setup()
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from aiserver import redis_store

    redis_store.raw_client().flushdb()
    return True


def load_manifest(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text())


def ingest(manifest: list[dict[str, Any]], corpus_dir: Path) -> None:
    from documents import services
    from documents.jobs import submit_ingest
    from tasks.models import Task

    started = time.perf_counter()
    for entry in manifest:
        document_id, doc_type = entry["document_id"], entry["type"]
        if entry.get("fixture"):
            path = FIXTURES / entry["path"]
            document = services.register_upload(
                user_id=USER, document_id=document_id, doc_type=doc_type, data=path.read_bytes(),
                filename=path.name, declared_type="",
            )  # fmt: skip
        else:
            text = (corpus_dir / entry["file"]).read_text()
            document = services.register_text(user_id=USER, document_id=document_id, doc_type=doc_type, text=text)
        task = submit_ingest(document)
        task = Task.objects.get(id=task.id)
        if task.status != "completed":
            raise SystemExit(f"{document_id}: ingestion {task.status} {task.error_code} {task.error_message}")
    print(f"ingested {len(manifest)} documents in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def ranked_documents(query: str, mode: str) -> list[str]:
    from documents.retrieval import search

    hits = search(query=query, user_id=USER, k=30, mode=mode)
    return list(dict.fromkeys(hit["document_id"] for hit in hits))


def score(queries: list[dict[str, Any]], mode: str) -> dict[str, dict[str, float]]:
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for q in queries:
        ranking = ranked_documents(q["query"], mode)
        relevant = set(q["relevant"])
        first = next((i for i, d in enumerate(ranking) if d in relevant), None)
        for group in (q["class"], "all"):
            s = sums[group]
            s["n"] += 1
            s["recall@3"] += len(relevant & set(ranking[:3])) / len(relevant)
            s["mrr"] += 0.0 if first is None else 1.0 / (first + 1)
            s["top1"] += 1.0 if first == 0 else 0.0
    return {g: {m: (v / s["n"] if m != "n" else v) for m, v in s.items()} for g, s in sums.items()}


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| class | n | mode | recall@3 | MRR | top-1 |", "| --- | --- | --- | --- | --- | --- |"]
    for group in (*CLASSES, "all"):
        for mode, by_group in results.items():
            if group in by_group:
                m = by_group[group]
                lines.append(
                    f"| {group} | {int(m['n'])} | {mode} | {m['recall@3']:.3f} | {m['mrr']:.3f} | {m['top1']:.3f} |"
                )
    return "\n".join(lines)


def retrieval(args: argparse.Namespace) -> None:
    from django.conf import settings

    manifest_path = Path(args.manifest)
    if setup():
        ingest(load_manifest(manifest_path), manifest_path.parent)
        if REUSE:
            (DATA / "ingested").write_text(str(manifest_path))
    queries = [json.loads(line) for line in Path(args.queries).read_text().splitlines() if line.strip()]
    results = {mode: score(queries, mode) for mode in ("dense", "lexical", "hybrid")}
    print(f"\nretrieval: {len(queries)} queries, analyzer {settings.LEXICAL_ANALYZER}, "
          f"lexical weight {settings.SEARCH_LEXICAL_WEIGHT}\n")  # fmt: skip
    print(table(results))
    if args.weights:
        print("\nhybrid by lexical weight (MRR / top-1 per class)\n")
        print("| weight | " + " | ".join(CLASSES) + " |\n| --- |" + " --- |" * len(CLASSES))
        for weight in [float(w) for w in args.weights.split(",")]:
            settings.SEARCH_LEXICAL_WEIGHT = weight
            by = score(queries, "hybrid")
            cells = [f"{by[c]['mrr']:.3f} / {by[c]['top1']:.3f}" if c in by else "-" for c in CLASSES]
            print(f"| {weight} | " + " | ".join(cells) + " |")
    if args.misses:
        for q in queries:
            ranking = ranked_documents(q["query"], "hybrid")
            if not ranking or ranking[0] not in q["relevant"]:
                print(f"MISS {q['id']} [{q['class']}] {q['query'][:70]!r} -> {ranking[:3]} want {q['relevant']}")


def spearman(a: list[float], b: list[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    import numpy as np

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out

    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def fit(args: argparse.Namespace) -> None:
    manifest_path = Path(args.manifest)
    if setup():
        ingest(load_manifest(manifest_path), manifest_path.parent)
        if REUSE:
            (DATA / "ingested").write_text(str(manifest_path))
    from analysis import services
    from documents.models import Document

    pairs = [json.loads(line) for line in Path(args.pairs).read_text().splitlines() if line.strip()]
    results = []
    for pair in pairs:
        resume = Document.objects.get(document_id=pair["resume"], user_id=USER)
        posting = Document.objects.get(document_id=pair["posting"], user_id=USER)
        results.append(services.compute(resume, posting))
    grades = [p["grade"] for p in pairs]
    print(f"\nfit: {len(pairs)} graded pairs (grade 0-3), Spearman correlation with the grade\n")
    print("| signal | Spearman | pairs with it |\n| --- | --- | --- |")
    for name in ("requirements", "semantic", "skills", "seniority"):
        # A pair without the signal (no years asked, no named tools) ranks in the middle.
        values = [r["signals"].get(name, {}).get("value", 0.5) for r in results]
        have = sum(name in r["signals"] for r in results)
        print(f"| {name} alone | {spearman(values, grades):.3f} | {have} |")
    print(f"| **combined score (no LLM)** | **{spearman([r['score'] for r in results], grades):.3f}** | {len(pairs)} |")
    print("\n| grade | n | score mean | min | max | bands |\n| --- | --- | --- | --- | --- | --- |")
    for grade in sorted(set(grades), reverse=True):
        scores = [r["score"] for r, g in zip(results, grades, strict=True) if g == grade]
        bands = [r["band"] for r, g in zip(results, grades, strict=True) if g == grade]
        counts = ", ".join(f"{b} {bands.count(b)}" for b in ("strong", "possible", "weak") if b in bands)
        mean = sum(scores) / len(scores)
        print(f"| {grade} | {len(scores)} | {mean:.1f} | {min(scores):.0f} | {max(scores):.0f} | {counts} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    r = sub.add_parser("retrieval")
    r.add_argument("--queries", default=str(EVAL / "retrieval" / "queries.jsonl"))
    r.add_argument("--manifest", default=str(EVAL / "corpus" / "MANIFEST.json"))
    r.add_argument("--weights", default="")
    r.add_argument("--misses", action="store_true", help="list the queries hybrid gets wrong at top-1")
    r.add_argument("--reuse", action="store_true", help="keep the ingested corpus between runs (data/eval)")
    f = sub.add_parser("fit")
    f.add_argument("--pairs", default=str(EVAL / "fit" / "pairs.jsonl"))
    f.add_argument("--manifest", default=str(EVAL / "corpus" / "MANIFEST.json"))
    f.add_argument("--reuse", action="store_true", help="keep the ingested corpus between runs (data/eval)")
    args = parser.parse_args()
    if args.what == "retrieval":
        retrieval(args)
    elif args.what == "fit":
        fit(args)


if __name__ == "__main__":
    main()
