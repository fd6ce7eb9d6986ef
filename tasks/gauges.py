"""What /metrics reads of the queue when it is scraped (aiserver.metrics): the broker's length, tasks
by state, the age of the oldest queued one. Facts of the shared state, not of one process."""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.db.models import Count, Min, Q
from prometheus_client.core import GaugeMetricFamily

from tasks.models import Status, Task


class QueueState:
    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            from django_q.brokers import get_broker

            queued = get_broker().queue_size()
        except Exception:  # the broker's Redis is away: the gauge is left out, /readyz says why
            queued = None
        if queued is not None:
            yield GaugeMetricFamily("aiserver_queue_jobs", "Stage jobs waiting in the Django-Q broker", value=queued)
        try:
            counts = Task.objects.aggregate(
                running=Count("id", filter=Q(status=Status.RUNNING)),
                queued=Count("id", filter=Q(status=Status.QUEUED, admitted_at__isnull=False)),
                waiting=Count("id", filter=Q(status=Status.QUEUED, admitted_at__isnull=True)),
                oldest=Min("created_at", filter=Q(status=Status.QUEUED)),
            )
        except Exception:  # Postgres away: left out too
            return
        tasks = GaugeMetricFamily(
            "aiserver_tasks", "Tasks by state (waiting: for their user's turn, tasks.admission)", labels=["state"]
        )
        for state in ("queued", "waiting", "running"):
            tasks.add_metric([state], counts[state])
        yield tasks
        oldest = counts["oldest"]
        yield GaugeMetricFamily(
            "aiserver_task_oldest_queued_age_seconds",
            "Age of the oldest queued or waiting task (0: none)",
            value=(time.time() - oldest.timestamp()) if oldest else 0.0,
        )
