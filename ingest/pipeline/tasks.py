"""The periodic ingest, run by a tasks-framework worker.

django-tasks has no clock of its own, so the task keeps itself going: each run queues the
next one for when the earliest source is due (within INGEST_MIN_WAIT..INGEST_MAX_WAIT). The
first run is queued by ``manage.py ingest --enqueue`` (safe to repeat: a run already waiting
is not doubled). On a backend that cannot defer (the immediate backend of the tests) the task
runs once and does not queue a successor.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ingest.pipeline.models import FeedSource
from ingest.pipeline.polling import DEFAULT_DEADLINE, HARD_DEADLINE_GRACE, poll_sources

logger = logging.getLogger(__name__)

INGEST_MIN_WAIT = timedelta(minutes=1)
INGEST_MAX_WAIT = timedelta(minutes=15)
# Where the periodic task lived before ``ingest.pipeline``: a run queued under that name (it
# still resolves, see ``ingest/tasks.py``) counts as waiting, so a deploy does not double it.
LEGACY_TASK_PATHS = ("ingest.tasks.ingest_due_sources",)
# How long a claimed source stays taken: the longest a fetch may run, with room to store it.
# A worker that dies mid-run leaves its sources due again after this.
CLAIM_LEASE = timedelta(seconds=2 * (DEFAULT_DEADLINE + HARD_DEADLINE_GRACE))


def claim_due_sources(now=None):
    """The due sources this run may fetch. Each is claimed by moving its ``next_due_at``
    forward in one compare-and-set UPDATE, so that when several workers run at once (two
    machines, or two runs queued together) a source is fetched by exactly one of them; the
    fetch then sets its real next time."""
    now = now or timezone.now()
    leased_until = now + CLAIM_LEASE
    claimed = []
    for source in FeedSource.objects.due(now):
        unchanged = FeedSource.objects.filter(pk=source.pk)
        if source.next_due_at is None:
            unchanged = unchanged.filter(next_due_at__isnull=True)
        else:
            unchanged = unchanged.filter(next_due_at=source.next_due_at)
        if unchanged.update(next_due_at=leased_until):
            source.next_due_at = leased_until
            claimed.append(source)
    return claimed


@task(backend="ingest")
def ingest_due_sources():
    """Fetch and store every due source; returns the run's table as JSON-ready rows."""
    try:
        reports = poll_sources(claim_due_sources())
        for report in reports:
            if report.error:
                logger.warning("Ingest of %s failed: %s", report.name, report.error)
        return [report.as_dict() for report in reports]
    finally:
        # Whatever happened to this run, the next one must still be queued.
        schedule_ingest(after_run=True)


def next_run_time(now=None):
    now = now or timezone.now()
    upcoming = (
        FeedSource.objects.pollable()
        .filter(next_due_at__isnull=False)
        .order_by("next_due_at")
        .values_list("next_due_at", flat=True)
        .first()
    )
    wait = INGEST_MAX_WAIT if upcoming is None else upcoming - now
    return now + min(max(wait, INGEST_MIN_WAIT), INGEST_MAX_WAIT)


def _already_queued():
    """Is a run of the periodic task waiting on the ingest backend? (Only a run that has not
    started counts: the running one queues its successor.)"""
    backend = task_backends[ingest_due_sources.backend]
    module = backend.__class__.__module__
    paths = (ingest_due_sources.module_path, *LEGACY_TASK_PATHS)
    if module.startswith("django_tasks_db"):
        return DBTaskResult.objects.filter(
            task_path__in=paths,
            status=TaskResultStatus.READY,
            backend_name=ingest_due_sources.backend,
        ).exists()
    if module.startswith("django_tasks_rq"):
        # Imported here: Redis's and RQ's clients (about 9 MB) have no use in a web worker,
        # which reaches this module through the review admin.
        import django_rq
        from rq.job import Job

        queue = django_rq.get_queue(ingest_due_sources.queue_name)
        waiting = [*queue.get_job_ids(), *queue.scheduled_job_registry.get_job_ids()]
        return any(
            job is not None and job.func_name in paths
            for job in Job.fetch_many(waiting, connection=queue.connection)
        )
    return False


def schedule_ingest(*, after_run=False):
    """Queue the next periodic run. Returns the task result, or None when nothing was queued
    (a run is already waiting, or the backend runs tasks immediately)."""
    backend = task_backends[ingest_due_sources.backend]
    if not backend.supports_defer:
        if after_run:
            return None
        return ingest_due_sources.enqueue()
    if _already_queued():
        return None
    if not after_run:
        return ingest_due_sources.enqueue()
    return ingest_due_sources.using(run_after=next_run_time()).enqueue()


@task(backend="ingest")
def ingest_source(source_id):
    """Fetch one source now, whatever its schedule (the admin's "fetch now")."""
    source = FeedSource.objects.with_feed().filter(pk=source_id).first()
    if source is None:
        return {"error": f"There is no feed source {source_id} with a feed URL."}
    reports = poll_sources([source], workers=1)
    return reports[0].as_dict()
