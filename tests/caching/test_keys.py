"""A stored page's key holds only the query parameters the page reads: tracking and unknown
parameters neither create entries nor reach the page."""

import pytest

from tests.articles.stories import publish_story, seed_stories


@pytest.fixture
def story(news_index, reporter):
    return publish_story(news_index, "Carrier outage strands parcels", authors=[reporter])


@pytest.mark.parametrize(
    "query",
    [
        "utm_source=newsletter",
        "utm_source=x&utm_medium=email&utm_campaign=spring",
        "fbclid=IwAR0abc",
        "gclid=Cj0KCQ",
    ],
)
def test_a_shared_story_link_with_tracking_parameters_is_a_hit(client, story, query):
    first = client.get(story.url)
    assert first["X-Page-Cache"] == "miss"

    response = client.get(f"{story.url}?{query}")

    assert response["X-Page-Cache"] == "hit"
    assert response.content == first.content


def test_tracking_parameters_never_reach_the_page(client, story):
    response = client.get(f"{story.url}?utm_source=tracked-campaign-name")
    assert "tracked-campaign-name" not in response.text


def test_a_parameter_the_page_does_not_read_shares_the_stored_copy(client, story):
    client.get(story.url)
    first_unknown = client.get(f"{story.url}?ref=homepage-widget")
    later_unknown = client.get(f"{story.url}?session=abc123")

    assert first_unknown["X-Page-Cache"] == "hit"
    assert later_unknown["X-Page-Cache"] == "hit"
    assert "homepage-widget" not in first_unknown.text


def test_an_unknown_parameter_on_a_first_visit_is_not_stored_in_the_page(client, story):
    echoed = client.get(f"{story.url}?x=probe-value-123")
    assert echoed.status_code == 200
    clean = client.get(story.url)
    assert "probe-value-123" not in clean.text
    assert client.get(f"{story.url}?x=other-value")["X-Page-Cache"] == "hit"


def test_a_listing_key_varies_by_its_page_number_only(client, news_index, reporter):
    seed_stories(news_index, 25, [reporter])
    client.get("/news/")
    assert client.get("/news/?page=2")["X-Page-Cache"] == "miss"
    second = client.get("/news/?page=2&utm_campaign=a&campaign_ref=b")
    assert second["X-Page-Cache"] == "hit"
    assert client.get("/news/?utm_source=x")["X-Page-Cache"] == "hit"
    assert client.get("/news/?page=3")["X-Page-Cache"] == "miss"


def test_search_results_are_stored_per_query_and_filter(client, story):
    client.get("/search/?q=carrier")
    assert client.get("/search/?q=carrier&utm_source=x")["X-Page-Cache"] == "hit"
    assert client.get("/search/?q=parcels")["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=carrier&sector=healthcare")["X-Page-Cache"] == "miss"


def test_a_forwarded_host_header_does_not_change_what_is_stored(client, story):
    client.get(story.url)
    forwarded = client.get(story.url, HTTP_X_FORWARDED_HOST="evil.example")
    assert forwarded["X-Page-Cache"] == "hit"
    assert "evil.example" not in forwarded.text


def test_a_gzip_reader_gets_the_stored_page_compressed(client, story):
    import gzip

    plain = client.get(story.url)
    compressed = client.get(story.url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content


def test_a_feed_reader_revalidating_a_stored_feed_gets_not_modified(client, story):
    first = client.get("/feeds/stories/")
    client.get("/feeds/stories/")
    again = client.get("/feeds/stories/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
