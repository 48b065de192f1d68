"""A reader opens a story: everything the newsroom wrote reaches the page."""

import json
from datetime import timedelta

from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import ArticlePage
from tests.articles.stories import EMBED_URL, cache_embed, fixture_image, paragraph, publish_story

PAGE_LEAD = "A ransomware attack on a managed-service provider left call handlers on paper."


def full_story(news_index, reporter, second_reporter):
    cache_embed()
    figure = fixture_image("server-room.jpg", "Racks", alt_text="Rows of server racks")
    hero = fixture_image(
        "server-room.jpg", "Hero", alt_text="A data centre corridor", credit="Ann Lee"
    )
    return publish_story(
        news_index,
        "NHS 111 software supplier hit by cyberattack",
        standfirst=PAGE_LEAD,
        authors=[reporter, second_reporter],
        sectors=["healthcare"],
        risk_types=["ransomware", "supply-chain"],
        tags=["Adastra", "NHS 111"],
        hero_image=hero,
        hero_caption="Hosting environments were isolated.",
        body=[
            paragraph("The provider isolated its health and care environments."),
            {"type": "heading", "value": {"text": "What it means", "level": "h2"}},
            {
                "type": "image",
                "value": {"image": figure.pk, "alt_text": "", "caption": "Inside a hosting hall"},
            },
            {
                "type": "pull_quote",
                "value": {"quote": "One supplier down.", "attribution": "A CRO"},
            },
            {"type": "embed", "value": EMBED_URL},
            {"type": "fact_box", "value": {"title": "Key facts", "facts": ["Detected 4 August"]}},
        ],
    )


def test_reader_sees_headline_standfirst_byline_and_dates(
    client, news_index, reporter, second_reporter
):
    story = full_story(news_index, reporter, second_reporter)
    html = BeautifulSoup(client.get(story.url).content, "html.parser")

    assert html.h1.get_text(strip=True) == "NHS 111 software supplier hit by cyberattack"
    assert html.select_one(".story__standfirst").get_text(strip=True) == PAGE_LEAD
    byline = html.select_one(".story__meta").get_text(" ", strip=True)
    assert "Hannah Okafor" in byline and "Daniel Mercer" in byline
    published = html.select_one(".story__meta time")
    assert published["datetime"].startswith(story.first_published_at.date().isoformat())
    assert html.select_one(".story__updated") is None


def test_story_revised_after_publishing_shows_updated(client, news_index, reporter):
    story = publish_story(
        news_index,
        "Breach notice",
        authors=[reporter],
        published_at=timezone.now() - timedelta(days=2),
    )
    story.standfirst = "Now with the regulator's response."
    story.save_revision().publish()

    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    updated = html.select_one(".story__updated")
    assert updated is not None and "Updated" in updated.get_text()


def test_authors_bio_and_photo_are_shown(client, news_index, reporter, second_reporter):
    story = full_story(news_index, reporter, second_reporter)
    html = BeautifulSoup(client.get(story.url).content, "html.parser")

    box = html.select_one("#author-hannah-okafor")
    assert "News editor" in box.get_text()
    assert "cyber incidents" in box.select_one(".author__bio").get_text()
    photo = box.select_one("img.author__photo")
    assert photo["alt"] == "Hannah Okafor" and photo["src"].startswith("/media/")
    assert html.select_one("#author-daniel-mercer") is not None


def test_hero_image_is_responsive_with_alt_text(client, news_index, reporter, second_reporter):
    story = full_story(news_index, reporter, second_reporter)
    html = BeautifulSoup(client.get(story.url).content, "html.parser")

    hero = html.select_one(".story__hero picture")
    types = {source["type"] for source in hero.find_all("source")}
    assert {"image/avif", "image/webp"} <= types
    assert all(len(source["srcset"].split(",")) == 3 for source in hero.find_all("source"))
    assert hero.img["alt"] == "A data centre corridor"
    caption = html.select_one(".story__hero figcaption").get_text(" ", strip=True)
    assert "Hosting environments were isolated." in caption and "Ann Lee" in caption


def test_every_body_block_is_rendered(client, news_index, reporter, second_reporter):
    story = full_story(news_index, reporter, second_reporter)
    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    body = html.select_one(".story__body")

    assert "isolated its health and care environments" in body.get_text()
    assert body.find("h2", id="what-it-means").get_text() == "What it means"
    figure = body.select_one("figure.story__figure")
    # No alt text on the block: the image library's alt text is used.
    assert figure.img["alt"] == "Rows of server racks"
    assert figure.figcaption.get_text(strip=True) == "Inside a hosting hall"
    quote = body.select_one(".pull-quote")
    assert "One supplier down." in quote.blockquote.get_text()
    assert quote.figcaption.get_text() == "A CRO"
    assert body.find("iframe", title="Briefing video") is not None
    facts = body.select_one(".fact-box")
    assert facts.h2.get_text() == "Key facts" and facts["aria-labelledby"] == facts.h2["id"]
    assert [li.get_text() for li in facts.select("li")] == ["Detected 4 August"]


