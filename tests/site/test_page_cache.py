"""Readers get cached pages; an editor's publish shows at once; editors never see a cached page."""

from articles.models import ArticlePage


def test_second_anonymous_view_comes_from_the_cache(client, demo_site):
    first = client.get("/news/")
    second = client.get("/news/")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_a_change_empties_the_cache(client, demo_site):
    story = ArticlePage.objects.get(slug="royal-mail-international-exports-halted-by-ransomware")
    # A listing that shows this story on its first page (the news index's first page holds
    # only the newest stories).
    listing = story.sectors.get().get_absolute_url() + "stories/"
    client.get(story.url)
    assert client.get(story.url)["X-Page-Cache"] == "hit"
    client.get(listing)
    assert client.get(listing)["X-Page-Cache"] == "hit"

    story.title = "Royal Mail restores international exports"
    story.save_revision().publish()

    response = client.get(story.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Royal Mail restores international exports" in response.text
    assert "Royal Mail restores international exports" in client.get(listing).text


def test_logged_in_editors_always_get_a_fresh_page(client, demo_site, django_user_model):
    editor = django_user_model.objects.create_user("writer", password="correct horse battery")
    client.force_login(editor)
    client.get("/news/")
    response = client.get("/news/")
    assert "X-Page-Cache" not in response


def test_search_results_with_a_query_string_are_cached_per_query(client, demo_site):
    client.get("/search/?q=ransomware")
    assert client.get("/search/?q=ransomware")["X-Page-Cache"] == "hit"
    assert client.get("/search/?q=phishing")["X-Page-Cache"] == "miss"
