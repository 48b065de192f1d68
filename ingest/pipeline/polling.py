"""Polling feed sources: fetch due feeds several at once, then parse, tag and store them.

Threads only fetch (network, no database). Parsing, tagging and every database write happen
in the calling thread, one source at a time: SQLite allows one writer, and parsing is
CPU-bound Python, which many threads would only slow down by fighting over the interpreter
lock. A source that never answers holds one fetch thread until its deadline and nothing
else; if a fetch somehow outlives its deadline the run stops waiting for it and carries on.
"""

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from ingest.pipeline.models import FeedSource
from ingest.pipeline.store import store_entries

logger = logging.getLogger(__name__)

DEFAULT_WORKERS = 32
DEFAULT_TIMEOUT = 10
DEFAULT_DEADLINE = 30
# Beyond the fetcher's own deadline, how long the run waits before giving up on a thread.
HARD_DEADLINE_GRACE = 5
# Fetched feeds waiting to be parsed and stored hold at most about this much memory (plus
# the bodies being fetched, each under the fetcher's own size limit).
WAITING_BYTES = 64 * 1024 * 1024

HEALTH_FIELDS = [
    "last_fetched_at",
    "last_status",
    "last_error",
    "last_warning",
    "consecutive_failures",
    "next_due_at",
    "etag",
    "last_modified",
    "items_found",
    "redirect_to",
    "enabled",
]


@dataclass
class SourceReport:
    """One source's line in the run's table."""

    source_id: int
    name: str
    status: str = ""
    http_status: int | None = None
    new: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    items: int = 0
    error: str = ""
    warning: str = ""
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.error

    def as_dict(self):
        return {
            "source_id": self.source_id,
            "name": self.name,
            "status": self.status,
            "http_status": self.http_status,
            "new": self.new,
            "updated": self.updated,
            "skipped": self.skipped,
            "failed": self.failed,
            "error": self.error,
        }


@dataclass
class Fetched:
    """What a fetch thread hands back to the storing thread."""

    source_id: int
    status: int | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    permanent_redirect_to: str = ""
    entries: list = field(default_factory=list)
    items: int = 0
    warnings: list = field(default_factory=list)
    error: str = ""
    retry_after: float | None = None
    gone: bool = False
    seconds: float = 0.0
    parsed_title: str = ""
    parsed_link: str = ""
    # The fetched bytes, until the storing thread has parsed them.
    parsed: bool = False
    body: bytes = b""
    base_url: str = ""
    content_type: str = ""


def due_sources(now=None):
    now = now or timezone.now()
    return (
        FeedSource.objects.filter(enabled=True)
        .exclude(feed_url="")
        .filter(Q(next_due_at__isnull=True) | Q(next_due_at__lte=now))
        .order_by("next_due_at", "pk")
    )


def pollable_sources():
    """Every source with a feed address, due or not (``ingest --all``)."""
    return FeedSource.objects.filter(enabled=True).exclude(feed_url="").order_by("pk")


def unexpected_error_message(error):
    return (
        f"The feed could not be read because of an unexpected error ({type(error).__name__}). "
        "It will be tried again; if this keeps happening, report it to the developers."
    )


def _parse_and_normalise(fetched, body, *, base_url, content_type, now):
    from ingest.pipeline.normalise import normalise_entry
    from ingest.pipeline.parse import ParseError, parse_feed

    fetched.parsed = True
    try:
        parsed = parse_feed(body, base_url=base_url, content_type=content_type or "")
    except ParseError as error:
        fetched.error = error.message
        return fetched
    fetched.items = len(parsed.entries)
    fetched.warnings = list(parsed.warnings or [])
    for entry in parsed.entries:
        normalised = normalise_entry(entry, fetched_at=now, base_url=base_url)
        if normalised is not None:
            fetched.entries.append(normalised)
    fetched.parsed_title = getattr(parsed, "title", "") or ""
    fetched.parsed_link = getattr(parsed, "link", "") or ""
    return fetched


# -- the fetching side (runs in threads; no database, no parsing) ---------------------------


def fetch_source(job, *, timeout, deadline):
    """Fetch one feed. Never raises: every failure becomes a sentence on the result, which is
    what the editor will read on the source."""
    from ingest.pipeline.fetch import FetchError, fetch_feed

    started = time.monotonic()
    fetched = Fetched(source_id=job["id"])
    try:
        try:
            result = fetch_feed(
                job["url"],
                etag=job["etag"] or None,
                last_modified=job["last_modified"] or None,
                timeout=timeout,
                deadline=deadline,
            )
        except FetchError as error:
            fetched.error = error.message
            fetched.status = error.status
            fetched.retry_after = error.retry_after
            fetched.gone = bool(error.gone)
            return fetched
        fetched.status = result.status
        fetched.permanent_redirect_to = result.permanent_redirect_to or ""
        fetched.etag = result.etag
        fetched.last_modified = result.last_modified
        if result.not_modified:
            fetched.not_modified = True
            return fetched
        fetched.body = result.body or b""
        fetched.base_url = result.url or job["url"]
        fetched.content_type = result.content_type or ""
        return fetched
    except Exception as error:  # a bug on one feed must not end the run
        logger.exception("Unexpected failure fetching %s", job["url"])
        fetched.error = unexpected_error_message(error)
        return fetched
    finally:
        fetched.seconds = time.monotonic() - started


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
                self._started[job["id"]] = time.monotonic()
            try:
                outcome = self.work(job)
            except BaseException as error:  # reported as the job's result
                outcome = error
            size = len(getattr(outcome, "body", b"") or b"")
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
        remaining = {job["id"] for job in self.jobs}
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
                    yield next(job for job in self.jobs if job["id"] == job_id), None
                continue
            self._consumed(size)
            if job["id"] in abandoned:
                continue
            remaining.discard(job["id"])
            yield job, outcome


