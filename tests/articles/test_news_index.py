"""A reader browses the news section: every live story, newest first, twelve to a page."""

from datetime import timedelta

from bs4 import BeautifulSoup
from django.utils import timezone

from tests.articles.stories import publish_story


def titles(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    return [a.get_text() for a in html.select(".listing .card__title a")], html


def test_news_section_lists_live_stories_newest_first_in_pages(client, news_index, reporter):
    start = timezone.now() - timedelta(days=30)
    for number in range(14):
        publish_story(
            news_index,
            f"Story {number:02d}",
            authors=[reporter],
            published_at=start + timedelta(days=number),
        )
    publish_story(news_index, "Unpublished draft", authors=[reporter], publish=False)

    first, html = titles(client, "/news/")
    assert first == [f"Story {number:02d}" for number in range(13, 1, -1)]
    assert html.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    assert html.select_one(".pagination [aria-current=page]").get_text() == "Page 1 of 2"

    second, html = titles(client, "/news/?page=2")
    assert second == ["Story 01", "Story 00"]
    assert html.select_one(".pagination a[rel=prev]")["href"] == "?page=1"
    assert "Unpublished draft" not in first + second


def test_bad_page_numbers_show_a_real_page(client, news_index, reporter):
    publish_story(news_index, "Only story", authors=[reporter])
    assert titles(client, "/news/?page=0")[0] == ["Only story"]
    assert titles(client, "/news/?page=999")[0] == ["Only story"]
    assert titles(client, "/news/?page=two")[0] == ["Only story"]


def test_cards_show_date_byline_and_topics(client, news_index, reporter, second_reporter):
    story = publish_story(
        news_index,
        "Card story",
        authors=[reporter, second_reporter],
        sectors=["energy-utilities"],
        risk_types=["ddos"],
    )
    _, html = titles(client, "/news/")
    card = html.select_one(".listing .card")
    meta = card.select_one(".card__meta").get_text(" ", strip=True)
    assert "By Hannah Okafor, Daniel Mercer" in meta
    assert (
        card.time["datetime"]
        == story.first_published_at.astimezone(timezone.get_current_timezone()).isoformat()
    )
    assert [a["href"] for a in card.select("a.tag")] == [
        "/sectors/energy-utilities/",
        "/risks/ddos/",
    ]
    assert html.find("a", string="Subscribe to all stories (RSS)")["href"] == "/feeds/stories/"
