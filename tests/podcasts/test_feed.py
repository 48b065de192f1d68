"""A subscriber's podcast app reads the feed: gPodder's parser (podcastparser) and feedparser
both get back every field the show and its episodes were published with."""

import io
import uuid
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import feedparser
import podcastparser
import pytest
from defusedxml import ElementTree

from podcasts.models import EpisodePage
from podcasts.rss import NAMESPACES

from .conftest import AUDIO, LONDON, library_audio

FEED_URL = "http://testserver/podcasts/feed/"


def fetch_feed(client, **headers):
    response = client.get("/podcasts/feed/", headers=headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/rss+xml")
    return response


def gpodder_view(body):
    return podcastparser.parse(FEED_URL, io.BytesIO(body))


def xml_tree(body):
    return ElementTree.fromstring(body)


def ns(name):
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


@pytest.fixture
def published(add_episode):
    first = add_episode(
        "Cyber risk in the transportation industry",
        went_out=datetime(2022, 4, 12, 7, 0, tzinfo=LONDON),
        episode_number=1,
        season_number=1,
        summary="Why transport operators are targets & what to rehearse.",
        show_notes='<p>Notes with a <a href="/news/">relative link</a>.</p>',
        transcript="Plain words of the episode.",
        captions="WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello.\n",
        guests=["Priya Raman"],
    )
    second = add_episode(
        "Bonus: the M4A edition",
        audio="spoken-test.m4a",
        went_out=datetime(2022, 5, 3, 7, 0, tzinfo=LONDON),
        episode_number=2,
        season_number=1,
        episode_type="bonus",
        explicit=True,
    )
    return first, second


def test_gpodder_reads_back_every_show_and_episode_field(client, show, published):
    first, second = published
    feed = gpodder_view(fetch_feed(client).content)

    assert feed["title"] == "The cirsite podcast"
    assert feed["link"] == "http://testserver/podcasts/"
    assert feed["description"] == "Conversations about cyber risk & continuity."
    assert feed["language"] == "en-gb"
    assert feed["cover_url"] == "http://testserver" + show.artwork.file.url
    assert feed["itunes_categories"] == [["Business", "Management"]]
    assert feed["explicit"] is False
    assert feed["itunes_author"] == "cirsite"
    assert feed["itunes_owner"] == {"name": "cirsite editors", "email": "podcast@cirsite.example"}
    assert feed["type"] == "episodic"
    assert feed["import_prohibited"] is True  # podcast:locked yes

    newest, older = feed["episodes"]
    assert newest["title"] == "Bonus: the M4A edition"
    assert older["title"] == "Cyber risk in the transportation industry"

    for parsed, episode in ((newest, second), (older, first)):
        audio = episode.audio
        assert parsed["guid"] == episode.guid
        assert parsed["link"] == f"http://testserver{episode.url}"
        assert parsed["enclosures"] == [
            {
                "url": f"http://testserver{audio.file.url}",
                "file_size": (AUDIO / audio.filename.split("/")[-1]).stat().st_size,
                "mime_type": audio.mime_type,
            }
        ]
        assert parsed["total_time"] == round(audio.duration) == 6
        assert parsed["published"] == int(episode.release_date.timestamp())

    assert newest["enclosures"][0]["mime_type"] == "audio/x-m4a"
    assert older["enclosures"][0]["mime_type"] == "audio/mpeg"
    assert (newest["number"], newest["season"], newest["type"]) == (2, 1, "bonus")
    assert (older["number"], older["season"], older["type"]) == (1, 1, "full")
    assert newest["explicit"] is True
    assert older["explicit"] is False
    assert older["description"] == "Why transport operators are targets & what to rehearse."
    # content:encoded carries the show notes with links made absolute for apps.
    assert 'href="http://testserver/news/"' in older["description_html"]
    assert older["transcript_url"].startswith("http://testserver/podcast-transcripts/")
    assert [(p["name"], p["role"]) for p in older["persons"]] == [
        ("Daniel Mercer", "host"),
        ("Priya Raman", "guest"),
    ]


def test_feedparser_reads_back_the_same_fields(client, show, published):
    first, second = published
    parsed = feedparser.parse(fetch_feed(client).content)

    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert channel.title == "The cirsite podcast"
    assert channel.link == "http://testserver/podcasts/"
    assert channel.subtitle == "Conversations about cyber risk & continuity."
    assert channel.language == "en-gb"
    assert channel.image.href == "http://testserver" + show.artwork.file.url
    assert [tag.term for tag in channel.tags] == ["Business", "Management"]
    # feedparser maps only the retired yes/clean words for itunes:explicit; the true/false
    # Apple now asks for are checked in the raw XML and through podcastparser.
    assert channel.author == "cirsite"
    assert channel.publisher_detail.name == "cirsite editors"
    assert channel.publisher_detail.email == "podcast@cirsite.example"
    assert channel.itunes_type == "episodic"
    self_links = [link.href for link in channel.links if link.rel == "self"]
    assert self_links == [FEED_URL]

    newest, older = parsed.entries
    for entry, episode in ((newest, second), (older, first)):
        assert entry.title == episode.title
        assert entry.id == episode.guid
        assert entry.guidislink is False
        enclosure = entry.enclosures[0]
        assert enclosure.href == f"http://testserver{episode.audio.file.url}"
        assert int(enclosure.length) == episode.audio.file_size
        assert enclosure.type == episode.audio.mime_type
        assert entry.itunes_duration == "00:00:06"
        assert parsedate_to_datetime(entry.published) == episode.release_date
        assert entry.itunes_episodetype == episode.episode_type
        assert entry.summary == episode.summary
    assert (older.itunes_episode, older.itunes_season) == ("1", "1")
    assert (newest.itunes_episode, newest.itunes_season) == ("2", "1")
    assert any("http://testserver/news/" in part.value for part in older.content)


def test_podcasting_namespace_fields_and_rfc2822_dates(client, show, published):
    first, _ = published
    body = fetch_feed(client).content
    root = xml_tree(body)
    channel = root.find("channel")

    expected_guid = uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "testserver/podcasts/feed"
    )
    assert channel.findtext(ns("podcast:guid")) == str(expected_guid)
    locked = channel.find(ns("podcast:locked"))
    assert (locked.text, locked.get("owner")) == ("yes", "podcast@cirsite.example")
    atom_self = channel.find(ns("atom:link"))
    assert (atom_self.get("rel"), atom_self.get("href")) == ("self", FEED_URL)
    assert channel.find(ns("itunes:image")).get("href").startswith("http://testserver/media/")

    assert channel.findtext(ns("itunes:explicit")) == "false"
    assert [i.findtext(ns("itunes:explicit")) for i in channel.findall("item")] == [
        "true",
        "false",
    ]
    item = next(i for i in channel.findall("item") if i.findtext("title") == first.title)
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.findtext("pubDate") == "Tue, 12 Apr 2022 06:00:00 GMT"
    transcripts = {t.get("type"): t for t in item.findall(ns("podcast:transcript"))}
    assert set(transcripts) == {"text/vtt", "text/plain"}
    assert transcripts["text/vtt"].get("rel") == "captions"
    captions = client.get(transcripts["text/vtt"].get("url").removeprefix("http://testserver"))
    assert captions.status_code == 200
    assert captions["Content-Type"].startswith("text/vtt")
    assert captions.content.startswith(b"WEBVTT")
    plain = client.get(transcripts["text/plain"].get("url").removeprefix("http://testserver"))
    assert plain.content == b"Plain words of the episode."
    # Every namespace the issue names is declared on the root element.
    for uri in NAMESPACES.values():
        assert f'="{uri}"'.encode() in body.split(b">", 2)[1]


