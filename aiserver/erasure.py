"""Erasing a user: every app that keeps something of a `user_id` says how to forget it.

Each app registers an eraser from its `AppConfig.ready()`: `forget(user_id) -> {what: how many}`,
removing the user's rows, vectors, archive documents and Redis keys that the app owns (the map in
docs/architecture.md). An eraser is idempotent: a second run finds nothing and returns zeros, so a
retried or repeated erasure is safe. They run in `order` (lowest first): the tasks app cancels the
user's running work first, so no stage writes back after its data is gone, and deletes the task
records last. `tasks.erasure` runs them as the `erase_user` job (DELETE /ai/users/{user_id},
`manage.py erase_user`).

This module is the bottom layer: it knows no app, apps know it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

Forget = Callable[[str], dict[str, int]]

FIRST, FEATURES, LAST = 0, 50, 100  # usual orders: stop work, erase features' data, drop task records


@dataclass(frozen=True)
class Eraser:
    name: str  # the key of its counts in the erasure's result ("documents", "chat")
    forget: Forget
    order: int = FEATURES


_erasers: dict[str, Eraser] = {}


def register_eraser(name: str, forget: Forget, *, order: int = FEATURES) -> None:
    """Register (or replace, by name) how an app forgets a user."""
    _erasers[name] = Eraser(name, forget, order)


def erasers() -> list[Eraser]:
    return sorted(_erasers.values(), key=lambda eraser: (eraser.order, eraser.name))


def erase(user_id: str, *, report: Callable[[float], None] | None = None) -> dict[str, dict[str, int]]:
    """Run every eraser for `user_id`, in order; what each removed. An eraser that fails raises (its
    backing service is down): the erasure is retried as a whole, the erasers before it finding nothing."""
    if not user_id:
        raise ValueError("an empty user_id names no user")
    found = erasers()
    counts: dict[str, dict[str, int]] = {}
    for done, eraser in enumerate(found, start=1):
        counts[eraser.name] = {what: int(n) for what, n in eraser.forget(user_id).items()}
        if report is not None:
            report(done / len(found))
    return counts


def delete_rows(rows: QuerySet[Any]) -> int:
    """Delete a queryset; how many rows of its own model went (rows removed by cascade not counted)."""
    _, by_model = rows.delete()
    return by_model.get(rows.model._meta.label, 0)
