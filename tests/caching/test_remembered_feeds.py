"""Feed items remembered between requests (cirsite.base.feed_items) follow every change at
once: with the full-page cache off, so that only the remembered items could go stale, a
subscriber's next fetch shows a retitled story, a renamed author or sector, a moved page a
story links to, a relabelled incident and a renamed podcast host or new guest. A feed costs
the same queries with ten items as with many, and an unchanged feed loads none of them."""

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import ArticlePage
from cirsite.base.models import Sector
from cirsite.base.process_memo import generations_pinned, page_tag, remembered
from cirsite.site.page_cache import invalidate_pages
from ingest.incidents.models import IncidentSector
from tests.articles.stories import fixture_image, make_author, paragraph, publish_story
from tests.podcasts.conftest import library_audio
from tests.site.content import track_incident, track_incidents_in_bulk


def entries(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    feed = feedparser.parse(response.content)
    assert feed.bozo is False, path
    return feed.entries


def entry_titled(client, path, start):
    [entry] = [entry for entry in entries(client, path) if entry.title.startswith(start)]
    return entry


def categories(entry):
    return [tag.term for tag in entry.get("tags", [])]


STORY_FEEDS = ("/feeds/stories/", "/feeds/sectors/transport-logistics/", "/feeds/risks/ransomware/")


@pytest.mark.django_db
def test_a_retitled_story_shows_in_every_feed_that_lists_it(client, no_page_cache, story):
    for path in STORY_FEEDS:
        assert [entry.title for entry in entries(client, path)] == [story.title]

    story.title = "Ferry operator restores bookings after ransomware"
    story.body = [paragraph("Sailings resumed on Tuesday.")]
    story.save_revision().publish()

    for path in STORY_FEEDS:
        [entry] = entries(client, path)
        assert entry.title == "Ferry operator restores bookings after ransomware", path
        assert "Sailings resumed on Tuesday." in entry.content[0].value, path


@pytest.mark.django_db
def test_a_renamed_author_shows_as_the_creator_of_their_stories(
    client, no_page_cache, story, reporter
):
    assert entries(client, "/feeds/stories/")[0].author == "Hannah Okafor"
    assert entries(client, "/feeds/authors/hannah-okafor/")[0].author == "Hannah Okafor"

    reporter.name = "Hannah Okafor-Reid"
    reporter.save()

    assert entries(client, "/feeds/stories/")[0].author == "Hannah Okafor-Reid"
    assert entries(client, "/feeds/authors/hannah-okafor/")[0].author == "Hannah Okafor-Reid"


@pytest.mark.django_db
def test_a_renamed_sector_shows_in_the_categories_of_its_stories(client, no_page_cache, story):
    assert "Transport and logistics" in categories(entries(client, "/feeds/stories/")[0])
    sector = Sector.objects.get(slug="transport-logistics")
    sector.name = "Transport, shipping and logistics"
    sector.save()

    assert "Transport, shipping and logistics" in categories(entries(client, "/feeds/stories/")[0])


@pytest.mark.django_db
def test_a_link_to_another_story_follows_that_story_to_its_new_address(
    client, no_page_cache, news_index, reporter, story
):
    follow_up = publish_story(
        news_index,
        "Ferry bookings: what the operator knew",
        slug="what-the-operator-knew",
        authors=[reporter],
        body=[paragraph(f'Background: <a linktype="page" id="{story.pk}">the attack</a>.')],
    )
    content = entry_titled(client, "/feeds/stories/", "Ferry bookings").content[0].value
    assert 'href="http://testserver/news/ferry-bookings-halted/"' in content

    story.slug = "ferry-operator-ransomware"
    story.save_revision().publish()

    content = entry_titled(client, "/feeds/stories/", follow_up.title).content[0].value
    assert 'href="http://testserver/news/ferry-operator-ransomware/"' in content


@pytest.mark.django_db
def test_a_relabelled_or_retitled_incident_shows_in_the_incident_feeds(client, no_page_cache):
    incident = track_incident("Port operator outage", sectors=["transport-logistics"])
    paths = ("/incidents/feed/", "/incidents/feed/?sector=transport-logistics")
    for path in paths:
        assert categories(entry_titled(client, path, "Port operator")) == [
            "Transport and logistics"
        ]

    IncidentSector.objects.create(
        incident=incident, sector=Sector.objects.get(slug="public-sector"), score=0.99
    )
    incident.title = "Port operator outage lasts a week"
    incident.save()

    for path in paths:
        entry = entry_titled(client, path, "Port operator")
        assert entry.title == "Port operator outage lasts a week", path
        assert sorted(categories(entry)) == ["Public sector", "Transport and logistics"], path


@pytest.mark.django_db
def test_a_renamed_host_and_a_new_guest_show_in_the_episodes(
    client, no_page_cache, show, add_episode
):
    from articles.models import Author
    from podcasts.models import EpisodeGuest

    episode = add_episode("Rail signalling and ransomware")
    body = client.get("/podcasts/feed/").content.decode()
    assert body.count(">Daniel Mercer</podcast:person>") == 2  # the channel's and the item's

    host = Author.objects.get(slug="daniel-mercer")
    host.name = "Dan Mercer"
    host.save()
    episode.guests.add(EpisodeGuest(name="Priya Raman"))
    episode.save_revision().publish()

    body = client.get("/podcasts/feed/").content.decode()
    assert body.count(">Dan Mercer</podcast:person>") == 2
    assert '<podcast:person role="guest">Priya Raman</podcast:person>' in body


@pytest.mark.django_db
def test_a_story_read_just_before_it_changes_is_not_remembered_as_current(
    client, no_page_cache, story
):
    """A feed reads its stories when the request begins; should an editor's change commit
    (and this process learn of it) before the items are remembered, they are remembered
    under the generations the request began with, so the next render reads the story anew."""
    client.get("/feeds/stories/")  # the process knows the generations, as a serving one does
    key, tags = ("headline", story.pk), (page_tag(story.pk),)
    with generations_pinned():
        headline = ArticlePage.objects.get(pk=story.pk).title
        story.title = "Ferry operator restores bookings after ransomware"
        story.save_revision().publish()
        assert remembered(key, tags, lambda: headline) == headline

    assert remembered(key, tags, lambda: story.title) == story.title
    assert entries(client, "/feeds/stories/")[0].title == story.title


# --- Queries ---------------------------------------------------------------------------------


@pytest.fixture
def counting(settings):
    """No page cache, a cache of this test's own and generations trusted for the whole test:
    only the feeds' own work is counted."""
    settings.CACHE_PAGE_SECONDS = 0
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "feed-query-count-test",
        }
    }
    settings.PAGE_CACHE_POLL_SECONDS = 3600


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


