#!/usr/bin/env python3
"""Check the evaluation sets in eval/ (standard library only).

    python3 eval/check_sets.py                    # check everything; exit 1 on any error
    python3 eval/check_sets.py --find "MICCAI"    # which documents contain a string (case-insensitive)
    python3 eval/check_sets.py --fixtures DIR     # fixtures somewhere else (default: ../shared/fixtures
                                                  # beside the checkout, or $AISERVER_FIXTURES)

Checks
- manifest: unique document ids, every text readable, types and languages valid;
- retrieval/queries.jsonl: unique ids, valid classes, relevant ids exist, at least 22 queries per class and
  100 in all, every document relevant to at least one query;
  exact_line: the line occurs verbatim (after collapsing whitespace) in every relevant document, and in no
  other document (it must be distinctive);
  keyword: every document that contains all the keywords (case-insensitive substrings, the query split on
  whitespace) is listed as relevant, and every relevant document contains them all;
- fit/pairs.jsonl: unique ids, resume/posting ids exist with the right type, grade 0-3, at least 8 pairs per
  grade and 40 in all, share of Korean-English mixed pairs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FIXTURES = Path(
    os.environ.get("AISERVER_FIXTURES", Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures")
)
CLASSES = ("exact_line", "keyword", "cross_lingual", "paraphrase")
MIN_PER_CLASS = 22
MIN_QUERIES = 100
MIN_PER_GRADE = 8
MIN_PAIRS = 40


def norm(text: str) -> str:
    return " ".join(text.split())


def load_corpus(fixtures: Path) -> tuple[list[dict], dict[str, str]]:
    manifest = json.loads((HERE / "corpus" / "MANIFEST.json").read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    for entry in manifest:
        if entry.get("fixture"):
            path = fixtures / entry.get("text_path", entry["document_id"] + ".expected.txt")
        else:
            path = HERE / "corpus" / entry["file"]
        texts[entry["document_id"]] = path.read_text(encoding="utf-8")
    return manifest, texts


def load_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: {exc}") from None
    return rows


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def check_manifest(manifest: list[dict], texts: dict[str, str], report: Report) -> None:
    ids = [e["document_id"] for e in manifest]
    for doc_id, n in Counter(ids).items():
        if n > 1:
            report.error(f"manifest: document_id {doc_id} appears {n} times")
    for e in manifest:
        if e["type"] not in ("resume", "job_posting"):
            report.error(f"manifest: {e['document_id']} has type {e['type']!r}")
        if e["language"] not in ("ko", "en"):
            report.error(f"manifest: {e['document_id']} has language {e['language']!r}")
        if e["document_id"] != Path(e["file"]).stem:
            report.error(f"manifest: {e['document_id']} is not the stem of {e['file']}")
        if not e.get("fixture") and not 1500 <= len(texts[e["document_id"]]) <= 5000:
            report.warn(f"manifest: {e['document_id']} has {len(texts[e['document_id']])} characters")


def check_queries(queries: list[dict], texts: dict[str, str], report: Report) -> None:
    lowered = {doc_id: norm(text).lower() for doc_id, text in texts.items()}
    normalized = {doc_id: norm(text) for doc_id, text in texts.items()}
    for qid, n in Counter(q.get("id") for q in queries).items():
        if n > 1:
            report.error(f"queries: id {qid} appears {n} times")
    covered: set[str] = set()
    for q in queries:
        qid = q.get("id")
        for key in ("id", "query", "class", "relevant"):
            if key not in q:
                report.error(f"{qid}: missing {key}")
        cls, query, relevant = q.get("class"), q.get("query", ""), q.get("relevant", [])
        if cls not in CLASSES:
            report.error(f"{qid}: class {cls!r} is not one of {CLASSES}")
        if not relevant:
            report.error(f"{qid}: no relevant documents")
        if len(set(relevant)) != len(relevant):
            report.error(f"{qid}: duplicate relevant ids")
        missing = [r for r in relevant if r not in texts]
        if missing:
            report.error(f"{qid}: unknown relevant ids {missing}")
            continue
        covered.update(relevant)
        if cls == "exact_line":
            line = norm(query)
            for r in relevant:
                if line not in normalized[r]:
                    report.error(f"{qid}: exact line not found in {r}: {line!r}")
            others = sorted(d for d, t in normalized.items() if line in t and d not in relevant)
            if others:
                report.error(f"{qid}: exact line also occurs in unlisted {others}")
        elif cls == "keyword":
            words = [w.lower() for w in query.split()]
            having = {d for d, t in lowered.items() if all(w in t for w in words)}
            extra = sorted(having - set(relevant))
            lacking = sorted(set(relevant) - having)
            if extra:
                report.error(f"{qid}: {query!r} also in unlisted documents {extra}")
            if lacking:
                report.error(f"{qid}: relevant documents lack some keyword of {query!r}: {lacking}")
    counts = Counter(q.get("class") for q in queries)
    for cls in CLASSES:
        if counts[cls] < MIN_PER_CLASS:
            report.error(f"queries: only {counts[cls]} {cls} queries (want >= {MIN_PER_CLASS})")
    if len(queries) < MIN_QUERIES:
        report.error(f"queries: only {len(queries)} (want >= {MIN_QUERIES})")
    uncovered = sorted(set(texts) - covered)
    if uncovered:
        report.error(f"queries: documents relevant to no query: {uncovered}")


def check_pairs(pairs: list[dict], manifest: list[dict], report: Report) -> None:
    by_id = {e["document_id"]: e for e in manifest}
    for pid, n in Counter(p.get("id") for p in pairs).items():
        if n > 1:
            report.error(f"pairs: id {pid} appears {n} times")
    seen = Counter((p.get("resume"), p.get("posting")) for p in pairs)
    for key, n in seen.items():
        if n > 1:
            report.error(f"pairs: {key} appears {n} times")
    for p in pairs:
        pid = p.get("id")
        resume, posting = by_id.get(p.get("resume")), by_id.get(p.get("posting"))
        if resume is None or resume["type"] != "resume":
            report.error(f"{pid}: {p.get('resume')!r} is not a resume in the manifest")
        if posting is None or posting["type"] != "job_posting":
            report.error(f"{pid}: {p.get('posting')!r} is not a job posting in the manifest")
        if p.get("grade") not in (0, 1, 2, 3):
            report.error(f"{pid}: grade {p.get('grade')!r} is not 0-3")
        if not p.get("why"):
            report.error(f"{pid}: no why")
    grades = Counter(p.get("grade") for p in pairs)
    for g in range(4):
        if grades[g] < MIN_PER_GRADE:
            report.error(f"pairs: only {grades[g]} pairs with grade {g} (want >= {MIN_PER_GRADE})")
    if len(pairs) < MIN_PAIRS:
        report.error(f"pairs: only {len(pairs)} (want >= {MIN_PAIRS})")


def summary(manifest, queries, pairs) -> str:
    by_id = {e["document_id"]: e for e in manifest}
    lines = []
    kinds = Counter((e["type"], e["language"], bool(e.get("fixture"))) for e in manifest)
    lines.append(
        f"corpus: {len(manifest)} documents "
        + ", ".join(f"{t}/{lang}{'/fixture' if f else ''}={n}" for (t, lang, f), n in sorted(kinds.items()))
    )
    classes = Counter(q["class"] for q in queries)
    lines.append(f"queries: {len(queries)} " + ", ".join(f"{c}={classes[c]}" for c in CLASSES))
    per_doc = Counter(r for q in queries for r in q["relevant"])
    lines.append(
        f"  relevant ids per query: mean {sum(len(q['relevant']) for q in queries) / max(len(queries), 1):.2f}; "
        f"queries per document: min {min(per_doc.values(), default=0)}, max {max(per_doc.values(), default=0)}"
    )
    qlang = Counter(
        (q["class"], "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in q["query"]) else "en") for q in queries
    )
    lines.append("  query language: " + ", ".join(f"{c}/{lang}={n}" for (c, lang), n in sorted(qlang.items())))
    grades = Counter(p["grade"] for p in pairs)
    mixed = sum(
        1
        for p in pairs
        if p["resume"] in by_id
        and p["posting"] in by_id
        and by_id[p["resume"]]["language"] != by_id[p["posting"]]["language"]
    )
    lines.append(
        f"pairs: {len(pairs)} "
        + ", ".join(f"grade {g}={grades[g]}" for g in range(4))
        + f"; Korean-English mixed {mixed} ({100 * mixed / max(len(pairs), 1):.0f}%)"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="Check eval/ data sets.")
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--find", metavar="STRING", help="list documents containing STRING and exit")
    args = parser.parse_args()
    manifest, texts = load_corpus(args.fixtures)
    if args.find:
        needle = norm(args.find).lower()
        for doc_id in sorted(texts):
            if needle in norm(texts[doc_id]).lower():
                print(doc_id)
        return 0
    report = Report()
    check_manifest(manifest, texts, report)
    queries = load_jsonl(HERE / "retrieval" / "queries.jsonl")
    pairs = load_jsonl(HERE / "fit" / "pairs.jsonl")
    check_queries(queries, texts, report)
    check_pairs(pairs, manifest, report)
    for w in report.warnings:
        print(f"warning: {w}")
    for e in report.errors:
        print(f"ERROR: {e}")
    print(summary(manifest, queries, pairs))
    print("OK" if not report.errors else f"{len(report.errors)} error(s)")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
