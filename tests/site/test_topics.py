"""A reader follows a sector or a risk type: its stories, episodes and incidents, each in a
paginated tab, with the topic's feed advertised."""

from datetime import timedelta

from bs4 import BeautifulSoup
from django.utils import timezone

from tests.articles.stories import publish_story
from tests.site.content import make_show, publish_episode, track_incident


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser")


def titles(html):
    return [a.get_text() for a in html.select(".listing .card__title a")]


def test_sector_page_lists_only_its_stories_newest_first(client, news_index, reporter):
    now = timezone.now()
    publish_story(
        news_index,
        "Hospital A",
        authors=[reporter],
        sectors=["healthcare"],
        published_at=now - timedelta(days=2),
    )
    publish_story(
        news_index,
        "Hospital B",
        authors=[reporter],
        sectors=["healthcare"],
        published_at=now - timedelta(days=1),
    )
    publish_story(news_index, "Bank C", authors=[reporter], sectors=["financial-services"])

    html = page(client, "/sectors/healthcare/")
    assert html.h1.get_text() == "Healthcare"
    assert titles(html) == ["Hospital B", "Hospital A"]
    current = html.select_one(".tabs a[aria-current=page]")
    assert current.get_text() == "Stories"


def test_risk_page_tabs_show_episodes_and_incidents(client, site_root, news_index, reporter):
    show = make_show(site_root)
    publish_episode(show, "Ransomware recovery", risk_types=["ransomware"])
    publish_episode(show, "Phishing drills", risk_types=["phishing"])
    track_incident("Hospital encrypted", risk_types=["ransomware"])
    track_incident("Laptop left on a train", risk_types=["physical-loss"])
    track_incident("Dismissed ransomware rumour", risk_types=["ransomware"], status="dismissed")

    html = page(client, "/risks/ransomware/")
    tabs = {a.get_text(): a["href"] for a in html.select(".tabs a")}
    assert tabs == {
        "Stories": "/risks/ransomware/stories/",
        "Podcasts": "/risks/ransomware/podcasts/",
        "Incidents": "/risks/ransomware/incidents/",
    }
    assert titles(page(client, tabs["Podcasts"])) == ["Ransomware recovery"]
    assert titles(page(client, tabs["Incidents"])) == ["Hospital encrypted"]


def test_topic_page_opens_on_its_first_tab_with_items(client, site_root, news_index, reporter):
    track_incident("Laptop left on a train", risk_types=["physical-loss"])
    html = page(client, "/risks/physical-loss/")
    assert titles(html) == ["Laptop left on a train"]
    current = html.select_one(".tabs a[aria-current=page]")
    assert current.get_text() == "Incidents"
    # Nothing at all: the stories tab, with its empty state.
    empty = page(client, "/risks/espionage/")
    assert empty.select_one(".tabs a[aria-current=page]").get_text() == "Stories"


def test_each_tab_is_paginated(client, news_index, reporter):
    start = timezone.now() - timedelta(days=30)
    for number in range(14):
        publish_story(
            news_index,
            f"Outage {number:02d}",
            authors=[reporter],
            risk_types=["outage"],
            published_at=start + timedelta(days=number),
        )
    for number in range(13):
        track_incident(
            f"Incident {number:02d}",
            risk_types=["outage"],
            published_at=start + timedelta(days=number),
        )

    first = page(client, "/risks/outage/")
    assert len(titles(first)) == 12 and titles(first)[0] == "Outage 13"
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    assert titles(page(client, "/risks/outage/?page=2")) == ["Outage 01", "Outage 00"]
    assert titles(page(client, "/risks/outage/incidents/?page=2")) == ["Incident 00"]
    # A page number that makes no sense shows the nearest real page, not an error.
    assert titles(page(client, "/risks/outage/?page=99")) == ["Outage 01", "Outage 00"]
    assert len(titles(page(client, "/risks/outage/?page=abc"))) == 12


def test_unknown_topic_or_tab_is_not_found(client, site_root):
    assert client.get("/sectors/no-such-sector/").status_code == 404
    assert client.get("/risks/no-such-risk/").status_code == 404
    assert client.get("/sectors/healthcare/nonsense/").status_code == 404
    response = client.get("/risks/nothing-here/incidents/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_topic_page_links_its_feed(client, site_root):
    html = page(client, "/sectors/education/")
    feeds = [
        link["href"] for link in html.find_all("link", rel="alternate", type="application/rss+xml")
    ]
    assert "/feeds/sectors/education/" in feeds
    assert client.get("/feeds/sectors/education/").status_code == 200
    canonical = html.find("link", rel="canonical")["href"]
    assert canonical == "http://testserver/sectors/education/"


def test_topic_indexes_list_every_term(client, site_root):
    sectors = page(client, "/sectors/")
    assert len(sectors.select(".topic-list li")) == 10
    risks = page(client, "/risks/")
    assert len(risks.select(".topic-list li")) == 13
    assert risks.select_one(".topic-list a")["href"].startswith("/risks/")


def test_editors_give_topic_pages_an_introduction_and_search_fields(client, site_root):
    from cirsite.site.models import TopicIndexPage

    sectors = TopicIndexPage.objects.get(kind="sector")
    sectors.introduction = "<p>Who was hit, industry by industry.</p>"
    sectors.seo_title = "Cyber incidents by industry"
    sectors.search_description = "Every sector we follow."
    sectors.save_revision().publish()

    html = page(client, "/sectors/")
    assert "Who was hit, industry by industry." in html.select_one(".intro").get_text()
    assert html.title.get_text().startswith("Cyber incidents by industry")
    assert html.find("meta", attrs={"name": "description"})["content"] == "Every sector we follow."


def test_topic_index_pages_keep_their_addresses(site_root):
    import pytest
    from django.core.exceptions import ValidationError

    from cirsite.site.models import TopicIndexPage

    risks = TopicIndexPage.objects.get(kind="risk")
    risks.slug = "threats"
    with pytest.raises(ValidationError, match="/risks/"):
        risks.full_clean()