# -- the storing side (the calling thread) -------------------------------------------------


def record_fetch(source, fetched, *, now, tagger=None):
    """Apply one fetch to its source: store the entries, then write the source's health.
    Returns the report line."""
    report = SourceReport(
        source_id=source.pk, name=source.name, http_status=fetched.status, seconds=fetched.seconds
    )
    if fetched.permanent_redirect_to:
        source.record_permanent_redirect(fetched.permanent_redirect_to)
    if fetched.error:
        source.record_failure(
            now=now,
            message=fetched.error,
            status=fetched.status,
            retry_after=fetched.retry_after,
            gone=fetched.gone,
        )
        report.status = "disabled" if fetched.gone else "error"
        report.error = source.last_error
        source.save(update_fields=HEALTH_FIELDS)
        return report
    if fetched.not_modified:
        source.record_not_modified(now=now, status=fetched.status or 304)
        report.status = "not modified"
        source.save(update_fields=HEALTH_FIELDS)
        return report
    if not fetched.parsed:
        try:
            _parse_and_normalise(
                fetched,
                fetched.body,
                base_url=fetched.base_url,
                content_type=fetched.content_type,
                now=now,
            )
        except Exception as error:  # a bug on one feed must not end the run
            logger.exception("Unexpected failure parsing %s", source.feed_url)
            fetched.error = unexpected_error_message(error)
        fetched.body = b""
        if fetched.error:
            return record_fetch(source, fetched, now=now, tagger=tagger)

    counts = store_entries(source, fetched.entries, tagger=tagger, now=now)
    report.items = fetched.items
    report.new, report.updated = counts.new, counts.updated
    report.skipped, report.failed = counts.skipped, counts.failed
    warnings = list(fetched.warnings)
    if counts.errors:
        warnings.insert(0, f"{counts.failed} entries could not be stored. " + counts.errors[0])
    warning = " ".join(str(text) for text in warnings)[:2000]
    report.warning = warning
    # A validator is kept only when every entry made it in: otherwise the next fetch would
    # get a 304 and the failed entries would never be tried again.
    keep_validators = counts.failed == 0
    source.record_success(
        now=now,
        status=fetched.status,
        etag=fetched.etag or "" if keep_validators else "",
        last_modified=fetched.last_modified or "" if keep_validators else "",
        items_found=fetched.items,
        warning=warning,
    )
    report.status = "ok" if not counts.failed else "partial"
    source.save(update_fields=HEALTH_FIELDS)
    return report


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
        {
            "id": source.pk,
            "url": source.feed_url,
            "etag": source.etag,
            "last_modified": source.last_modified,
        }
        for source in sources.values()
    ]

    def work(job):
        return fetch_source(job, timeout=timeout, deadline=deadline)

    reports = []
    pool = FetchPool(jobs, work, workers=workers, hard_timeout=deadline + HARD_DEADLINE_GRACE)
    for job, outcome in pool:
        source = sources[job["id"]]
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
    """Parse, normalise, tag and store a local feed file — the same path as a fetched feed
    after its bytes arrive. Raises OSError if the file cannot be read."""
    path = Path(path)
    body = path.read_bytes()
    now = timezone.now()
    fetched = Fetched(source_id=source.pk if source else 0, status=None)
    base = base_url or getattr(source, "feed_url", "") or path.resolve().as_uri()
    _parse_and_normalise(fetched, body, base_url=base, content_type="", now=now)
    if fetched.error:
        # Nothing is recorded for a file that is not a feed: no source, no incidents.
        report = SourceReport(
            source_id=getattr(source, "pk", None), name=str(source or path.name), status="error"
        )
        report.error = fetched.error
        return report
    if source is None:
        source = file_source(path, title=fetched.parsed_title, link=fetched.parsed_link)
    report = SourceReport(source_id=source.pk, name=source.name, items=fetched.items)
    counts = store_entries(source, fetched.entries, tagger=tagger, now=now)
    report.new, report.updated = counts.new, counts.updated
    report.skipped, report.failed = counts.skipped, counts.failed
    report.status = "ok" if not counts.failed else "partial"
    report.warning = " ".join([*(counts.errors[:1]), *(str(text) for text in fetched.warnings)])[
        :2000
    ]
    return report
