"""Chunks are ~CHUNK_TOKENS real tokens of e5, on prose, on line-structured resumes and on tables."""

from __future__ import annotations

import pytest

from aiserver.providers import e5_model, token_count
from documents.chunking import split_text

PROSE = "채용 플랫폼의 검색 품질을 높이기 위해 우리는 여러 실험을 진행했고, 그 결과를 매주 공유했습니다. " * 60


def test_token_count_counts_the_text_not_the_prefix_and_special_tokens():
    assert token_count("") == 0
    assert token_count("hello world") == e5_model().token_count("hello world") - e5_model().token_count("")


@pytest.mark.parametrize(
    "text", ["가" * 6000, "abcdefghij" * 600, "https://example.com/" + "a1b2c3" * 800], ids=["hangul", "latin", "url"]
)
def test_text_without_any_separator_is_still_cut_to_the_budget(settings, text):
    """Split down to single characters, each must count: one character used to count 0 tokens, and
    6,000 characters with no space stayed one chunk of 5,999 tokens (e5 reads 512 of them)."""
    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 500, 60
    assert token_count("a") == token_count("가") == 1
    chunks = split_text(text)
    assert len(chunks) > 5
    assert all(e5_model().token_count(c.text) <= 512 for c in chunks)
    assert "".join(c.text for c in chunks).count("c") >= text.count("c")  # nothing lost


def test_prose_is_cut_into_chunks_near_the_budget_not_into_many_small_ones(settings):
    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 500, 60
    chunks = split_text(PROSE)
    sizes = [c.token_count for c in chunks]
    assert sum(sizes) >= token_count(PROSE)  # nothing lost (overlap adds)
    assert max(sizes) <= 500
    assert min(sizes[:-1]) >= 400, sizes  # every chunk but the last is nearly full
    assert len(chunks) <= token_count(PROSE) // 400 + 1
    # Within e5's 512-token window with its prefix and special tokens.
    assert all(e5_model().token_count(c.text) <= 512 for c in chunks)


def test_a_line_structured_resume_keeps_whole_lines(fixtures_dir, settings):
    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 500, 60
    text = (fixtures_dir / "resume_ko_text.expected.txt").read_text() * 3
    chunks = split_text(text)
    lines = {line.strip() for line in text.splitlines() if line.strip()}
    assert 2 <= len(chunks) <= token_count(text) // 300 + 1
    for chunk in chunks:
        assert chunk.token_count <= 500
        assert all(line.strip() in lines for line in chunk.text.splitlines() if line.strip()), "a line was cut"


@pytest.mark.parametrize("rows", [40, 200])
def test_table_rows_are_not_split_and_chunks_stay_full(rows, settings):
    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 500, 60
    table = "\n".join(
        f"| 2019.0{i % 9 + 1} | 주식회사 예시{i} | 백엔드 개발자 | Python, Kafka, PostgreSQL |" for i in range(rows)
    )
    chunks = split_text(table)
    sizes = [c.token_count for c in chunks]
    assert max(sizes) <= 500 and (len(sizes) == 1 or min(sizes[:-1]) >= 350), sizes
    for chunk in chunks:
        assert all(line.startswith("| ") and line.endswith(" |") for line in chunk.text.splitlines())
