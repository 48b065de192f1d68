"""A reader follows a byline to the author's page: bio, photo, role, links, stories (paged),
episodes, a feed of their own; search engines find the page in the sitemap and the story's
NewsArticle points at it."""

import json
import re

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.articles.stories import fixture_image, make_author, publish_story

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_byline_leads_to_the_author_page_with_bio_photo_role_and_links(
    client, news_index, author_index
):
    author = make_author(
        "Ruth Quinn",
        role="Security editor",
        bio="<p>Ruth covers the insurance market.</p>",
        photo=fixture_image(alt_text="Ruth Quinn"),
    )
    author.linkedin_url = "https://www.linkedin.com/in/ruth-quinn-example"
    author.save()
    story = publish_story(news_index, "Broker hit by phishing", authors=[author])

    story_page = soup_of(client.get(story.url))
    byline = story_page.select_one(".story__byline a")
    assert byline.get_text() == "Ruth Quinn"
    assert byline["href"] == "/authors/ruth-quinn/"

    page = soup_of(client.get(byline["href"]))
    assert page.h1.get_text() == "Ruth Quinn"
    assert page.select_one(".profile__role").get_text() == "Security editor"
    assert "Ruth covers the insurance market." in page.select_one(".profile").get_text()
    assert page.select_one(".profile__photo")["src"].startswith("/media/")
    links = {a.get_text(): a["href"] for a in page.select(".profile__links a")}
    assert links["LinkedIn"] == "https://www.linkedin.com/in/ruth-quinn-example"
    assert page.find("link", rel="alternate", href="/feeds/authors/ruth-quinn/")
    assert [a.get_text() for a in page.select(".card__title a")] == ["Broker hit by phishing"]
    person = json.loads(page.find("script", type="application/ld+json").string)
    assert person["@type"] == "Person"
    assert person["url"] == "http://testserver/authors/ruth-quinn/"


def test_story_json_ld_author_carries_the_author_page_url(client, news_index, author_index):
    author = make_author("Ruth Quinn")
    story = publish_story(news_index, "Broker hit by phishing", authors=[author])
    page = soup_of(client.get(story.url))
    article = next(
        data
        for data in (
            json.loads(s.string) for s in page.find_all("script", type="application/ld+json")
        )
        if data.get("@type") == "NewsArticle"
    )
    assert article["author"][0]["url"].endswith("/authors/ruth-quinn/")


def test_author_page_pages_through_their_stories_only(client, news_index, author_index):
    author, other = make_author("Ruth Quinn"), make_author("Sam Other")
    for number in range(14):
        publish_story(news_index, f"Ruth story {number:02d}", authors=[author])
    publish_story(news_index, "Another writer story", authors=[other])

    first = soup_of(client.get("/authors/ruth-quinn/"))
    second = soup_of(client.get("/authors/ruth-quinn/?page=2"))
    titles = [a.get_text() for a in first.select(".card__title a")] + [
        a.get_text() for a in second.select(".card__title a")
    ]
    assert len(titles) == 14 and len(set(titles)) == 14
    assert "Another writer story" not in titles
    assert second.find("meta", attrs={"name": "robots", "content": "noindex"})
    assert client.get("/authors/nobody-here/").status_code == 404


def test_author_feed_lists_their_stories(client, news_index, author_index):
    author, other = make_author("Ruth Quinn"), make_author("Sam Other")
    publish_story(news_index, "Ruth story", authors=[author])
    publish_story(news_index, "Sam story", authors=[other])
    response = client.get("/feeds/authors/ruth-quinn/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert [entry.title for entry in feed.entries] == ["Ruth story"]
    assert feed.feed.link == "http://testserver/authors/ruth-quinn/"
    assert client.get("/feeds/authors/nobody-here/").status_code == 404


def test_author_pages_are_in_the_sitemap(client, author_index):
    make_author("Ruth Quinn")
    make_author("Sam Other")
    sitemap = client.get("/sitemap.xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap.content.decode())
    assert any(loc.endswith("/authors/") for loc in locations)
    assert any(loc.endswith("/authors/ruth-quinn/") for loc in locations)
    assert any(loc.endswith("/authors/sam-other/") for loc in locations)


def test_without_an_author_index_bylines_are_plain_text(client, news_index):
    author = make_author("Ruth Quinn")
    story = publish_story(news_index, "Broker hit by phishing", authors=[author])
    page = soup_of(client.get(story.url))
    assert page.select_one(".story__byline").get_text(" ", strip=True) == "By Ruth Quinn"
    assert page.select_one(".story__byline a") is None
