"""Job kinds are registered by the apps that own them; tasks knows no feature's tables."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tasks import registry


def test_the_ingestion_kinds_are_registered_by_documents():
    assert {"ingest_file", "ingest_text"} <= set(registry.kinds())
    job = registry.job("ingest_file")
    assert job.stages == ("fetch", "extract", "chunk", "embed", "store")
    assert job.following("chunk") == "embed" and job.following("store") is None
    assert registry.kinds_of("documents.document") == ["ingest_file", "ingest_text"]


def test_an_unknown_kind_is_a_clear_error():
    with pytest.raises(LookupError, match="no job kind 'nope'"):
        registry.job("nope")


def test_a_job_must_give_work_and_progress_for_every_stage():
    with pytest.raises(ValueError, match="no work or progress"):
        registry.register(
            registry.Job(
                kind="broken",
                subject="x",
                stages=("a", "b"),
                work={"a": print},
                progress={"a": (0, 100)},
                load=lambda task: None,
            )  # fmt: skip
        )
    assert "broken" not in registry.kinds()


@pytest.mark.django_db
def test_the_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
