"""The layout every reader gets: one base template, landmarks, a skip link, visible focus,
feeds advertised, and the site's own not-found and server-error pages."""

import re
from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings
from django.test import RequestFactory
from django.urls import get_resolver

from tests.articles.stories import publish_story

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_every_page_has_landmarks_skip_link_and_feeds(client, news_index, reporter):
    story = publish_story(news_index, "Layout story", authors=[reporter], sectors=["education"])
    for path in ("/", "/news/", story.url, "/sectors/education/", "/risks/", "/search/?q=x"):
        html = soup(client.get(path))
        assert html.html["lang"] == "en-GB", path
        assert html.find("meta", attrs={"name": "viewport"})["content"].startswith(
            "width=device-width"
        )
        skip = html.body.find("a")
        assert skip["class"] == ["skip-link"] and skip["href"] == "#main", path
        assert html.find("main", id="main") is not None
        assert html.find("header", class_="site-header") is not None
        assert html.find("footer", class_="site-footer") is not None
        assert html.find("nav", attrs={"aria-label": "Main"}) is not None
        assert html.select_one("label[for=site-search-q]") is not None
        feeds = html.find_all("link", rel="alternate", type="application/rss+xml")
        assert "/feeds/stories/" in [link["href"] for link in feeds], path
        assert len(html.find_all("h1")) == 1, path


def test_story_page_advertises_the_feeds_of_its_topics(client, news_index, reporter):
    story = publish_story(
        news_index, "Feeds story", authors=[reporter], sectors=["education"], risk_types=["ddos"]
    )
    html = soup(client.get(story.url))
    feeds = {link["href"] for link in html.find_all("link", rel="alternate")}
    assert {"/feeds/stories/", "/feeds/sectors/education/", "/feeds/risks/ddos/"} <= feeds


def test_pages_read_without_javascript(client, news_index, reporter):
    story = publish_story(news_index, "No script story", authors=[reporter])
    html = soup(client.get(story.url))
    # The only script is deferred progressive enhancement; everything it adds is hidden.
    scripts = [s for s in html.find_all("script") if s.get("src")]
    assert [s["src"] for s in scripts] == ["/static/js/share.js"]
    assert scripts[0].has_attr("defer")
    assert html.select_one(".share__copy-button").has_attr("hidden")


def test_stylesheet_makes_focus_visible_and_keeps_the_skip_link_reachable():
    css = STYLESHEET.read_text()
    assert ":focus-visible" in css and "outline: 3px solid" in css
    assert ".skip-link:focus { left: 0; }" in css
    # Narrow screens: images never overflow and long URLs wrap.
    assert "img { max-width: 100%; height: auto; }" in css
    assert "overflow-wrap: anywhere" in css


def test_not_found_page_is_in_the_sites_style(client, site_root):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = soup(response)
    assert html.h1.get_text() == "Page not found"
    assert html.find("header", class_="site-header") is not None
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert html.select_one("form[action='/search/']") is not None


def test_server_error_page_is_in_the_sites_style_without_the_database(
    site_root, django_assert_num_queries
):
    handler = get_resolver().resolve_error_handler(500)
    # The failure may be the database itself: the page must not need it.
    with django_assert_num_queries(0):
        response = handler(RequestFactory().get("/broken/"))
    assert response.status_code == 500
    html = soup(response)
    assert html.h1.get_text() == "Something went wrong"
    assert html.find("link", rel="stylesheet")["href"].endswith("css/site.css")
    assert html.find("a", class_="skip-link")["href"] == "#main"


def contrast(foreground, background):
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_colours_meet_wcag_aa_contrast():
    css = STYLESHEET.read_text()
    palette = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [
        ("ink", "paper"),  # body text
        ("muted", "paper"),  # dates, captions
        ("muted", "tint"),  # footer text
        ("accent", "paper"),  # links
        ("accent", "tint"),  # links in the share box
        ("accent-dark", "tint"),  # footer links
        ("ink", "tint"),  # tags
    ]
    for foreground, background in pairs:
        ratio = contrast(palette[foreground], palette[background])
        assert ratio >= 4.5, (foreground, background, round(ratio, 2))
    assert contrast("#ffffff", palette["accent"]) >= 4.5  # button labels
    assert contrast("#ffffff", palette["ink"]) >= 4.5  # the skip link
    assert contrast(palette["ink"], "#fff4e5") >= 4.5  # risk-type tags
