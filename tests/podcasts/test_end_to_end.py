"""The whole path of an episode, as the issue asks: an editor uploads an MP3 in the admin and
publishes the episode; a podcast app finds it in the feed and fetches the audio with a Range
request, the way Apple's checker does."""

import io

import podcastparser
from django.urls import reverse
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cirsite.base.models import RiskType, Sector
from podcasts.models import EpisodeAudio, EpisodePage

from .conftest import AUDIO


def test_upload_publish_subscribe_and_fetch_a_range(client, editor, show):
    mp3 = (AUDIO / "spoken-test.mp3").read_bytes()

    # 1. Upload the MP3 in the media library.
    with open(AUDIO / "spoken-test.mp3", "rb") as handle:
        response = client.post(
            reverse("wagtailmedia:add", args=("audio",)),
            {
                "title": "Transport episode audio",
                "file": handle,
                "collection": Collection.get_first_root_node().pk,
                "tags": "",
            },
        )
    assert response.status_code == 302
    audio = EpisodeAudio.objects.get(title="Transport episode audio")

    # 2. Write the episode in the page editor and publish it.
    transport = Sector.objects.get(slug="transport-logistics")
    ransomware = RiskType.objects.get(slug="ransomware")
    form = nested_form_data(
        {
            "title": "Cyber risk in the transportation industry",
            "slug": "cyber-risk-in-the-transportation-industry",
            "summary": "Why transport operators are targets.",
            "audio": audio.pk,
            "release_date": "2022-04-12 08:00",
            "episode_number": 1,
            "season_number": 1,
            "episode_type": "full",
            "show_notes": rich_text("<p>Ports, rail and airlines.</p>"),
            "guests": inline_formset([{"name": "Priya Raman", "affiliation": "", "url": ""}]),
            "transcript": "Hello and welcome.",
            "captions": "",
            "sectors": [transport.pk],
            "risk_types": [ransomware.pk],
            "related_story_links": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("podcasts", "episodepage", show.pk)), form
    )
    assert response.status_code == 302, response.context["form"].errors
    episode = EpisodePage.objects.get(slug="cyber-risk-in-the-transportation-industry")
    assert episode.live
    assert episode.guid

    # 3. A podcast app reads the feed.
    client.logout()
    feed = client.get("/podcasts/feed/")
    parsed = podcastparser.parse("http://testserver/podcasts/feed/", io.BytesIO(feed.content))
    (item,) = parsed["episodes"]
    assert item["title"] == "Cyber risk in the transportation industry"
    assert item["guid"] == episode.guid
    assert item["number"] == 1
    assert item["total_time"] == 6
    assert [p["name"] for p in item["persons"]] == ["Daniel Mercer", "Priya Raman"]
    (enclosure,) = item["enclosures"]
    assert enclosure["mime_type"] == "audio/mpeg"
    assert enclosure["file_size"] == len(mp3)

    # 4. ...and fetches the enclosure with Range requests.
    path = enclosure["url"].removeprefix("http://testserver")
    probe = client.get(path, headers={"Range": "bytes=0-1"})
    assert probe.status_code == 206
    assert probe["Content-Range"] == f"bytes 0-1/{len(mp3)}"
    assert b"".join(probe.streaming_content) == mp3[:2]
    tail = client.get(path, headers={"Range": "bytes=-500"})
    assert b"".join(tail.streaming_content) == mp3[-500:]

    # The episode page plays the same file.
    page = client.get(episode.url)
    assert f'<source src="{audio.url}" type="audio/mpeg">' in page.text