def test_episode_without_audio_or_unpublished_never_reaches_the_feed(client, show, add_episode):
    add_episode("Has audio")
    add_episode("No audio yet", audio=None)
    add_episode("Still a draft", publish=False)

    titles = [e["title"] for e in gpodder_view(fetch_feed(client).content)["episodes"]]
    assert titles == ["Has audio"]
    # The episode page still exists; only the feed leaves it out.
    assert EpisodePage.objects.live().filter(title="No audio yet").exists()


def test_unchanged_feed_answers_304_and_a_publish_changes_it(client, show, add_episode):
    add_episode("First")
    first = fetch_feed(client)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified

    again = client.get("/podcasts/feed/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get("/podcasts/feed/", headers={"If-Modified-Since": last_modified})
    assert since.status_code == 304

    add_episode("Second", went_out=datetime(2022, 6, 1, tzinfo=UTC))
    changed = client.get("/podcasts/feed/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Second" in changed.content


def test_episode_guid_survives_new_title_slug_file_and_revert(client, show, add_episode):
    episode = add_episode("Original title")
    guid = episode.guid
    assert guid.startswith("urn:uuid:")
    first_revision = episode.latest_revision

    episode.title = "Corrected title"
    episode.slug = "corrected-title"
    episode.audio = library_audio("spoken-test.m4a", "Re-edited audio")
    episode.save_revision().publish()
    episode.refresh_from_db()
    assert episode.guid == guid

    # Publishing an old revision (a revert) keeps the identity too.
    first_revision.publish()
    episode.refresh_from_db()
    assert episode.title == "Original title"
    assert episode.guid == guid

    parsed = gpodder_view(fetch_feed(client).content)
    assert [e["guid"] for e in parsed["episodes"]] == [guid]

    # A copy is a new episode, not the same one twice.
    copy = episode.copy(update_attrs={"slug": "copied", "title": "Copied"})
    copy.save_revision().publish()
    copy.refresh_from_db()
    assert copy.guid and copy.guid != guid


def test_show_guid_is_fixed_at_first_publish(show):
    guid = show.podcast_guid
    assert guid is not None
    show.slug = "the-show"
    show.save_revision().publish()
    show.refresh_from_db()
    assert show.feed_url == "http://testserver/the-show/feed/"
    assert show.podcast_guid == guid


def test_host_photo_travels_with_podcast_person(client, show, add_episode):
    from articles.models import Author

    from .conftest import library_image

    host = Author.objects.get(slug="daniel-mercer")
    host.photo = library_image("artwork-1400-rgb.png", "Daniel")
    host.save()
    add_episode("With a host photo")
    root = xml_tree(fetch_feed(client).content)
    person = root.find("channel").find(ns("podcast:person"))
    assert person.text == "Daniel Mercer"
    assert person.get("img").startswith("http://testserver/media/images/")
    assert client.get(person.get("img").removeprefix("http://testserver")).status_code == 200


def test_only_a_live_show_owns_its_feed_address(client, show, add_episode):
    from articles.models import ArticleIndexPage, ArticlePage

    add_episode("Has audio")
    news = ArticleIndexPage(title="News", slug="news")
    show.get_parent().add_child(instance=news)
    story = ArticlePage(title="Feed", slug="feed", standfirst="A story called Feed.", body=[])
    news.add_child(instance=story)
    story.save_revision().publish()

    # A page elsewhere that happens to be called "feed" is still the page.
    page = client.get("/news/feed/")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "A story called Feed." in page.text

    assert client.post("/podcasts/feed/").status_code == 405
    assert client.head("/podcasts/feed/").status_code == 200
    show.unpublish()
    assert client.get("/podcasts/feed/").status_code == 404


def test_show_notes_images_and_srcset_come_out_absolute(client, show, add_episode):
    from .conftest import library_image

    image = library_image("artwork-1400-rgb.jpg", "Notes picture")
    small, large = (image.get_rendition(spec).url for spec in ("width-400", "width-800"))
    assert small.startswith("/") and large.startswith("/")
    add_episode(
        "With a picture",
        show_notes=(
            f'<p>See <a href="/news/">the news</a>.</p><p><img src="{small}" '
            f'srcset="{small} 400w, {large} 800w" sizes="100vw" alt="A chart"></p>'
        ),
    )
    (item,) = xml_tree(fetch_feed(client).content).find("channel").findall("item")
    notes = item.findtext(ns("content:encoded"))
    assert 'href="http://testserver/news/"' in notes
    assert f'src="http://testserver{small}"' in notes
    assert f'srcset="http://testserver{small} 400w, http://testserver{large} 800w"' in notes
    # Every address an app is given resolves.
    for url in (f"http://testserver{small}", f"http://testserver{large}"):
        assert client.get(url.removeprefix("http://testserver")).status_code == 200
