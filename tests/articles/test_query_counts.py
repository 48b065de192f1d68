"""Pages cost the same number of SQL queries however much content the site holds: measured
with 5 stories and again with 50 (more authors, more tags), each after a warm-up render that
creates the image renditions, and with the full-page cache emptied before every request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cirsite.site.page_cache import invalidate_pages
from tests.articles.stories import (
    add_stories_in_bulk,
    fixture_image,
    make_author,
    paragraph,
    publish_story,
    seed_stories,
)
from tests.site.content import (
    make_show,
    publish_episode,
    track_incident,
    track_incidents_in_bulk,
)

# A story page also shows its linked episodes and tracked incidents (a query each).
MAX_QUERIES = 23


def queries_for(client, path):
    client.get(path)  # warm-up: renditions and per-process caches
    invalidate_pages()  # the full-page cache must not answer the measured request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


def measure(client, newest_story):
    paths = {
        "story": newest_story.url,
        "listing": "/news/",
        "listing page 2": "/news/?page=2",
        "home": "/",
        "feed": "/feeds/stories/",
        "sector feed": "/feeds/sectors/healthcare/",
        "sector page": "/sectors/healthcare/",
        "risk page": "/risks/ransomware/",
        "risk page, podcasts": "/risks/ransomware/podcasts/",
        "risk page, incidents": "/risks/ransomware/incidents/",
        "search": "/search/?q=story&sector=healthcare",
    }
    return {name: queries_for(client, path) for name, path in paths.items()}


def add_story(news_index, title, authors, tags, images, when):
    return publish_story(
        news_index,
        title,
        authors=authors,
        sectors=["healthcare", "public-sector"],
        risk_types=["ransomware", "outage"],
        tags=tags,
        hero_image=images[len(title) % len(images)],
        published_at=when,
    )


def add_episodes_and_incidents(show, count, start, first_number=0):
    for number in range(first_number, first_number + count):
        when = start + timedelta(hours=number)
        publish_episode(
            show,
            f"Episode {number}",
            sectors=["healthcare"],
            risk_types=["ransomware"],
            went_out=when,
        )
        track_incident(
            f"Incident {number}",
            sectors=["healthcare"],
            risk_types=["ransomware"],
            published_at=when,
        )


@pytest.fixture
def private_cache(settings):
    """A cache of this test's own: a shared Redis that another process empties mid-test
    would add a cache-refill query and make the counts differ for no reason of ours."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "query-count-test",
        }
    }
    # Nor may a read of other processes' cache generations land in one measured request only.
    settings.PAGE_CACHE_POLL_SECONDS = 3600


@pytest.mark.django_db
def test_query_count_does_not_grow_with_stories_tags_or_authors(
    client, private_cache, news_index, reporter
):
    images = [fixture_image(title=f"Picture {n}") for n in range(3)]
    few_authors = [reporter, make_author("Second Writer")]
    start = timezone.now() - timedelta(days=10)
    seed_stories(news_index, 4, few_authors, start=start, tags_per_story=1, images=images)
    show = make_show(news_index.get_parent().specific)
    add_episodes_and_incidents(show, 2, start)
    newest = add_story(
        news_index, "Small story", few_authors[:1], ["one"], images, start + timedelta(days=1)
    )
    small = measure(client, newest)

    add_episodes_and_incidents(show, 20, start + timedelta(days=2), first_number=2)
    many_authors = few_authors + [make_author(f"Writer {n}") for n in range(6)]
    seed_stories(
        news_index,
        44,
        many_authors,
        start=start + timedelta(days=2),
        tags_per_story=6,
        first_number=4,
        images=images,
    )
    newest = add_story(
        news_index,
        "Big story",
        many_authors,
        [f"tag {n}" for n in range(12)],
        images,
        start + timedelta(days=5),
    )
    large = measure(client, newest)

    assert large == small
    assert all(count <= MAX_QUERIES for count in large.values()), large


@pytest.mark.django_db
def test_story_page_queries_do_not_grow_with_its_images(
    client, private_cache, news_index, reporter
):
    images = [fixture_image(title=f"Figure {n}") for n in range(6)]

    def story_with(count):
        return publish_story(
            news_index,
            f"Story with {count} figures",
            authors=[reporter],
            body=[paragraph("Text.")]
            + [
                {"type": "image", "value": {"image": image.pk, "alt_text": "", "caption": "Fig"}}
                for image in images[:count]
            ],
        )

    one, six = story_with(1), story_with(6)
    assert client.get(six.url).content.count(b'class="story__figure"') == 6
    assert queries_for(client, one.url) == queries_for(client, six.url) <= MAX_QUERIES


SCALE_PAGES = {
    "home": "/",
    "news index": "/news/",
    "topic page": "/sectors/healthcare/",
    "tracker": "/incidents/",
}


@pytest.mark.django_db
def test_pages_cost_the_same_queries_with_ten_stories_and_incidents_as_with_hundreds(
    client, private_cache, news_index, reporter, second_reporter
):
    """Home, a story, the news index, a topic page and the incident tracker, each rendered
    without the page cache: 10 stories and 10 incidents, then 300 of each. Same counts."""
    images = [fixture_image(title=f"Picture {n}") for n in range(2)]
    authors = [reporter, second_reporter]
    add_stories_in_bulk(news_index, 10, authors, images=images)
    track_incidents_in_bulk(10)
    story = "/news/bulk-story-0005/"  # an older story: its related stories change as others arrive
    small = {
        name: queries_for(client, path) for name, path in {**SCALE_PAGES, "story": story}.items()
    }

    add_stories_in_bulk(news_index, 290, authors, first_number=10, images=images)
    track_incidents_in_bulk(290, first_number=10)
    large = {
        name: queries_for(client, path) for name, path in {**SCALE_PAGES, "story": story}.items()
    }

    assert large == small
    assert all(count <= MAX_QUERIES for count in large.values()), large
