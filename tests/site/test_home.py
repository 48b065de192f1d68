"""A reader lands on the front page: the lead story, the latest of everything, and ways in
by sector and by risk type."""

import json
from datetime import timedelta

from bs4 import BeautifulSoup
from django.utils import timezone

from tests.articles.stories import fixture_image, publish_story
from tests.site.content import make_show, publish_episode, track_incident


def front_page(client):
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_newest_story_leads_when_the_editor_chose_none(client, news_index, reporter):
    now = timezone.now()
    publish_story(
        news_index, "Older story", authors=[reporter], published_at=now - timedelta(days=2)
    )
    publish_story(
        news_index, "Newest story", authors=[reporter], published_at=now - timedelta(hours=1)
    )

    html = front_page(client)
    assert html.select_one(".lead__title").get_text(strip=True) == "Newest story"
    latest = [a.get_text() for a in html.select("#latest-heading ~ .card .card__title a")]
    assert latest == ["Older story"]


def test_editor_chosen_lead_story_tops_the_page(client, site_root, news_index, reporter):
    now = timezone.now()
    chosen = publish_story(
        news_index,
        "Chosen lead",
        authors=[reporter],
        published_at=now - timedelta(days=5),
        hero_image=fixture_image(alt_text="Racks"),
    )
    publish_story(news_index, "Newer story", authors=[reporter], published_at=now)
    site_root.lead_story = chosen
    site_root.save_revision().publish()

    html = front_page(client)
    assert html.select_one(".lead__title").get_text(strip=True) == "Chosen lead"
    assert html.select_one(".lead picture") is not None
    latest = [a.get_text() for a in html.select("#latest-heading ~ .card .card__title a")]
    assert latest == ["Newer story"]


def test_unpublished_lead_story_gives_way_to_the_newest(client, site_root, news_index, reporter):
    chosen = publish_story(news_index, "Withdrawn lead", authors=[reporter])
    site_root.lead_story = chosen
    site_root.save_revision().publish()
    chosen.unpublish()
    publish_story(news_index, "Still live", authors=[reporter])

    html = front_page(client)
    assert html.select_one(".lead__title").get_text(strip=True) == "Still live"
    assert "Withdrawn lead" not in html.get_text()


def test_latest_episodes_and_incidents_fill_themselves(client, site_root, news_index, reporter):
    show = make_show(site_root)
    now = timezone.now()
    publish_episode(show, "Cyber risk in transport", went_out=now - timedelta(days=3))
    publish_episode(show, "Insuring ransomware", went_out=now - timedelta(days=1))
    track_incident("Council website defaced", published_at=now - timedelta(hours=5))
    track_incident("Retailer card skimming", published_at=now - timedelta(hours=2))
    track_incident("Dismissed noise", status="dismissed")

    html = front_page(client)
    feeds = {link["title"]: link["href"] for link in html.find_all("link", rel="alternate")}
    assert feeds["The cirsite podcast"] == "http://testserver/podcasts/feed/"
    assert feeds["Tracked incidents"] == "/incidents/feed/"
    episodes = [a.get_text() for a in html.select("#episodes-heading ~ .card .card__title a")]
    assert episodes == ["Insuring ransomware", "Cyber risk in transport"]
    incidents = [a.get_text() for a in html.select("#incidents-heading ~ .card .card__title a")]
    assert incidents == ["Retailer card skimming", "Council website defaced"]


def test_front_page_offers_every_sector_and_risk_type(client, site_root):
    html = front_page(client)
    sectors = {a["href"] for a in html.select("nav[aria-labelledby=sectors-heading] a")}
    risks = {a["href"] for a in html.select("nav[aria-labelledby=risks-heading] a")}
    assert len(sectors) == 10 and "/sectors/healthcare/" in sectors
    assert len(risks) == 13 and "/risks/supply-chain/" in risks
    for href in ("/sectors/healthcare/", "/risks/supply-chain/"):
        assert client.get(href).status_code == 200


def test_front_page_describes_the_site_and_its_search_to_search_engines(client, site_root):
    html = front_page(client)
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["@type"] == "WebSite"
    assert data["url"] == "http://testserver/"
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    feed = html.find("link", rel="alternate", type="application/rss+xml")
    assert feed["href"] == "/feeds/stories/"
