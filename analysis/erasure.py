"""Erasing a user's fit analyses (aiserver.erasure): the Postgres rows and their MongoDB copies."""

from __future__ import annotations

from aiserver import archive, erasure
from analysis.models import FitAnalysis


def forget_user(user_id: str) -> dict[str, int]:
    """Rows first (archiving holds the rows it is copying locked, so it has finished when they go), then
    the MongoDB copies, which name the user, so a retry after a failure finds them."""
    from analysis.services import MONGO_COLLECTION  # services imports documents' retrieval: not at start

    analyses = erasure.delete_rows(FitAnalysis.objects.filter(user_id=user_id))
    archived = archive.delete_user(user_id, MONGO_COLLECTION) if archive.enabled() else 0
    return {"analyses": analyses, "archived_analyses": archived}


def register() -> None:
    erasure.register_eraser("analysis", forget_user, order=erasure.FEATURES + 20)
