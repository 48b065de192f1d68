"""The periodic ingest through the tasks framework: queued on the "ingest" backend, run by
the database worker, and queuing its own next run."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from ingest.models import FeedSource, Incident
from ingest.pipeline.tasks import ingest_due_sources, ingest_source, schedule_ingest
from tests.ingest.local_servers import respond

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


@pytest.fixture
def watch(db, feed_server):
    feed_server.add("/watch.rss", respond((FEEDS / "incident-watch.rss").read_bytes()))
    return FeedSource.objects.create(name="Watch", feed_url=feed_server.url("/watch.rss"))


@pytest.fixture
def database_queue(settings):
    """The deployment default: ingest tasks wait in the database for `db_worker`."""
    settings.TASKS = {
        **settings.TASKS,
        "ingest": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }


def test_the_task_ingests_due_sources_and_returns_the_table(watch):
    result = ingest_due_sources.enqueue()
    assert result.status == "SUCCESSFUL"
    (row,) = result.return_value
    assert (row["name"], row["status"], row["new"]) == ("Watch", "ok", 5)
    assert Incident.objects.count() == 5


def test_fetch_one_source_as_a_task(watch):
    result = ingest_source.enqueue(watch.pk)
    assert result.return_value["new"] == 5
    assert "no feed source" in ingest_source.enqueue(999_999).return_value["error"]


def test_the_database_worker_runs_the_ingest_and_queues_the_next_run(
    transactional_db, watch, database_queue
):
    from django_tasks_db.models import DBTaskResult

    assert schedule_ingest() is not None
    assert schedule_ingest() is None, "a run already waiting is not doubled"
    assert Incident.objects.count() == 0, "nothing runs until a worker picks it up"

    call_command("db_worker", "--backend", "ingest", "--batch", "--no-startup-delay", verbosity=0)

    assert Incident.objects.count() == 5
    finished = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert finished.return_value[0]["new"] == 5
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.task_path == "ingest.pipeline.tasks.ingest_due_sources"
    assert waiting.run_after > timezone.now(), "the next run waits for the next due source"


def test_a_run_queued_under_the_old_task_name_still_runs_and_is_not_doubled(
    transactional_db, watch, database_queue
):
    """Before the move to ``ingest.pipeline`` the task was recorded as ``ingest.tasks.…``: a
    run queued then must still resolve after a deploy, and count as the waiting run."""
    from django_tasks_db.models import DBTaskResult

    queued = ingest_due_sources.enqueue()
    DBTaskResult.objects.filter(pk=queued.id).update(task_path="ingest.tasks.ingest_due_sources")
    assert schedule_ingest() is None, "the old-name run counts as waiting"

    call_command("db_worker", "--backend", "ingest", "--batch", "--no-startup-delay", verbosity=0)

    assert Incident.objects.count() == 5
    finished = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert finished.task_path == "ingest.tasks.ingest_due_sources"
    assert DBTaskResult.objects.get(status="READY").task_path == ingest_due_sources.module_path


def test_ingest_enqueue_starts_the_periodic_run_once(db, database_queue):
    from io import StringIO

    from django_tasks_db.models import DBTaskResult

    out = StringIO()
    call_command("ingest", "--enqueue", stdout=out)
    call_command("ingest", "--enqueue", stdout=out)
    assert out.getvalue().splitlines() == [
        "Ingest is queued for the worker.",
        "An ingest run is already queued; nothing added.",
    ]
    assert DBTaskResult.objects.filter(status="READY").count() == 1


# The Redis database the queue tests empty. With REDIS_URL set (CI's PostgreSQL and Redis run
# uses db 15, a developer their own) it is that run's database, which the tests empty anyway
# (the cache is cleared around every test). Without it (`make test` on SQLite) it is db 14,
# kept for this: nothing else, site or developer, may use db 14.
UNSET_REDIS_URL_QUEUE = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_queue(settings):
    """The many-machines deployment: ingest tasks on RQ, in the test run's Redis database on
    loopback, emptied before and after."""
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": settings.REDIS_URL or UNSET_REDIS_URL_QUEUE}}
    settings.TASKS = {
        **settings.TASKS,
        "ingest": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    }
    django_rq.get_connection("default").flushdb()
    yield django_rq.get_queue("default")
    django_rq.get_connection("default").flushdb()


def test_on_redis_a_waiting_run_is_not_doubled(db, redis_queue):
    assert schedule_ingest() is not None
    assert schedule_ingest() is None
    (job_id,) = redis_queue.get_job_ids()
    assert redis_queue.fetch_job(job_id).func_name == "ingest.pipeline.tasks.ingest_due_sources"


def test_on_redis_the_next_run_is_scheduled(db, redis_queue):
    schedule_ingest(after_run=True)
    assert schedule_ingest() is None, "a scheduled run counts as waiting"
    (job_id,) = redis_queue.scheduled_job_registry.get_job_ids()
    assert redis_queue.fetch_job(job_id).func_name == "ingest.pipeline.tasks.ingest_due_sources"
