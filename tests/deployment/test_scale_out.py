"""Scale-out: two ingest workers run at once, as two machines would, and two periodic runs
are queued together (both machines ran `ingest --enqueue` at start-up). No source is fetched
by both at the same time and no item is stored twice.

On PostgreSQL and Redis (DATABASE_URL and REDIS_URL set, as in CI's second run) the workers
are RQ workers on Redis with a database of their own; otherwise they are two database-queue
workers on a temporary SQLite file. Feeds come from a loopback server that records how many
requests for each feed are in flight at once."""

import os
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

from tests.deployment.whole_site import PROJECT, manage, site_environment
from tests.ingest.local_servers import FEED_TYPE, LocalServer

FEEDS = 6
ITEMS = 5


def feed_body(number):
    items = "".join(
        f"<item><title>Breach {number}-{item} at a regional insurer</title>"
        f"<link>https://example.org/breach-{number}-{item}</link>"
        f"<guid>breach-{number}-{item}</guid>"
        f"<description>Systems at insurer {number} were hit ({item}).</description>"
        f"<pubDate>Mon, 02 Nov 2026 0{item}:00:00 GMT</pubDate></item>"
        for item in range(ITEMS)
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed {number}</title>"
        f"<link>https://example.org/</link>{items}</channel></rss>"
    ).encode()


class FlightRecorder:
    """Answers a feed slowly and remembers the most requests for one path in flight at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.in_flight = Counter()
        self.most_at_once = Counter()
        self.fetches = Counter()

    def responder(self, path, body):
        def answer(handler):
            with self.lock:
                self.in_flight[path] += 1
                self.fetches[path] += 1
                self.most_at_once[path] = max(self.most_at_once[path], self.in_flight[path])
            try:
                time.sleep(1.5)  # long enough for two runs to overlap
                handler.send_response(200)
                handler.send_header("Content-Type", FEED_TYPE)
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)
            finally:
                with self.lock:
                    self.in_flight[path] -= 1

        return answer


@pytest.fixture
def services(tmp_path):
    """The environment for workers sharing one database (and Redis, when configured)."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    extra = {}
    cleanup = None
    if database_url.startswith("postgres") and redis_url:
        import psycopg

        name = f"deploy_scaleout_{secrets.token_hex(4)}"
        admin = urlsplit(database_url)._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

        def cleanup():
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        extra = {
            "DATABASE_URL": urlsplit(database_url)._replace(path=f"/{name}").geturl(),
            "REDIS_URL": redis_url,
            "INGEST_TASK_BACKEND": "rq",
            "CACHE_KEY_PREFIX": name,
        }
    env = site_environment(tmp_path, 8000, **extra)
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        yield env
    finally:
        if cleanup is not None:
            cleanup()


ADD_SOURCES = """
from ingest.pipeline.models import FeedSource
for url in URLS:
    FeedSource.objects.create(name=url.rsplit("/", 1)[-1], feed_url=url, enabled=True)
FeedSource.objects.exclude(feed_url__in=URLS).update(enabled=False)
"""

QUEUE_TWO_RUNS = """
from ingest.pipeline.tasks import ingest_due_sources
if BACKEND == "rq":
    import django_rq
    django_rq.get_queue("default").empty()
ingest_due_sources.enqueue()
ingest_due_sources.enqueue()
"""

COUNTS = """
from ingest.incidents.models import Incident
from ingest.pipeline.models import FeedSource, IncidentSource
print(FeedSource.objects.filter(enabled=True, last_fetched_at__isnull=False).count())
print(Incident.objects.count(), Incident.objects.values("canonical_url").distinct().count())
print(IncidentSource.objects.count(),
      IncidentSource.objects.values("source", "guid_hash").distinct().count())
"""


def shell(env, code):
    return manage(env, "shell", "--no-imports", "-c", code).stdout


def worker_command(env):
    if env.get("INGEST_TASK_BACKEND") == "rq":
        return [
            sys.executable,
            "manage.py",
            "rqworker",
            "default",
            "--with-scheduler",
            "--job-class",
            "django_tasks_rq.backend.Job",
        ]
    return [
        sys.executable,
        "manage.py",
        "db_worker",
        "--backend",
        "ingest",
        "--interval",
        "0.2",
        "--no-startup-delay",
    ]


def test_two_workers_never_fetch_one_source_at_once_nor_store_an_item_twice(services, tmp_path):
    env = services
    recorder = FlightRecorder()
    with LocalServer() as server:
        urls = [
            server.add(f"/feed-{n}.xml", recorder.responder(f"/feed-{n}.xml", feed_body(n)))
            for n in range(FEEDS)
        ]
        env["INGEST_ALLOWED_PRIVATE_HOSTS"] = server.host_port
        shell(env, f"URLS = {urls!r}\n" + ADD_SOURCES)
        shell(env, f"BACKEND = {env['INGEST_TASK_BACKEND']!r}\n" + QUEUE_TWO_RUNS)

        workers = [
            subprocess.Popen(
                worker_command(env),
                cwd=PROJECT,
                env=env,
                stdout=open(tmp_path / f"worker-{n}.log", "wb"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
            for n in range(2)
        ]
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                fetched = int(shell(env, COUNTS).split()[0])
                if fetched == FEEDS and not any(recorder.in_flight.values()):
                    break
                time.sleep(2)
            # Both queued runs have had time to start and find their work.
            time.sleep(4)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)

    logs = "\n".join((tmp_path / f"worker-{n}.log").read_text() for n in range(2))
    counts = [int(value) for value in shell(env, COUNTS).split()]
    fetched, incidents, distinct_urls, links, distinct_links = counts

    assert fetched == FEEDS, logs[-3000:]
    assert max(recorder.most_at_once.values()) == 1, recorder.most_at_once
    assert all(count == 1 for count in recorder.fetches.values()), recorder.fetches
    assert incidents == distinct_urls == FEEDS * ITEMS
    assert links == distinct_links == FEEDS * ITEMS
