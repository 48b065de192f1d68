"""A change invalidates the pages that show it and no others, and a configured CDN is purged
for the same addresses."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from articles.models import ArticlePage
from tests.articles.stories import publish_story
from tests.site.content import track_incident


@pytest.fixture
def stories(news_index, reporter):
    """Two stories that share no sector or risk type, so neither is related to the other;
    one has a free tag, as most stories do."""
    road = publish_story(
        news_index,
        "Haulier loses its routing system to ransomware",
        authors=[reporter],
        sectors=["transport-logistics"],
        risk_types=["ransomware"],
        tags=["haulage"],
    )
    vote = publish_story(
        news_index,
        "Election watchdog reports a long intrusion",
        authors=[reporter],
        sectors=["public-sector"],
        risk_types=["espionage"],
    )
    return road, vote


def cached(client, path):
    """Reads a page twice so that a stored copy exists; returns the second answer's source."""
    client.get(path)
    return client.get(path)["X-Page-Cache"]


def source(client, path):
    return client.get(path)["X-Page-Cache"]


def test_publishing_a_story_renews_what_shows_it_and_leaves_unrelated_stories_stored(
    client, stories
):
    road, vote = stories
    shows_road = ["/", "/news/", road.url, "/feeds/stories/", "/sectors/transport-logistics/"]
    for path in [*shows_road, vote.url, "/incidents/"]:
        assert cached(client, path) == "hit", path

    road.title = "Haulier restores its routing system"
    road.save_revision().publish()

    for path in shows_road:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss", path
        assert "Haulier restores its routing system" in response.text, path
    # A story that does not show the haulier's, and the tracker, keep their stored copies.
    assert source(client, vote.url) == "hit"
    assert source(client, "/incidents/") == "hit"


def test_unpublishing_a_story_removes_it_from_its_page_and_every_listing(client, stories):
    road, _ = stories
    for path in ["/", "/news/", road.url]:
        cached(client, path)

    road.unpublish()

    assert client.get(road.url).status_code == 404
    assert road.title not in client.get("/news/").text
    assert road.title not in client.get("/").text


def test_an_ingested_incident_renews_only_what_shows_incidents(client, stories):
    road, vote = stories
    feeds = ["/feeds/stories/", "/feeds/authors/hannah-okafor/", "/feeds/risks/ransomware/"]
    for path in ["/", "/incidents/", "/news/", road.url, vote.url, *feeds]:
        cached(client, path)

    track_incident("Port operator halts container bookings", sectors=["transport-logistics"])

    for path in ["/", "/incidents/"]:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss", path
        assert "Port operator halts container bookings" in response.text, path
    for path in ["/news/", road.url, vote.url, *feeds]:
        assert source(client, path) == "hit", path


class PurgeReceiver(BaseHTTPRequestHandler):
    """A stand-in CDN on loopback that notes every PURGE it is sent."""

    def do_PURGE(self):
        self.server.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeReceiver)
    server.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield server
    server.shutdown()
    server.server_close()


def test_publishing_purges_the_cdn_for_the_same_addresses(
    stories, cdn, settings, django_capture_on_commit_callbacks
):
    road, vote = stories
    road.title = "Haulier restores its routing system"
    with django_capture_on_commit_callbacks(execute=True):
        road.save_revision().publish()

    host = settings.BASE_URL.split("://", 1)[1]
    assert {purged_host for purged_host, _ in cdn.purged} == {host}
    paths = {path for _, path in cdn.purged}
    assert {
        "/",
        "/news/",
        road.url,
        "/feeds/stories/",
        "/news-sitemap.xml",
        "/sectors/transport-logistics/",
        "/feeds/sectors/transport-logistics/",
        "/risks/ransomware/",
    } <= paths
    assert vote.url not in paths
    assert "/sectors/public-sector/" not in paths
    assert len(cdn.purged) == len(paths), "each address is purged once per change"


def test_an_ingested_incident_purges_incident_pages_only(
    stories, cdn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        track_incident("Port operator halts container bookings")

    paths = {path for _, path in cdn.purged}
    assert {"/", "/incidents/", "/incidents/feed/"} <= paths
    story_pages = {story.url for story in ArticlePage.objects.all()}
    assert not paths & ({"/news/", "/feeds/stories/"} | story_pages)


def test_a_draft_saved_in_the_admin_changes_nothing_readers_see(client, stories):
    road, _ = stories
    cached(client, road.url)

    road.title = "Draft headline nobody has approved"
    road.save_revision()

    response = client.get(road.url)
    assert response["X-Page-Cache"] == "hit"
    assert "Draft headline nobody has approved" not in response.text


def test_a_story_shows_its_tracked_incidents_new_title_and_its_publication_leaves_the_tracker(
    client, news_index, reporter, author_index
):
    from ingest.incidents.coverage import StoryIncident

    incident = track_incident(
        "Ferry operator loses its booking system", sectors=["transport-logistics"]
    )
    story = publish_story(news_index, "Ferry bookings stall", authors=[reporter], publish=False)
    story.incident_links = [StoryIncident(incident=incident)]
    story.save_revision().publish()
    assert "Ferry operator loses its booking system" in client.get(story.url).text
    for path in [story.url, "/incidents/", "/", "/authors/hannah-okafor/"]:
        assert cached(client, path) == "hit", path

    # Publishing the story again (its incident links are saved anew) renews the story, the
    # lists of stories and its author's page, not what shows only incidents.
    story.title = "Ferry bookings stall for a second day"
    story.save_revision().publish()
    assert source(client, "/incidents/") == "hit"
    for path in [story.url, "/", "/authors/hannah-okafor/"]:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss", path
        assert "Ferry bookings stall for a second day" in response.text, path
    cached(client, story.url)

    incident.title = "Ferry operator restores its booking system"
    incident.save()
    response = client.get(story.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Ferry operator restores its booking system" in response.text
    # An author's page shows no incidents: it stays stored.
    assert source(client, "/authors/hannah-okafor/") == "hit"
