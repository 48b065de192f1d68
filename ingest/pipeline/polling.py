"""Polling feed sources: the stages run in a straight line for each source,

    fetch → parse → normalise → dedupe → tag → store → record health,

each stage in its own module, taking one type and handing on another. Threads only fetch
(network, no database). Every later stage runs in the calling thread, one source at a time:
SQLite allows one writer, and parsing is CPU-bound Python, which many threads would only slow
down by fighting over the interpreter lock. A source that never answers holds one fetch
thread until its deadline and nothing else; if a fetch somehow outlives its deadline the run
stops waiting for it and carries on.
"""

import logging
import queue
import threading
import time
from pathlib import Path

from django.utils import timezone

from ingest.pipeline.dedupe import dedupe
from ingest.pipeline.errors import unexpected_error_message
from ingest.pipeline.fetch import FeedDocument, Fetched, FetchJob, fetch_source
from ingest.pipeline.health import FeedOutcome, SourceReport, record_health, summary_of
from ingest.pipeline.models import FeedSource
from ingest.pipeline.normalise import normalise_feed
from ingest.pipeline.parse import ParseError, parse_feed
from ingest.pipeline.store import store
from ingest.pipeline.tag import tag

logger = logging.getLogger(__name__)

DEFAULT_WORKERS = 32
DEFAULT_TIMEOUT = 10
DEFAULT_DEADLINE = 30
# Beyond the fetcher's own deadline, how long the run waits before giving up on a thread.
HARD_DEADLINE_GRACE = 5
# Fetched feeds waiting to be parsed and stored hold at most about this much memory (plus
# the bodies being fetched, each under the fetcher's own size limit).
WAITING_BYTES = 64 * 1024 * 1024


def ingest_entries(source, entries, *, tagger=None, now=None):
    """Dedupe, tag and store a source's normalised entries; the StoreCounts."""
    return store(tag(dedupe(source, entries), tagger), now=now)


def read_document(source, fetched, *, now, tagger=None):
    """Parse, normalise, dedupe, tag and store what a fetch brought: the FeedOutcome."""
    try:
        feed = normalise_feed(parse_feed(fetched.document), fetched_at=now)
    except ParseError as error:
        return FeedOutcome(fetched=fetched, error=error.message)
    except Exception as error:  # a bug on one feed must not end the run
        logger.exception("Unexpected failure parsing %s", source.feed_url)
        return FeedOutcome(fetched=fetched, error=unexpected_error_message(error))
    stored = ingest_entries(source, feed.entries, tagger=tagger, now=now)
    return FeedOutcome(fetched=fetched, feed=feed, stored=stored)


def record_fetch(source, fetched, *, now, tagger=None):
    """Run the stages after the fetch for one source; the report line."""
    outcome = FeedOutcome(fetched=fetched)
    if not fetched.error and fetched.document is not None:
        outcome = read_document(source, fetched, now=now, tagger=tagger)
    return record_health(source, outcome, now=now)


# -- fetching in threads ---------------------------------------------------------------------


class FetchPool:
    """A fixed number of daemon threads working through a list of jobs.

    Daemon threads, not ``concurrent.futures``: the executor joins its threads at interpreter
    exit, so one fetch stuck past its deadline would keep the whole command from exiting.
    Fetched bodies wait for the storing thread within a byte budget: fetchers pause when it is
    spent, so they cannot pile up feeds in memory while the storing thread is busy, yet a dead
    feed's clock starts as early as possible because small feeds never hold the others back.
    """

    def __init__(self, jobs, work, *, workers, hard_timeout, byte_budget=WAITING_BYTES):
        self.jobs = list(jobs)
        self.work = work
        self.workers = max(1, min(workers, len(self.jobs) or 1))
        self.hard_timeout = hard_timeout
        self.byte_budget = byte_budget
        self._pending = queue.Queue()
        for job in self.jobs:
            self._pending.put(job)
        self._results = queue.Queue()
        self._waiting_bytes = 0
        self._room = threading.Condition()
        self._started = {}
        self._lock = threading.Lock()

    def _worker(self):
        while True:
            with self._room:
                self._room.wait_for(lambda: self._waiting_bytes < self.byte_budget)
            try:
                job = self._pending.get_nowait()
            except queue.Empty:
                return
            with self._lock:
                self._started[job.source_id] = time.monotonic()
            try:
                outcome = self.work(job)
            except BaseException as error:  # reported as the job's result
                outcome = error
            document = getattr(outcome, "document", None)
            size = len(document.body) if document is not None else 0
            with self._room:
                self._waiting_bytes += size
            self._results.put((job, outcome, size))

    def _consumed(self, size):
        with self._room:
            self._waiting_bytes -= size
            self._room.notify_all()

    def _start_worker(self):
        thread = threading.Thread(target=self._worker, name="ingest-fetch", daemon=True)
        thread.start()

    def __iter__(self):
        """Yield ``(job, outcome)`` in completion order; ``outcome`` is None for a job that
        overran the hard timeout."""
        for _ in range(self.workers):
            self._start_worker()
        remaining = {job.source_id for job in self.jobs}
        abandoned = set()
        while remaining:
            try:
                job, outcome, size = self._results.get(timeout=0.25)
            except queue.Empty:
                now = time.monotonic()
                with self._lock:
                    overdue = [
                        job_id
                        for job_id, started in self._started.items()
                        if job_id in remaining and now - started > self.hard_timeout
                    ]
                for job_id in overdue:
                    remaining.discard(job_id)
                    abandoned.add(job_id)
                    # The stuck thread stays stuck; the other jobs get a fresh thread.
                    self._start_worker()
                    yield next(job for job in self.jobs if job.source_id == job_id), None
                continue
            self._consumed(size)
            if job.source_id in abandoned:
                continue
            remaining.discard(job.source_id)
            yield job, outcome