def test_sectors_risk_types_and_free_tags_link_onwards(
    client, news_index, reporter, second_reporter
):
    story = full_story(news_index, reporter, second_reporter)
    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    footer = html.select_one(".story__footer")

    links = {a.get_text(strip=True): a["href"] for a in footer.select("a.tag")}
    assert links["Healthcare"] == "/sectors/healthcare/"
    assert links["Ransomware"] == "/risks/ransomware/"
    assert links["Supply chain"] == "/risks/supply-chain/"
    assert links["Adastra"] == "/search/?q=Adastra"
    assert links["NHS 111"] == "/search/?q=NHS%20111"


def test_related_stories_are_editor_picks_when_given(client, news_index, reporter):
    picked = publish_story(news_index, "Editor pick", authors=[reporter], sectors=["education"])
    publish_story(news_index, "Same sector", authors=[reporter], sectors=["healthcare"])
    story = publish_story(
        news_index, "Main story", authors=[reporter], sectors=["healthcare"], related=[picked]
    )
    html = BeautifulSoup(client.get(story.url).content, "html.parser")

    titles = [a.get_text() for a in html.select(".related .card__title a")]
    assert titles == ["Editor pick"]


def test_related_stories_otherwise_share_most_labels(client, news_index, reporter):
    publish_story(news_index, "Unrelated", authors=[reporter], sectors=["education"])
    publish_story(news_index, "Shares one", authors=[reporter], sectors=["healthcare"])
    publish_story(
        news_index,
        "Shares two",
        authors=[reporter],
        sectors=["healthcare"],
        risk_types=["ransomware"],
    )
    draft = publish_story(
        news_index, "Draft sharing all", authors=[reporter], sectors=["healthcare"], publish=False
    )
    story = publish_story(
        news_index, "Main", authors=[reporter], sectors=["healthcare"], risk_types=["ransomware"]
    )
    html = BeautifulSoup(client.get(story.url).content, "html.parser")

    titles = [a.get_text() for a in html.select(".related .card__title a")]
    assert titles == ["Shares two", "Shares one"]
    assert draft.title not in titles


def test_share_box_uses_plain_links_with_the_absolute_url(client, news_index, reporter):
    story = publish_story(news_index, "Shareable story", authors=[reporter])
    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    share = html.select_one(".share")
    absolute = "http://testserver/news/shareable-story/"

    assert share.h2.get_text() == "Share story"
    hrefs = {a.get_text(" ", strip=True).split(" (")[0]: a["href"] for a in share.select("a")}
    assert hrefs["LinkedIn"].startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert hrefs["X"].startswith("https://x.com/intent/tweet?url=")
    assert hrefs["Facebook"].startswith("https://www.facebook.com/sharer/sharer.php?u=")
    assert hrefs["Email"].startswith("mailto:?subject=Shareable%20story")
    quoted = "http%3A%2F%2Ftestserver%2Fnews%2Fshareable-story%2F"
    for name in ("LinkedIn", "X", "Facebook", "Email"):
        assert quoted in hrefs[name]
    # Copy link works without JavaScript: a read-only field holding the URL, and a plain link.
    assert share.select_one("input#share-url")["value"] == absolute
    assert hrefs["Link to this story"] == absolute
    assert share.select_one("label[for=share-url]") is not None


def test_no_third_party_scripts_on_a_story(client, news_index, reporter):
    story = publish_story(news_index, "Private reading", authors=[reporter])
    html = BeautifulSoup(client.get(story.url).content, "html.parser")

    for script in html.find_all("script"):
        src = script.get("src")
        if src:
            assert src.startswith("/static/"), src
        else:
            assert script["type"] == "application/ld+json"


def test_draft_story_is_not_served(client, news_index, reporter):
    draft = publish_story(news_index, "Not yet", authors=[reporter], publish=False)
    assert client.get("/news/not-yet/").status_code == 404
    assert ArticlePage.objects.listing().filter(pk=draft.pk).count() == 0


def test_json_ld_is_a_news_article(client, news_index, reporter, second_reporter):
    story = full_story(news_index, reporter, second_reporter)
    html = BeautifulSoup(client.get(story.url).content, "html.parser")

    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.title
    assert data["datePublished"] == story.first_published_at.isoformat()
    assert data["dateModified"] == story.last_published_at.isoformat()
    assert [a["name"] for a in data["author"]] == ["Hannah Okafor", "Daniel Mercer"]
    assert data["publisher"]["@type"] == "Organization"
    assert data["mainEntityOfPage"] == "http://testserver" + story.url
    assert data["image"][0].startswith("http://testserver/media/")


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client, news_index, reporter):
    story = publish_story(
        news_index,
        "Attackers wrote </script><script>alert(1)</script> & more",
        slug="script-headline",
        authors=[reporter],
        body=[paragraph("Plain body.")],
    )
    content = client.get(story.url).content.decode()
    assert "<script>alert(1)" not in content
    html = BeautifulSoup(content, "html.parser")
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["headline"] == story.title
