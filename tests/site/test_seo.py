"""What search engines and social networks see: titles, descriptions, canonical URLs, cards,
sitemaps, robots.txt, the "hide from search engines" switch and editor-managed redirects."""

from datetime import timedelta
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.articles.stories import fixture_image, publish_story

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_xml(content):
    # Our own server's sitemap, not outside input.
    return ElementTree.fromstring(content)  # noqa: S314


def meta(html, **attrs):
    tag = html.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def test_story_head_has_title_description_canonical_and_cards(client, news_index, reporter):
    story = publish_story(
        news_index,
        "Retailer loses card data",
        authors=[reporter],
        standfirst="Skimming code sat on the checkout page for weeks.",
        seo_title="Retailer card-skimming breach",
        hero_image=fixture_image(alt_text="A checkout page"),
    )
    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    absolute = "http://testserver/news/retailer-loses-card-data/"

    assert html.title.get_text() == "Retailer card-skimming breach | cirsite"
    assert meta(html, name="description") == "Skimming code sat on the checkout page for weeks."
    assert html.find("link", rel="canonical")["href"] == absolute
    assert meta(html, property="og:type") == "article"
    assert meta(html, property="og:title") == "Retailer card-skimming breach"
    assert meta(html, property="og:url") == absolute
    assert meta(html, property="og:description") == story.standfirst
    assert meta(html, property="og:image").startswith("http://testserver/media/")
    assert meta(html, property="og:image:width") == "1200"
    assert meta(html, property="og:image:alt") == "A checkout page"
    assert meta(html, name="twitter:card") == "summary_large_image"
    assert meta(html, name="twitter:image") == meta(html, property="og:image")
    assert meta(html, property="article:published_time").startswith(
        str(story.first_published_at.year)
    )
    assert meta(html, name="robots") is None


def test_social_fields_override_the_defaults(client, news_index, reporter):
    social = fixture_image("author-portrait.jpg", "Card", alt_text="Share card")
    story = publish_story(
        news_index,
        "Plain story",
        authors=[reporter],
        search_description="Written for search results.",
        social_text="Written for social networks.",
        social_image=social,
    )
    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    assert meta(html, name="description") == "Written for search results."
    assert meta(html, property="og:description") == "Written for social networks."
    assert meta(html, property="og:image:alt") == "Share card"


def test_hidden_page_emits_noindex_and_leaves_the_sitemap(client, news_index, reporter):
    hidden = publish_story(news_index, "Hidden story", authors=[reporter], noindex=True)
    shown = publish_story(news_index, "Shown story", authors=[reporter])

    response = client.get(hidden.url)
    html = BeautifulSoup(response.content, "html.parser")
    assert meta(html, name="robots") == "noindex"
    assert response["X-Robots-Tag"] == "noindex"
    assert "X-Robots-Tag" not in client.get(shown.url)

    sitemap = client.get("/sitemap.xml")
    locs = [loc.text for loc in parse_xml(sitemap.content).iter(f"{SITEMAP}loc")]
    assert "http://testserver/news/shown-story/" in locs
    assert "http://testserver/news/hidden-story/" not in locs
    assert "http://testserver/" in locs and "http://testserver/news/" in locs
    assert "http://testserver/sectors/healthcare/" in locs
    assert "http://testserver/risks/supply-chain/" in locs


def test_news_sitemap_holds_the_last_two_days(client, news_index, reporter):
    now = timezone.now()
    publish_story(
        news_index, "Fresh story", authors=[reporter], published_at=now - timedelta(hours=3)
    )
    publish_story(
        news_index, "Yesterday story", authors=[reporter], published_at=now - timedelta(hours=40)
    )
    publish_story(news_index, "Old story", authors=[reporter], published_at=now - timedelta(days=3))
    publish_story(news_index, "Fresh but hidden", authors=[reporter], noindex=True)

    response = client.get("/news-sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response.content)
    entries = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{NEWS}news")
        for url in root.iter(f"{SITEMAP}url")
    }
    assert set(entries) == {
        "http://testserver/news/fresh-story/",
        "http://testserver/news/yesterday-story/",
    }
    news = entries["http://testserver/news/fresh-story/"]
    assert news.find(f"{NEWS}title").text == "Fresh story"
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "cirsite"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "en"
    assert news.find(f"{NEWS}publication_date").text.startswith(str(now.year))


def test_robots_txt_points_at_both_sitemaps(client, site_root):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_editor_managed_redirect_sends_readers_to_the_story(client, news_index, reporter):
    story = publish_story(news_index, "Renamed story", authors=[reporter])
    Redirect.objects.create(old_path="/2023/old-story-address", redirect_page=story)
    Redirect.objects.create(
        old_path="/old-press-page", redirect_link="https://example.org/press", is_permanent=False
    )

    response = client.get("/2023/old-story-address")
    assert response.status_code == 301
    assert response["Location"].endswith("/news/renamed-story/")
    temporary = client.get("/old-press-page")
    assert temporary.status_code == 302 and temporary["Location"] == "https://example.org/press"


def test_listing_pages_have_canonical_and_description(client, news_index):
    html = BeautifulSoup(client.get("/news/").content, "html.parser")
    assert html.find("link", rel="canonical")["href"] == "http://testserver/news/"
    assert html.title.get_text() == "News | cirsite"
    assert meta(html, name="description") == "All our stories."
    assert meta(html, property="og:description") == "All our stories."
