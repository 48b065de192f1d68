"""A subscriber follows the stories in a feed reader: every feed parses cleanly, items keep
their identity, and an unchanged feed costs a 304."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from cirsite.base.models import RiskType, Sector
from tests.articles.stories import fixture_image, paragraph, publish_story


@pytest.fixture
def stories(news_index, reporter, second_reporter):
    now = timezone.now()
    older = publish_story(
        news_index,
        "Pathology provider hit",
        authors=[reporter],
        sectors=["healthcare"],
        risk_types=["ransomware", "outage"],
        tags=["Synnovis"],
        published_at=now - timedelta(days=3),
        body=[
            paragraph('Blood tests slowed. <a href="/news/">More news</a>'),
            {
                "type": "image",
                "value": {
                    "image": fixture_image(alt_text="Lab").pk,
                    "alt_text": "",
                    "caption": "A laboratory",
                },
            },
        ],
    )
    newer = publish_story(
        news_index,
        "Payroll provider breach",
        authors=[reporter, second_reporter],
        sectors=["professional-services"],
        risk_types=["data-breach", "supply-chain"],
        published_at=now - timedelta(days=1),
    )
    return older, newer


def all_feed_paths():
    return (
        ["/feeds/stories/"]
        + [f"/feeds/sectors/{slug}/" for slug in Sector.objects.values_list("slug", flat=True)]
        + [f"/feeds/risks/{slug}/" for slug in RiskType.objects.values_list("slug", flat=True)]
    )


def test_every_feed_parses_without_errors(client, stories):
    paths = all_feed_paths()
    assert len(paths) == 1 + 10 + 13
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20"


def test_all_stories_feed_items_carry_everything(client, stories):
    older, newer = stories
    parsed = feedparser.parse(client.get("/feeds/stories/").content)

    assert [entry.title for entry in parsed.entries] == [newer.title, older.title]
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == ["http://testserver/feeds/stories/"]
    entry = parsed.entries[1]
    assert entry.link == "http://testserver/news/pathology-provider-hit/"
    assert entry.id == f"urn:uuid:{older.translation_key}"
    assert entry.guidislink is False
    assert entry.published_parsed[:3] == older.first_published_at.utctimetuple()[:3]
    assert entry.author == "Hannah Okafor"
    assert {tag.term for tag in entry.tags} == {"Healthcare", "Ransomware", "Outage", "Synnovis"}
    assert entry.summary == older.standfirst
    content = entry.content[0].value
    assert "Blood tests slowed." in content
    assert 'href="http://testserver/news/"' in content
    assert 'src="http://testserver/media/' in content
    assert 'srcset="/' not in content and 'src="/' not in content
    assert parsed.entries[0].author == "Hannah Okafor, Daniel Mercer"


def test_guid_survives_retitling_and_moving(client, stories):
    older, _ = stories
    before = feedparser.parse(client.get("/feeds/stories/").content).entries[1].id
    older.title = "Pathology provider attack: update"
    older.slug = "pathology-provider-attack-update"
    older.save_revision().publish()

    entries = feedparser.parse(client.get("/feeds/stories/").content).entries
    moved = next(e for e in entries if e.title == "Pathology provider attack: update")
    assert moved.id == before
    assert moved.link.endswith("/news/pathology-provider-attack-update/")


def test_sector_and_risk_feeds_hold_only_their_stories(client, stories):
    older, newer = stories
    healthcare = feedparser.parse(client.get("/feeds/sectors/healthcare/").content)
    assert [e.title for e in healthcare.entries] == [older.title]
    assert healthcare.feed.link == "http://testserver/sectors/healthcare/"
    supply = feedparser.parse(client.get("/feeds/risks/supply-chain/").content)
    assert [e.title for e in supply.entries] == [newer.title]
    assert client.get("/feeds/sectors/no-such-sector/").status_code == 404
    assert client.get("/feeds/risks/no-such-risk/").status_code == 404


def test_conditional_get_answers_304_until_a_story_is_published(
    client, news_index, stories, reporter
):
    first = client.get("/feeds/stories/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified

    assert client.get("/feeds/stories/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feeds/stories/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    publish_story(news_index, "Fresh story", authors=[reporter])
    again = client.get("/feeds/stories/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert "Fresh story" in again.content.decode()


def test_unpublishing_changes_the_feed(client, stories):
    older, _ = stories
    etag = client.get("/feeds/stories/")["ETag"]
    older.unpublish()

    response = client.get("/feeds/stories/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert older.title not in response.content.decode()


def test_a_renamed_author_changes_the_feed_for_an_app_that_polls_with_its_etag(
    client, stories, reporter
):
    etag = client.get("/feeds/stories/")["ETag"]
    assert client.get("/feeds/stories/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    reporter.name = "Hannah Okafor-Reid"
    reporter.save()

    response = client.get("/feeds/stories/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Hannah Okafor-Reid" in response.content.decode()
