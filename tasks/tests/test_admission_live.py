"""Fair admission on a real cluster: uvicorn + a qcluster with 2 workers + a `chroma run` server."""

from __future__ import annotations

import pytest

from tasks.models import Status, Task
from tasks.tests.helpers import KO_TEXT
from tasks.tests.live import post_text, wait_all

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_backlog_takes_turns_and_another_users_document_goes_ahead_of_it(live_stack):
    base = live_stack(Q_WORKERS="2", TASK_CONCURRENCY_PER_USER="1")
    backlog = [post_text(base, user_id="A", document_id=f"A-{n}", text=KO_TEXT * (n + 1)) for n in range(8)]
    b = post_text(base, user_id="B", document_id="B-0", text=KO_TEXT)
    done = wait_all(base, [*backlog, b], timeout=240)
    assert {each["status"] for each in done.values()} == {"completed"}

    finished = sorted(Task.objects.filter(id__in=[*backlog, b]), key=lambda task: task.finished_at)
    order = [str(task.id) for task in finished]
    # A's documents one at a time, in the order sent; B's ahead of all but A's first two.
    assert [task_id for task_id in order if task_id != b] == backlog
    assert order.index(b) <= 2, order
    a = Task.objects.filter(id__in=backlog).order_by("created_at")
    for earlier, later in zip(a, a[1:], strict=False):
        assert later.started_at >= earlier.finished_at  # never two of A's at once
    assert all(task.attempts == len(task.timings) for task in a)  # each stage ran once
    assert Task.objects.filter(status__in=(Status.QUEUED, Status.RUNNING)).count() == 0