# -- the run ---------------------------------------------------------------------------------


def poll_sources(
    sources,
    *,
    workers=DEFAULT_WORKERS,
    timeout=DEFAULT_TIMEOUT,
    deadline=DEFAULT_DEADLINE,
    tagger=None,
    on_report=None,
):
    """Fetch the given sources in a bounded pool and store them as they arrive. Returns one
    SourceReport per source, in the order they finished."""
    sources = {source.pk: source for source in sources}
    if not sources:
        return []
    jobs = [
        FetchJob(
            source_id=source.pk,
            url=source.feed_url,
            etag=source.etag,
            last_modified=source.last_modified,
        )
        for source in sources.values()
    ]

    def work(job):
        return fetch_source(job, timeout=timeout, deadline=deadline)

    reports = []
    pool = FetchPool(jobs, work, workers=workers, hard_timeout=deadline + HARD_DEADLINE_GRACE)
    for job, outcome in pool:
        source = sources[job.source_id]
        now = timezone.now()
        if outcome is None:
            outcome = Fetched(
                source_id=source.pk,
                error=f"The feed did not finish answering within {deadline} seconds; the run "
                "moved on without it. If this keeps happening, the server is too slow or down.",
            )
        elif isinstance(outcome, BaseException):
            outcome = Fetched(source_id=source.pk, error=f"Unexpected error: {outcome!r}")
        try:
            report = record_fetch(source, outcome, now=now, tagger=tagger)
        except Exception as error:  # one source's failure must not end the run
            logger.exception("Could not record the fetch of %s", source)
            report = SourceReport(
                source_id=source.pk,
                name=source.name,
                status="error",
                error=f"Storing failed unexpectedly ({type(error).__name__}: {error}).",
            )
        reports.append(report)
        if on_report is not None:
            on_report(report, len(reports), len(jobs))
    return reports


# -- local files ---------------------------------------------------------------------------


def file_source(path, *, title="", link=""):
    """The source that entries read from a local file are recorded under: one per feed (by its
    site address, else its title), with no feed URL, so the scheduled run never polls it."""
    name = (title or Path(path).stem)[:200]
    site_url = link if link.startswith(("http://", "https://")) else ""
    lookup = {"site_url": site_url} if site_url else {"name": name, "site_url": ""}
    source = FeedSource.objects.filter(feed_url="", **lookup).order_by("pk").first()
    if source is None:
        source = FeedSource.objects.create(name=name, site_url=site_url, feed_url="", enabled=False)
    return source


def ingest_file(path, *, source=None, tagger=None, base_url=""):
    """Parse, normalise, dedupe, tag and store a local feed file — the same stages as a
    fetched feed after its bytes arrive. Raises OSError if the file cannot be read."""
    path = Path(path)
    now = timezone.now()
    document = FeedDocument(
        body=path.read_bytes(),
        base_url=base_url or getattr(source, "feed_url", "") or path.resolve().as_uri(),
    )
    try:
        feed = normalise_feed(parse_feed(document), fetched_at=now)
    except ParseError as error:
        # Nothing is recorded for a file that is not a feed: no source, no incidents.
        return SourceReport(
            source_id=getattr(source, "pk", None),
            name=str(source or path.name),
            status="error",
            error=error.message,
        )
    if source is None:
        source = file_source(path, title=feed.title, link=feed.link)
    stored = ingest_entries(source, feed.entries, tagger=tagger, now=now)
    outcome = FeedOutcome(fetched=Fetched(source_id=source.pk), feed=feed, stored=stored)
    stored, warning = summary_of(outcome)
    return SourceReport(
        source_id=source.pk,
        name=source.name,
        status="ok" if not stored.failed else "partial",
        new=stored.new,
        updated=stored.updated,
        skipped=stored.skipped,
        failed=stored.failed,
        items=feed.items,
        warning=warning,
    )
