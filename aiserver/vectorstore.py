"""The one way to Chroma: embedded PersistentClient by default, a Chroma server with CHROMA_HOST.

One collection per document type *and* embedding model (`resumes__local-multilingual-e5-small`),
so switching providers never mixes vector spaces. Chunk ids are `{document_id}:{chunk_index}`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings

from aiserver.errors import ErrorCode, TransientError

LOGICAL_COLLECTIONS = ("resumes", "job_postings")


@dataclass(frozen=True)
class Hit:
    id: str
    text: str
    score: float
    metadata: dict[str, Any]
    collection: str


_client_lock = threading.RLock()


def client():  # noqa: ANN201 - chromadb's client type is internal
    """The process's one client. Made under a lock: two threads making the first one at once (a
    search queries both collections side by side) broke chromadb's shared system ("'RustBindingsAPI'
    object has no attribute 'bindings'", measured)."""
    with _client_lock:
        return _make_client()


@cache
def _make_client():  # noqa: ANN202
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.CHROMA_HOST:
            return chromadb.HttpClient(host=settings.CHROMA_HOST, port=settings.CHROMA_PORT, settings=chroma_settings)
        return chromadb.PersistentClient(path=settings.CHROMA_PATH, settings=chroma_settings)
    except Exception as exc:
        raise TransientError(ErrorCode.VECTORSTORE_UNAVAILABLE, f"Chroma is unavailable: {exc}") from exc


def probe(timeout: float) -> None:
    """The Chroma server's heartbeat (CHROMA_HOST), over a connection of its own bounded by `timeout`
    (readiness). Raises when it does not answer 200."""
    import urllib.request

    url = f"http://{settings.CHROMA_HOST}:{settings.CHROMA_PORT}/api/v2/heartbeat"
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=timeout) as response:
        if response.status != 200:
            raise OSError(f"heartbeat answered {response.status}")


def reset_client() -> None:
    _make_client.cache_clear()
    _collections.clear()


def forget_clients() -> list[object]:
    """After a fork (aiserver.processes): the server client's HTTP pool has no fork check of its own,
    and an embedded client's SQLite handle must not be shared; this process makes its own."""
    from aiserver.processes import drop_cached

    dropped = [*drop_cached(_make_client), *_collections.values()]
    _collections.clear()
    return dropped


def physical_name(logical: str, embedder_slug: str) -> str:
    if logical not in LOGICAL_COLLECTIONS:
        raise ValueError(f"unknown collection {logical!r}")
    return f"{logical}__{embedder_slug}"


_collections: dict[str, Any] = {}


def collection(logical: str, embedder_slug: str):  # noqa: ANN201
    name = physical_name(logical, embedder_slug)
    found = _collections.get(name)
    if found is None:
        found = _open_collection(name, logical, embedder_slug)
    return found


def _open_collection(name: str, logical: str, embedder_slug: str):  # noqa: ANN202
    with _client_lock:
        found = _collections.get(name)
        if found is not None:
            return found
        found = _get_or_create(name, logical, embedder_slug)
        _collections[name] = found
        return found


def _get_or_create(name: str, logical: str, embedder_slug: str):  # noqa: ANN202
    try:
        return client().get_or_create_collection(
            name,
            metadata={"hnsw:space": "cosine", "logical": logical, "embedder": embedder_slug},
            embedding_function=None,
        )
    except TransientError:
        raise
    except Exception as exc:
        raise TransientError(ErrorCode.VECTORSTORE_UNAVAILABLE, f"Chroma is unavailable: {exc}") from exc


def chunk_id(document_id: str, chunk_index: int) -> str:
    return f"{document_id}:{chunk_index}"


def replace_document(
    logical: str,
    embedder_slug: str,
    *,
    document_id: str,
    texts: list[str],
    embeddings: list[list[float]],
    metadatas: list[dict[str, Any]],
) -> list[str]:
    """Upsert this document's chunks and delete any it had before that are not among them.

    Idempotent: re-running after a crash writes the same ids; a re-upload with fewer chunks
    leaves no stale vectors behind. Returns the chunk ids.
    """
    ids = [chunk_id(document_id, m["chunk_index"]) for m in metadatas]
    try:
        col = collection(logical, embedder_slug)
        if ids:
            col.upsert(ids=ids, embeddings=embeddings, documents=texts, metadatas=metadatas)
        existing = col.get(where={"document_id": document_id}, include=[])["ids"]
        stale = sorted(set(existing) - set(ids))
        if stale:
            col.delete(ids=stale)
    except TransientError:
        raise
    except Exception as exc:
        raise TransientError(ErrorCode.VECTORSTORE_UNAVAILABLE, f"Chroma write failed: {exc}") from exc
    return ids


def delete_document(document_id: str) -> int:
    """Remove a document's vectors from every collection, whatever model wrote them."""
    return _delete_where({"document_id": document_id})


def delete_user(user_id: str) -> int:
    """Remove every vector of a user (each names its `user_id`) from every collection, whatever model
    wrote them (erasure). Gone for queries at once; Chroma reclaims the index space later."""
    return _delete_where({"user_id": user_id})


def _delete_where(where: dict[str, Any]) -> int:
    removed = 0
    try:
        for col in client().list_collections():
            col = client().get_collection(col.name, embedding_function=None)
            ids = col.get(where=where, include=[])["ids"]
            if ids:
                col.delete(ids=ids)
                removed += len(ids)
    except Exception as exc:
        raise TransientError(ErrorCode.VECTORSTORE_UNAVAILABLE, f"Chroma delete failed: {exc}") from exc
    return removed


def count_document(logical: str, embedder_slug: str, document_id: str) -> int:
    col = collection(logical, embedder_slug)
    return len(col.get(where={"document_id": document_id}, include=[])["ids"])


def query(logical: str, embedder_slug: str, *, embedding: list[float], k: int, where: dict[str, Any]) -> list[Hit]:
    try:
        col = collection(logical, embedder_slug)
        result = col.query(
            query_embeddings=[embedding],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
    except Exception as exc:
        raise TransientError(ErrorCode.VECTORSTORE_UNAVAILABLE, f"Chroma query failed: {exc}") from exc
    hits = []
    for id_, text, meta, distance in zip(
        result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True
    ):
        # Cosine distance -> similarity in [-1, 1]; higher is better.
        hits.append(
            Hit(
                id=id_,
                text=text or "",
                score=1.0 - float(distance),
                metadata=dict(meta or {}),
                collection=logical,
            )
        )
    return hits
