"""Values and cards remembered between requests (cirsite.base.process_memo) follow every
change at once in the process that made it: with the full-page cache off, so that only the
remembered parts could go stale, a renamed author, a renamed sector and a retitled story show
on the next render of the pages that list them."""

import pytest

from cirsite.base.models import Sector
from tests.articles.stories import publish_story


@pytest.fixture
def no_page_cache(settings):
    settings.CACHE_PAGE_SECONDS = 0


@pytest.fixture
def story(news_index, reporter):
    return publish_story(
        news_index,
        "Ferry operator's bookings halted by ransomware",
        slug="ferry-bookings-halted",
        authors=[reporter],
        sectors=["transport-logistics"],
        risk_types=["ransomware"],
    )


@pytest.mark.django_db
def test_a_renamed_author_shows_on_the_cards_that_name_them(client, no_page_cache, story, reporter):
    assert "Hannah Okafor" in client.get("/news/").text
    assert "Hannah Okafor" in client.get("/").text

    reporter.name = "Hannah Okafor-Reid"
    reporter.save()

    assert "Hannah Okafor-Reid" in client.get("/news/").text
    assert "Hannah Okafor-Reid" in client.get("/").text


@pytest.mark.django_db
def test_a_renamed_sector_shows_in_the_menus_and_on_the_cards(client, no_page_cache, story):
    client.get("/")
    client.get("/news/")
    sector = Sector.objects.get(slug="transport-logistics")
    sector.name = "Transport, shipping and logistics"
    sector.save()

    home = client.get("/").text
    assert home.count("Transport, shipping and logistics") >= 2  # the chip list and the card
    assert "Transport, shipping and logistics" in client.get("/news/").text
    assert "Transport, shipping and logistics" in client.get("/sectors/").text


@pytest.mark.django_db
def test_a_retitled_story_shows_in_every_listing(client, no_page_cache, story):
    for path in ("/", "/news/", "/sectors/transport-logistics/"):
        assert "Ferry operator" in client.get(path).text

    story.title = "Ferry operator restores bookings after ransomware"
    story.save_revision().publish()

    for path in ("/", "/news/", "/sectors/transport-logistics/"):
        assert "Ferry operator restores bookings" in client.get(path).text, path
