"""A reader searches for stories, episodes and incidents, narrowing by sector, risk type
and kind; results are paginated and kept out of search engines."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.articles.stories import publish_story
from tests.site.content import make_show, publish_episode, track_incident


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def hits(html):
    return [
        (li["class"][1].removeprefix("result--"), li.select_one(".result__title a").get_text())
        for li in html.select("li.result")
    ]


@pytest.fixture
def catalogue(site_root, news_index, reporter):
    show = make_show(site_root)
    publish_story(
        news_index,
        "Pathology supplier ransomware",
        authors=[reporter],
        sectors=["healthcare"],
        risk_types=["ransomware", "supply-chain"],
        standfirst="Blood tests delayed across London hospitals.",
    )
    publish_story(
        news_index,
        "Bank hit by ransomware",
        authors=[reporter],
        sectors=["financial-services"],
        risk_types=["ransomware"],
    )
    publish_story(
        news_index,
        "Phishing at a council",
        authors=[reporter],
        sectors=["public-sector"],
        risk_types=["phishing"],
    )
    publish_episode(
        show, "Ransomware and insurers", sectors=["financial-services"], risk_types=["ransomware"]
    )
    track_incident("Clinic ransomware incident", sectors=["healthcare"], risk_types=["ransomware"])
    track_incident("Dismissed ransomware rumour", sectors=["healthcare"], status="dismissed")


def test_search_finds_stories_episodes_and_incidents(client, catalogue):
    _, html = search(client, q="ransomware")
    found = hits(html)
    assert ("story", "Pathology supplier ransomware") in found
    assert ("story", "Bank hit by ransomware") in found
    assert ("episode", "Ransomware and insurers") in found
    assert ("incident", "Clinic ransomware incident") in found
    assert ("incident", "Dismissed ransomware rumour") not in found
    assert ("story", "Phishing at a council") not in found
    assert html.select_one(".results__count").get_text() == "4 results"


def test_search_matches_the_standfirst(client, catalogue):
    _, html = search(client, q="blood tests")
    assert hits(html) == [("story", "Pathology supplier ransomware")]


def test_filters_by_sector_risk_type_and_kind(client, catalogue):
    _, html = search(client, q="ransomware", sector="healthcare")
    assert sorted(hits(html)) == [
        ("incident", "Clinic ransomware incident"),
        ("story", "Pathology supplier ransomware"),
    ]
    _, html = search(client, q="ransomware", kind="episode")
    assert hits(html) == [("episode", "Ransomware and insurers")]
    _, html = search(client, q="ransomware", kind="story", sector="financial-services")
    assert hits(html) == [("story", "Bank hit by ransomware")]
    _, html = search(client, risk="phishing")
    assert hits(html) == [("story", "Phishing at a council")]
    # The form remembers the choices.
    _, html = search(client, q="ransomware", kind="incident", sector="healthcare")
    assert html.select_one("#search-kind option[selected]")["value"] == "incident"
    assert html.select_one("#search-sector option[selected]")["value"] == "healthcare"


def test_unknown_filter_values_are_ignored_not_errors(client, catalogue):
    _, html = search(client, q="ransomware", sector="nowhere", kind="spaceship", page="x")
    assert len(hits(html)) == 4


def test_results_are_paginated_and_keep_the_filters(client, news_index, reporter):
    start = timezone.now() - timedelta(days=20)
    for number in range(12):
        publish_story(
            news_index,
            f"Outage report {number:02d}",
            authors=[reporter],
            sectors=["energy-utilities"],
            published_at=start + timedelta(days=number),
        )
    _, first = search(client, q="outage", sector="energy-utilities")
    assert len(hits(first)) == 10
    assert first.select_one(".pagination a[rel=next]").get_text() == "Next page"
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert (
        "page=2" in next_link and "sector=energy-utilities" in next_link and "q=outage" in next_link
    )
    _, second = search(client, q="outage", sector="energy-utilities", page="2")
    assert len(hits(second)) == 2
    assert not {title for _, title in hits(first)} & {title for _, title in hits(second)}


def test_nothing_found_says_so(client, catalogue):
    _, html = search(client, q="zebra crossings")
    assert hits(html) == []
    assert "Nothing matches" in html.get_text()


def test_results_are_hidden_from_search_engines(client, catalogue):
    response, html = search(client, q="ransomware")
    assert response["X-Robots-Tag"] == "noindex"
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    empty, html = search(client)
    assert empty["X-Robots-Tag"] == "noindex"
    assert "Type a word" in html.get_text()
