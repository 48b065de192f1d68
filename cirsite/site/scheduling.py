"""Wagtail's scheduled publishing (go-live and expiry) run on a short loop, once at a time.

Wagtail's own ``publish_scheduled`` command does the work; what it lacks is a guard against
two copies running at once (two machines each running the scheduler, or a restart overlapping
the old process), which would publish a due revision twice. Each pass therefore runs under a
lock every scheduler shares: a PostgreSQL advisory lock when the database is PostgreSQL, and a
lock file beside the database for SQLite (whose database is on one machine anyway).
"""

import contextlib
import fcntl
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

logger = logging.getLogger(__name__)

# Any fixed 64-bit number; it names this lock among the database's advisory locks.
ADVISORY_LOCK_KEY = 0x63697273_70756273  # "cirspubs"


@contextlib.contextmanager
def postgres_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        (acquired,) = cursor.fetchone()
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


@contextlib.contextmanager
def file_lock(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def scheduler_lock():
    if connection.vendor == "postgresql":
        return postgres_lock()
    database = str(settings.DATABASES["default"]["NAME"])
    if database in {"", ":memory:"} or database.startswith("file:"):
        return file_lock(Path(settings.VAR_DIR) / "scheduler.lock")
    return file_lock(Path(database + ".scheduler.lock"))


def publish_due(stdout=None):
    """One pass of scheduled publishing; False when another scheduler holds the lock (it is
    doing this pass's work)."""
    with scheduler_lock() as acquired:
        if not acquired:
            return False
        call_command("publish_scheduled", stdout=stdout)
        return True


def run_forever(interval, stdout=None, passes=None):
    done = 0
    while passes is None or done < passes:
        started = time.monotonic()
        try:
            publish_due(stdout=stdout)
        except Exception:
            # A database that is briefly away must not end the schedule; the next pass retries.
            logger.exception("Scheduled publishing failed; retrying in %s s", interval)
        finally:
            connection.close()
        done += 1
        time.sleep(max(interval - (time.monotonic() - started), 0))
