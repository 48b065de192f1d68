"""A reader searches the demo site as the outside testers did: by a risk type's name, an
author, an organisation, a phrase, a misspelling; they narrow by kind and sector with the
counts in view, sort by date, and see the words they typed marked in each result."""

import io
import re
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from articles.models import ArticlePage
from ingest.models import Incident
from podcasts.models import EpisodePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(site_root):
    call_command("load_demo", stdout=io.StringIO())


def results_page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def found(html):
    return [
        (li["class"][1].removeprefix("result--"), li.select_one(".result__title a").get_text())
        for li in html.select("li.result")
    ]


def counted(html, kind):
    link = html.select_one(f".search-kinds a[href*='kind={kind}']")
    return int(re.search(r"\((\d+)\)", link.get_text()).group(1))


def total(html):
    return int(html.select_one(".results__count").get_text().split()[0])


def test_searching_the_demo_finds_what_the_site_itself_labels(client, demo):
    # A risk type's name finds every story, episode and incident tagged with it.
    html = results_page(client, q="supply chain")
    tagged = {
        "story": ArticlePage.objects.live().filter(risk_types__slug="supply-chain").count(),
        "episode": EpisodePage.objects.live().filter(risk_types__slug="supply-chain").count(),
        "incident": Incident.objects.public().filter(risk_types__slug="supply-chain").count(),
    }
    assert tagged["story"] >= 5
    for kind, count in tagged.items():
        assert counted(html, kind) >= count
    stories = results_page(client, q="supply chain", kind="story", risk="supply-chain")
    assert total(stories) == tagged["story"]
    # In quotes, the phrase finds the same tagged stories.
    quoted = results_page(client, q='"supply chain"', kind="story", risk="supply-chain")
    assert total(quoted) == tagged["story"]

    # A sector's name, likewise.
    html = results_page(client, q="healthcare", kind="story", sector="healthcare")
    assert total(html) == ArticlePage.objects.live().filter(sectors__slug="healthcare").count()

    # An author's name finds their stories, and their page.
    html = results_page(client, q="Hannah Okafor", kind="story")
    by_hannah = ArticlePage.objects.live().filter(article_authors__author__slug="hannah-okafor")
    assert total(html) == by_hannah.count() > 0
    assert {title for _, title in found(html)} <= {story.title for story in by_hannah}
    assert html.select_one(".search-people a")["href"] == "/authors/hannah-okafor/"

    # An organisation the tagger found finds its incident, and the story that reports it.
    html = results_page(client, q="Adastra")
    assert ("incident", "NHS 111 software supplier Advanced hit by ransomware") in found(html)
    assert ("story", "NHS 111 service software hit by cyberattack") in found(html)

    # A misspelling is corrected and says so.
    html = results_page(client, q="ransomeware")
    assert "Showing results for ransomware" in html.select_one(".search-notice").get_text()
    assert total(html) == total(results_page(client, q="ransomware")) > 10
    assert all(mark.get_text().lower().startswith("ransomware") for mark in html("mark"))
    assert html.select("li.result mark")


def test_demo_results_sort_by_date_and_page_with_the_choices_kept(client, demo):
    html = results_page(client, q="data breach", sort="date")
    dates = [datetime.fromisoformat(time["datetime"]) for time in html.select(".result__kind time")]
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)
    following = html.select_one(".pagination a[rel=next]")["href"]
    assert "sort=date" in following and "q=data+breach" in following
    second = BeautifulSoup(client.get("/search/" + following).content, "html.parser")
    later = [datetime.fromisoformat(t["datetime"]) for t in second.select(".result__kind time")]
    assert later and max(later) <= min(dates)
