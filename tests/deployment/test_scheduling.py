"""Scheduled publishing runs once per due page however many schedulers run: each pass takes a
lock every scheduler shares (a PostgreSQL advisory lock, or a lock file beside SQLite)."""

import contextlib
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import PageLogEntry

from articles.models import ArticleIndexPage, ArticlePage
from cirsite.site.scheduling import ADVISORY_LOCK_KEY, publish_due, scheduler_lock


@pytest.fixture
def scheduled_story(site_root):
    index = ArticleIndexPage(title="News", slug="news")
    site_root.add_child(instance=index)
    index.save_revision().publish()
    story = ArticlePage(
        title="Embargoed breach report",
        slug="embargoed-breach-report",
        standfirst="Out at noon.",
        live=False,
        go_live_at=timezone.now() + timedelta(minutes=5),
    )
    index.add_child(instance=story)
    story.save_revision().publish()
    story.refresh_from_db()
    assert not story.live
    return story


def scheduled_publications(story):
    return PageLogEntry.objects.filter(page=story, action="wagtail.publish.scheduled").count()


@contextlib.contextmanager
def lock_held_by_another_scheduler():
    """Holds the scheduler lock from a second database session (PostgreSQL) or a second open
    of the lock file (SQLite), as another scheduler process would."""
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            yield
        finally:
            other.close()
    else:
        acquired = threading.Event()
        release = threading.Event()

        def hold():
            with scheduler_lock() as got:
                assert got
                acquired.set()
                release.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        acquired.wait(10)
        try:
            yield
        finally:
            release.set()
            holder.join()


def test_a_due_story_goes_live_once_even_when_schedulers_overlap(scheduled_story):
    with freeze_time(timezone.now() + timedelta(minutes=6)):
        with lock_held_by_another_scheduler():
            assert publish_due() is False
            scheduled_story.refresh_from_db()
            assert not scheduled_story.live, "a second scheduler worked while the lock was held"

        assert publish_due() is True
        assert publish_due() is True
    scheduled_story.refresh_from_db()
    assert scheduled_story.live
    assert scheduled_publications(scheduled_story) == 1


def test_a_story_is_not_published_before_its_time(scheduled_story):
    assert publish_due() is True
    scheduled_story.refresh_from_db()
    assert not scheduled_story.live
    assert scheduled_publications(scheduled_story) == 0


def test_an_expired_story_is_taken_down(scheduled_story):
    with freeze_time(timezone.now() + timedelta(minutes=6)):
        publish_due()
    ArticlePage.objects.filter(pk=scheduled_story.pk).update(
        expire_at=timezone.now() + timedelta(minutes=10)
    )
    with freeze_time(timezone.now() + timedelta(minutes=11)):
        publish_due()
    scheduled_story.refresh_from_db()
    assert not scheduled_story.live
    assert scheduled_story.expired
