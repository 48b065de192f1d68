"""A reader finds the show, follows it, and plays an episode in the page; an editor's artwork
and captions are checked before they reach apps."""

import json
import re
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from articles.models import ArticleIndexPage, ArticlePage
from podcasts.models import EpisodePage, EpisodeRelatedStory

from .conftest import LONDON, library_image

FEED_LINK = '<link rel="alternate" type="application/rss+xml" title="Podcast: The cirsite podcast" href="http://testserver/podcasts/feed/">'


def test_show_page_lists_episodes_newest_first_with_follow_links(client, show, add_episode):
    start = datetime(2022, 1, 3, 7, 0, tzinfo=LONDON)
    for week in range(14):
        add_episode(f"Week {week}", audio=None, went_out=start + timedelta(weeks=week))

    response = client.get("/podcasts/")
    assert response.status_code == 200
    html = response.text
    assert FEED_LINK in html
    soup = BeautifulSoup(html, "html.parser")
    follow = {a.text: a["href"] for a in soup.select(".follow-links a")}
    assert follow == {
        "Apple Podcasts": "https://podcasts.apple.com/gb/podcast/example/id123",
        "Spotify": "https://open.spotify.com/show/example",
        "RSS feed": "http://testserver/podcasts/feed/",
    }
    titles = [h.text.strip() for h in soup.select(".card--episode .card__title")]
    assert titles == [f"Week {week}" for week in range(13, 1, -1)]

    second = BeautifulSoup(client.get("/podcasts/?page=2").text, "html.parser")
    assert [h.text.strip() for h in second.select(".card--episode .card__title")] == [
        "Week 1",
        "Week 0",
    ]
    assert client.get("/podcasts/?page=nonsense").status_code == 200

    series = json.loads(soup.find("script", type="application/ld+json").string)
    assert series["@type"] == "PodcastSeries"
    assert series["webFeed"] == "http://testserver/podcasts/feed/"
    assert series["author"] == [{"@type": "Person", "name": "Daniel Mercer"}]


def test_structured_data_cannot_break_out_of_its_script(client, show, add_episode):
    episode = add_episode("Ends early </script><script>alert(1)</script> & more")
    html = client.get(episode.url).text
    assert "<script>alert(1)" not in html
    soup = BeautifulSoup(html, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["name"] == episode.title


def test_episode_page_plays_offers_download_and_shows_transcript(client, show, add_episode):
    news = ArticleIndexPage(title="News", slug="news")
    show.get_parent().add_child(instance=news)
    story = ArticlePage(title="Royal Mail exports halted", standfirst="Ransomware.", body=[])
    news.add_child(instance=story)
    story.save_revision().publish()

    episode = add_episode(
        "Cyber risk in the transportation industry",
        transcript="First paragraph of the talk.\n\nSecond paragraph.",
        captions="1\n00:00:00,000 --> 00:00:02,000\nHello.\n",
        guests=["Priya Raman"],
        episode_number=1,
    )
    EpisodeRelatedStory.objects.create(page=episode, story=story)
    episode.save_revision().publish()

    response = client.get(episode.url)
    assert response.status_code == 200
    html = response.text
    assert FEED_LINK in html
    soup = BeautifulSoup(html, "html.parser")
    player = soup.find("audio")
    assert player.has_attr("controls")
    assert player["preload"] == "none"
    assert player.find("source")["src"] == episode.audio.url
    download = soup.find("a", attrs={"download": True})
    assert download["href"] == episode.audio.url
    assert "MP3" in download.text
    transcript = soup.select_one(".episode__transcript")
    assert "First paragraph of the talk." in transcript.text
    assert "Second paragraph." in transcript.text
    assert "Priya Raman" in html
    assert "Royal Mail exports halted" in html
    assert "Episode 1" in soup.select_one(".story__header .kicker").text

    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "PodcastEpisode"
    assert data["name"] == episode.title
    assert data["url"] == f"http://testserver{episode.url}"
    assert data["episodeNumber"] == 1
    assert data["associatedMedia"]["contentUrl"] == f"http://testserver{episode.audio.url}"
    assert data["associatedMedia"]["encodingFormat"] == "audio/mpeg"
    assert data["partOfSeries"]["webFeed"] == "http://testserver/podcasts/feed/"

    srt = client.get(f"/podcast-transcripts/{episode.pk}.srt")
    assert srt["Content-Type"].startswith("application/x-subrip")
    assert client.get(f"/podcast-transcripts/{episode.pk}.vtt").status_code == 404


def test_episode_without_audio_says_so(client, show, add_episode):
    episode = add_episode("Coming soon", audio=None)
    html = client.get(episode.url).text
    assert "<audio" not in html
    assert "not available yet" in html


def test_transcripts_of_unpublished_episodes_stay_private(client, show, add_episode):
    draft = add_episode("Draft", publish=False, transcript="Secret draft words.")
    assert client.get(f"/podcast-transcripts/{draft.pk}.txt").status_code == 404


def test_home_page_contract_lists_live_public_episodes_newest_first(show, add_episode):
    add_episode("Older", went_out=datetime(2022, 1, 1, tzinfo=LONDON))
    add_episode("Newer", went_out=datetime(2022, 6, 1, tzinfo=LONDON))
    add_episode("Unpublished", publish=False)
    assert [e.title for e in EpisodePage.objects.listing()] == ["Newer", "Older"]


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("artwork-600-too-small.jpg", "between 1400×1400 and 3000×3000 pixels"),
        ("artwork-1600x1400-not-square.jpg", "must be square; this image is 1600×1400"),
        ("artwork-1400-cmyk.jpg", "CMYK"),
        ("artwork-1400-rgba.png", "RGB with a transparency channel"),
    ],
)
def test_unsuitable_artwork_is_refused_with_the_reason(show, filename, message):
    show.artwork = library_image(filename)
    with pytest.raises(ValidationError) as refused:
        show.full_clean()
    assert message in " ".join(refused.value.message_dict["artwork"])


def test_suitable_artwork_in_png_is_accepted(client, show, add_episode):
    png = library_image("artwork-1400-rgb.png")
    show.artwork = png
    show.full_clean()
    show.save_revision().publish()
    add_episode("With the new artwork")

    # Published, the PNG is the artwork the page and the apps are given.
    soup = BeautifulSoup(client.get("/podcasts/").text, "html.parser")
    series = json.loads(soup.find("script", type="application/ld+json").string)
    assert series["image"] == f"http://testserver{png.file.url}"
    assert series["image"].endswith(".png")
    feed = client.get("/podcasts/feed/").content.decode()
    assert f'href="http://testserver{png.file.url}"' in feed


def test_gif_artwork_is_refused(show):
    show.artwork = library_image("artwork-1400.gif")
    with pytest.raises(ValidationError) as refused:
        show.full_clean()
    assert "must be a JPEG or PNG file; this one is GIF" in refused.value.message_dict["artwork"][0]


def test_subcategory_must_belong_to_the_category(show):
    show.category, show.subcategory = "Technology", "Management"
    with pytest.raises(ValidationError) as refused:
        show.full_clean()
    assert "not a subcategory of “Technology”" in refused.value.message_dict["subcategory"][0]


def test_captions_must_be_webvtt_or_srt(show, add_episode):
    episode = add_episode("Captioned")
    episode.captions = "Just some words without timings."
    with pytest.raises(ValidationError) as refused:
        episode.full_clean()
    assert "WebVTT" in refused.value.message_dict["captions"][0]
    episode.captions = "WEBVTT\n\n00:00.000 --> 00:02.000\nHi.\n"
    episode.full_clean()
    assert re.match(r"^WEBVTT", episode.captions)
