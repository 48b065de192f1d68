"""The health stage: what became of one fetch (FeedOutcome) is written on its source, with
when to try it next, and summed up as the run's table row (SourceReport).

A healthy source is fetched again after its poll interval. A failing one backs off, doubling
the wait after each failure in a row, never beyond MAX_BACKOFF: a source that is down for a
week is still tried once a day, and one that recovers is back soon.
"""

from dataclasses import dataclass
from datetime import timedelta

from ingest.pipeline.fetch import Fetched
from ingest.pipeline.models import FeedSource
from ingest.pipeline.normalise import NormalisedFeed
from ingest.pipeline.store import StoreCounts

MAX_BACKOFF = timedelta(days=1)
# The one Retry-After policy: a server's request to wait (429, 503) is honoured up to a day,
# so a hostile or confused server cannot park its source for months. The fetch stage reports
# the wait as the server asked; only this cap decides the schedule.
MAX_RETRY_AFTER = timedelta(days=1)

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
class FeedOutcome:
    """Everything a run learnt about one source: the fetch, and when the fetch brought a
    document, the feed read from it and what was stored, or why reading it failed."""

    fetched: Fetched
    feed: NormalisedFeed | None = None
    stored: StoreCounts | None = None
    error: str = ""


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


def poll_delay(source):
    return timedelta(minutes=max(source.poll_interval, 1))


def backoff_delay(source, failures):
    # 2**failures overflows timedelta long before it matters; cap the exponent first.
    delay = poll_delay(source) * (2 ** min(max(failures - 1, 0), 20))
    return min(delay, MAX_BACKOFF)


def retry_after_delay(seconds):
    """The wait a server asked for, as far as the policy honours it."""
    if not seconds:
        return timedelta(0)
    return timedelta(seconds=min(max(float(seconds), 0), MAX_RETRY_AFTER.total_seconds()))


def _record_failure(source, *, now, message, status, retry_after, gone):
    source.last_fetched_at = now
    source.last_status = status
    source.last_error = message
    source.consecutive_failures += 1
    source.next_due_at = now + max(
        backoff_delay(source, source.consecutive_failures), retry_after_delay(retry_after)
    )
    if gone:
        source.enabled = False
        source.last_error = (
            f"{message} The server says this feed is gone for good (HTTP 410), so the "
            "source has been disabled. Find the feed's new address on the publisher's "
            "site, update the feed URL and enable the source again."
        ).strip()


def _record_answer(source, *, now, status):
    source.last_fetched_at = now
    source.last_status = status
    source.last_error = ""
    source.consecutive_failures = 0
    source.next_due_at = now + poll_delay(source)


def summary_of(outcome: FeedOutcome):
    """(report fields, warning) for an outcome whose feed was read: counts and warnings."""
    stored = outcome.stored or StoreCounts()
    warnings = list(outcome.feed.warnings if outcome.feed else [])
    if stored.errors:
        warnings.insert(0, f"{stored.failed} entries could not be stored. " + stored.errors[0])
    return stored, " ".join(str(text) for text in warnings)[:2000]


def record_health(source: FeedSource, outcome: FeedOutcome, *, now) -> SourceReport:
    """The stage: write the source's health and say how it went."""
    fetched = outcome.fetched
    report = SourceReport(
        source_id=source.pk, name=source.name, http_status=fetched.status, seconds=fetched.seconds
    )
    if fetched.permanent_redirect_to and fetched.permanent_redirect_to != source.feed_url:
        source.redirect_to = fetched.permanent_redirect_to[:1000]
    error = fetched.error or outcome.error
    if error:
        _record_failure(
            source,
            now=now,
            message=error,
            status=fetched.status,
            retry_after=fetched.retry_after,
            gone=fetched.gone,
        )
        report.status = "disabled" if fetched.gone else "error"
        report.error = source.last_error
    elif fetched.not_modified:
        _record_answer(source, now=now, status=fetched.status or 304)
        report.status = "not modified"
    else:
        stored, warning = summary_of(outcome)
        _record_answer(source, now=now, status=fetched.status)
        source.last_warning = warning
        # A validator is kept only when every entry made it in: otherwise the next fetch
        # would get a 304 and the failed entries would never be tried again.
        keep_validators = stored.failed == 0
        source.etag = (fetched.etag or "")[:500] if keep_validators else ""
        source.last_modified = (fetched.last_modified or "")[:100] if keep_validators else ""
        source.items_found = outcome.feed.items
        report.items = outcome.feed.items
        report.new, report.updated = stored.new, stored.updated
        report.skipped, report.failed = stored.skipped, stored.failed
        report.warning = warning
        report.status = "ok" if not stored.failed else "partial"
    source.save(update_fields=HEALTH_FIELDS)
    return report
