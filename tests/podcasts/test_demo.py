"""The demo podcast a newcomer meets after `make run`: a show at /podcasts/ whose episodes
play real committed audio, loaded any number of times without duplicates."""

import io

import podcastparser
from django.core.management import call_command
from wagtail.images import get_image_model

from podcasts.models import EpisodeAudio, EpisodePage, PodcastIndexPage


def load_demo_podcast(home):
    """The demo as `make run` loads it: the podcast's hosts and related stories come from
    the stories' demo, which the site's loader hands to the podcast's."""
    call_command("load_demo", stdout=io.StringIO())


def test_demo_show_plays_in_a_podcast_app(client, site_root):
    load_demo_podcast(site_root)

    show = PodcastIndexPage.objects.get()
    assert show.url == "/podcasts/"
    assert client.get("/podcasts/").status_code == 200

    transport = EpisodePage.objects.get(slug="cyber-risk-in-the-transportation-industry")
    assert transport.title == "Cyber risk in the transportation industry"
    assert (transport.went_out.year, transport.went_out.month) == (2022, 4)
    assert {s.slug for s in transport.sectors.all()} == {"transport-logistics"}
    assert client.get(transport.url).status_code == 200

    feed = podcastparser.parse(
        "http://testserver/podcasts/feed/", io.BytesIO(client.get("/podcasts/feed/").content)
    )
    assert len(feed["episodes"]) >= 2
    for item in feed["episodes"]:
        (enclosure,) = item["enclosures"]
        served = client.get(enclosure["url"].removeprefix("http://testserver"))
        assert len(b"".join(served.streaming_content)) == enclosure["file_size"]
        assert item["total_time"] > 5


def test_loading_the_demo_twice_adds_nothing(site_root):
    load_demo_podcast(site_root)
    counts = (
        PodcastIndexPage.objects.count(),
        EpisodePage.objects.count(),
        EpisodeAudio.objects.count(),
        get_image_model().objects.count(),
    )
    load_demo_podcast(site_root)
    assert (
        PodcastIndexPage.objects.count(),
        EpisodePage.objects.count(),
        EpisodeAudio.objects.count(),
        get_image_model().objects.count(),
    ) == counts