FEEDS = (
    "/feeds/stories/",
    "/feeds/sectors/healthcare/",
    "/feeds/authors/hannah-okafor/",
    "/podcasts/feed/",
    "/incidents/feed/",
    "/incidents/feed/?sector=healthcare",
)


def measure(client):
    """{feed: (queries when every item renders, queries when every item is remembered)}."""
    counts = {}
    for path in FEEDS:
        client.get(path)  # warm-up: image renditions
        invalidate_pages()  # every remembered item goes stale
        counts[path] = (queries(client, path), queries(client, path))
    return counts


@pytest.fixture
def add_items(news_index, show):
    """``count`` stories by ``authors`` (tagged, with a hero and a body image) and as many
    episodes (one guest each), an hour apart from ``start``; the episodes share one audio
    file, which the feed only names."""
    from podcasts.models import EpisodeGuest, EpisodePage

    images = [fixture_image(title=f"Picture {n}") for n in range(2)]
    audio = library_audio("spoken-test.mp3", "Shared audio")

    def add(count, authors, start):
        for number in range(count):
            when = start + timedelta(hours=number)
            title = f"{when:%Y%m%d%H} item {number}"
            publish_story(
                news_index,
                f"Story {title}",
                authors=authors,
                sectors=["healthcare"],
                risk_types=["ransomware"],
                tags=[f"tag {number}", "common"],
                hero_image=images[number % 2],
                published_at=when,
                body=[
                    paragraph(f"Story {number}."),
                    {"type": "image", "value": {"image": images[0].pk, "alt_text": ""}},
                ],
            )
            episode = EpisodePage(
                title=f"Episode {title}",
                summary="What it is about.",
                audio=audio,
                release_date=when,
            )
            episode.guests.add(EpisodeGuest(name=f"Guest {number}"))
            show.add_child(instance=episode)
            episode.save_revision().publish()

    return add


@pytest.mark.django_db
def test_feeds_cost_the_same_queries_with_ten_items_as_with_many(
    client, counting, reporter, add_items
):
    start = timezone.now() - timedelta(days=30)
    add_items(10, [reporter], start)
    track_incidents_in_bulk(10)
    small = measure(client)

    authors = [reporter] + [make_author(f"Writer {n}") for n in range(3)]
    add_items(30, authors, start + timedelta(days=2))
    track_incidents_in_bulk(60, first_number=10)
    large = measure(client)

    assert large == small
    # An unchanged feed asks only which items it lists: it loads and renders none of them.
    assert all(remembered < rendered for rendered, remembered in large.values()), large
