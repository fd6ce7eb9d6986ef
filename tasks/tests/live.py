"""Helpers for tests that drive a live stack (uvicorn + qcluster) over HTTP: uploads, waiting, processes."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import requests

from conftest import TOKEN

HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def post_text(base: str, *, user_id: str, document_id: str, text: str, doc_type: str = "resume") -> str:
    body = {"type": doc_type, "user_id": user_id, "document_id": document_id, "text": text}
    response = requests.post(f"{base}/ai/file/embed", headers=HEADERS, json=body, timeout=30)
    assert response.status_code == 202, response.text
    return response.json()["task_id"]


def post_file(base: str, *, user_id: str, document_id: str, name: str, data: bytes, doc_type: str = "resume") -> str:
    fields = {"type": doc_type, "user_id": user_id, "document_id": document_id}
    response = requests.post(
        f"{base}/ai/ocr/extract", headers=HEADERS, files={"file": (name, data)}, data=fields, timeout=30
    )
    assert response.status_code == 202, response.text
    return response.json()["task_id"]


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def status(base: str, task_id: str) -> dict[str, Any]:
    response = requests.get(f"{base}/ai/task/{task_id}", headers=HEADERS, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def wait_all(base: str, task_ids: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    """Poll until every task is completed or failed; fail with the unfinished ones after `timeout`."""
    deadline = time.monotonic() + timeout
    done: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline:
        for task_id in task_ids:
            if task_id not in done:
                found = status(base, task_id)
                if found["status"] in ("completed", "failed"):
                    done[task_id] = found
        if len(done) == len(task_ids):
            return done
        time.sleep(1)
    stuck = {t: status(base, t) for t in task_ids if t not in done}
    summary = {t: (s["status"], s["stage"], s["attempts"]) for t, s in list(stuck.items())[:10]}
    raise AssertionError(f"{len(stuck)} of {len(task_ids)} tasks unfinished after {timeout:.0f} s: {summary}")


def children(pid: int) -> list[int]:
    """Direct children of a process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def thread_names(pid: int) -> list[str]:
    """The OS names of a process's threads (/proc/PID/task/TID/comm)."""
    names = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            names.append((task / "comm").read_text().strip())
        except OSError:  # the thread ended meanwhile
            continue
    return names


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    for child in children(pid):
        out += [child, *descendants(child)]
    return out
