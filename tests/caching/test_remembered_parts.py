"""The parts of pages each process remembers ({% remember %}, the pages on a path, counts of
listings) show every change on the next render in the process that made it: with the
full-page cache off, so that only the remembered parts could go stale, each test reads a page
(remembering its parts), changes what one part shows, and reads the page again."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Site

from cirsite.base.models import Sector, SiteSettings
from ingest.incidents.coverage import StoryIncident
from podcasts.models import ShowHost, StoryEpisode
from tests.articles.stories import make_author, paragraph, publish_story
from tests.site.content import make_show, publish_episode, track_incident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture
def show(site_root):
    return make_show(site_root)


def read(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.text


def soup(client, path):
    return BeautifulSoup(read(client, path), "html.parser")


def titles(html):
    return [title.get_text() for title in html.select(".card__title")]


def republish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


# --- A story page --------------------------------------------------------------------------


def test_an_edited_story_shows_its_new_headline_body_and_description(client, story):
    read(client, story.url)

    republish(
        story,
        title="Ferry bookings back after ransomware",
        search_description="Bookings reopened on Thursday.",
        body=[paragraph("Bookings reopened on Thursday.")],
    )

    html = soup(client, story.url)
    assert html.h1.get_text() == "Ferry bookings back after ransomware"
    assert "Bookings reopened on Thursday." in html.select_one(".story__body").get_text()
    assert html.select_one('meta[name="description"]')["content"] == (
        "Bookings reopened on Thursday."
    )
    assert '"headline": "Ferry bookings back after ransomware"' in str(html)


def test_a_renamed_author_shows_in_the_byline_the_biography_and_the_structured_data(
    client, story, reporter
):
    read(client, story.url)

    reporter.name = "Hannah Okafor-Reid"
    reporter.bio = "<p>Hannah now edits the risk desk.</p>"
    reporter.save()

    html = soup(client, story.url)
    assert html.select_one(".story__byline").get_text(strip=True) == "By Hannah Okafor-Reid"
    assert "Hannah now edits the risk desk." in html.select_one(".authors").get_text()
    assert '"name": "Hannah Okafor-Reid"' in str(html)


def test_a_renamed_sector_shows_on_the_story_and_in_its_feed_link(client, story):
    read(client, story.url)

    sector = Sector.objects.get(slug="transport-logistics")
    sector.name = "Shipping"
    sector.save()

    html = soup(client, story.url)
    assert html.select_one(".story__header .kicker").get_text() == "Shipping"
    assert html.select_one('link[title="Stories: Shipping"]') is not None
    assert "Shipping" in [a.get_text() for a in html.select(".story__footer .tag")]


def test_related_stories_follow_new_stories_and_their_headlines(client, news_index, story):
    assert soup(client, story.url).select_one(".related") is None

    other = publish_story(
        news_index, "Port systems encrypted", sectors=["transport-logistics"], risk_types=[]
    )
    related = soup(client, story.url).select(".related .card__title")
    assert [title.get_text() for title in related] == ["Port systems encrypted"]

    republish(other, title="Port systems restored")
    related = soup(client, story.url).select(".related .card__title")
    assert [title.get_text() for title in related] == ["Port systems restored"]


def test_linked_episodes_and_tracked_incidents_follow_their_changes(client, story, show):
    episode = publish_episode(show, "Ransom at sea")
    incident = track_incident("Ferry operator hit by ransomware")
    assert soup(client, story.url).select_one(".promo, .tracked") is None

    StoryEpisode.objects.create(page=story, episode=episode)
    StoryIncident.objects.create(page=story, incident=incident)
    html = soup(client, story.url)
    assert html.select_one(".promo__title").get_text() == "Ransom at sea"
    assert html.select_one(".tracked a").get_text() == "Ferry operator hit by ransomware"

    republish(episode, title="Ransom on the high seas")
    incident.title = "Ferry operator confirms ransomware"
    incident.save()
    html = soup(client, story.url)
    assert html.select_one(".promo__title").get_text() == "Ransom on the high seas"
    assert html.select_one(".tracked a").get_text() == "Ferry operator confirms ransomware"

    incident.status = incident.Status.DISMISSED
    incident.save()
    assert soup(client, story.url).select_one(".tracked") is None


def test_a_link_in_a_story_follows_the_story_it_links_to(client, news_index, story):
    linking = publish_story(
        news_index,
        "Ferry strike follows the attack",
        body=[paragraph(f'See <a linktype="page" id="{story.pk}">the attack</a>.')],
    )
    assert soup(client, linking.url).select_one(".story__body a")["href"] == story.url

    republish(story, slug="ferry-operator-attack")

    assert soup(client, linking.url).select_one(".story__body a")["href"] == (
        "/news/ferry-operator-attack/"
    )


def test_a_story_is_found_at_its_new_address_only_and_not_once_unpublished(client, story):
    old = story.url
    read(client, old)

    republish(story, slug="ferry-operator-attack")
    assert client.get(old).status_code == 404
    assert read(client, "/news/ferry-operator-attack/")

    story.unpublish()
    assert client.get("/news/ferry-operator-attack/").status_code == 404


def test_a_preview_shows_the_draft_and_the_live_page_stays_as_published(client, story):
    read(client, story.url)

    draft = story.get_latest_revision_as_object()
    draft.title = "Draft headline"
    draft.body = [paragraph("Draft text.")]
    draft.sectors = [Sector.objects.get(slug="public-sector")]
    preview = draft.make_preview_request().content.decode()
    assert "Draft headline" in preview and "Draft text." in preview
    assert "Stories: Public sector" in preview

    live = read(client, story.url)
    assert "Draft headline" not in live and "Draft text." not in live
    assert "Stories: Public sector" not in live


# --- The furniture -------------------------------------------------------------------------


def test_the_header_shows_each_searchs_own_words_and_the_footer_the_edited_settings(
    client, site_root
):
    assert 'value="ferry attack"' in read(client, "/search/?q=ferry+attack")
    assert 'value="port outage"' in read(client, "/search/?q=port+outage")
    assert 'name="q" placeholder="Search stories, podcasts, incidents" value=""' in read(
        client, "/"
    )

    settings, _ = SiteSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))
    settings.tagline = "Cyber risk for underwriters"
    settings.publisher_name = "Risk Desk"
    settings.save()

    html = soup(client, "/")
    assert html.select_one(".site-footer p").get_text() == "Cyber risk for underwriters"
    legal = html.select_one(".site-footer__legal").get_text()
    assert legal.startswith(f"© {timezone.now().year} Risk Desk.")
    assert '"name": "Risk Desk"' in str(html)


# --- Listings ------------------------------------------------------------------------------


def test_the_front_page_follows_new_stories_episodes_incidents_and_its_show(
    client, news_index, story, show
):
    read(client, "/")

    publish_story(news_index, "Airport check-in outage")
    html = soup(client, "/")
    assert html.select_one(".lead__title").get_text(strip=True) == "Airport check-in outage"

    publish_episode(show, "Airports under attack")
    episodes = soup(client, "/").select_one("#episodes-heading").parent
    assert "Airports under attack" in episodes.get_text()

    incident = track_incident("Airport check-in systems down")
    incidents = soup(client, "/").select_one("#incidents-heading").parent
    assert "Airport check-in systems down" in incidents.get_text()

    incident.title = "Airport check-in restored"
    incident.save()
    incidents = soup(client, "/").select_one("#incidents-heading").parent
    assert "Airport check-in restored" in incidents.get_text()

    republish(show, title="Risk Desk podcast")
    html = soup(client, "/")
    assert html.select_one("#episodes-heading").get_text() == "Risk Desk podcast"
    assert html.select_one('link[title="Risk Desk podcast"]') is not None


def test_the_news_index_follows_new_stories_onto_a_second_page(client, news_index):
    start = timezone.now() - timedelta(days=20)
    for number in range(12):
        when = start + timedelta(days=number)
        publish_story(news_index, f"Story {number:02d}", published_at=when)
    html = soup(client, "/news/")
    assert html.select_one(".pagination") is None

    publish_story(news_index, "Story 12")

    html = soup(client, "/news/")
    assert html.select_one(".card__title").get_text() == "Story 12"
    assert html.select_one(".pagination [aria-current]").get_text() == "Page 1 of 2"
    assert soup(client, "/news/?page=2").select_one(".card__title").get_text() == "Story 00"


def test_a_topic_page_follows_its_stories_episodes_and_incidents(client, news_index, show):
    publish_episode(show, "Hospitals and ransomware", sectors=["healthcare"])
    html = soup(client, "/sectors/healthcare/")
    assert html.select_one(".tabs a[aria-current=page]").get_text() == "Podcasts"

    publish_story(news_index, "Hospital appointments cancelled", sectors=["healthcare"])
    html = soup(client, "/sectors/healthcare/")
    assert html.select_one(".tabs a[aria-current=page]").get_text() == "Stories"
    assert titles(html) == ["Hospital appointments cancelled"]

    publish_story(news_index, "Pharmacy orders delayed", sectors=["healthcare"])
    assert titles(soup(client, "/sectors/healthcare/")) == [
        "Pharmacy orders delayed",
        "Hospital appointments cancelled",
    ]

    path = "/sectors/healthcare/incidents/"
    track_incident("Clinic records stolen", sectors=["healthcare"])
    assert titles(soup(client, path)) == ["Clinic records stolen"]
    track_incident("Dental practice locked out", sectors=["healthcare"])
    assert titles(soup(client, path)) == ["Dental practice locked out", "Clinic records stolen"]

    sector = Sector.objects.get(slug="healthcare")
    sector.definition = "Hospitals and clinics."
    sector.save()
    assert soup(client, "/sectors/healthcare/").select_one(".intro").get_text() == (
        "Hospitals and clinics."
    )


def test_a_show_page_follows_its_episodes_description_and_hosts(client, show, reporter):
    read(client, "/podcasts/")

    publish_episode(show, "Insurers and ransom payments")
    assert titles(soup(client, "/podcasts/")) == ["Insurers and ransom payments"]
    publish_episode(show, "Brokers and cyber cover")
    assert titles(soup(client, "/podcasts/")) == [
        "Brokers and cyber cover",
        "Insurers and ransom payments",
    ]

    ShowHost.objects.create(page=show, author=reporter)
    html = soup(client, "/podcasts/")
    assert html.select_one(".podcast-show__hosts").get_text() == "Hosted by Hannah Okafor"

    republish(show, description="Weekly conversations about cyber risk.")
    assert soup(client, "/podcasts/").select_one(".intro").get_text() == (
        "Weekly conversations about cyber risk."
    )

    reporter.name = "Hannah Okafor-Reid"
    reporter.save()
    html = soup(client, "/podcasts/")
    assert html.select_one(".podcast-show__hosts").get_text() == "Hosted by Hannah Okafor-Reid"


def test_an_author_page_follows_the_authors_stories_episodes_and_profile(
    client, author_index, news_index, show
):
    author = make_author("Ruth Quinn", role="Security editor")
    path = "/authors/ruth-quinn/"
    assert soup(client, path).select_one(".card") is None

    publish_story(news_index, "Insurers tighten ransomware cover", authors=[author])
    html = soup(client, path)
    assert html.select_one("#stories-heading").get_text() == "Stories by Ruth Quinn (1)"
    assert titles(html) == ["Insurers tighten ransomware cover"]

    ShowHost.objects.create(page=show, author=author)
    publish_episode(show, "Cover after a ransom")
    assert "Cover after a ransom" in soup(client, path).select_one(".sidebar").get_text()

    author.role = "Risk editor"
    author.save()
    assert soup(client, path).select_one(".profile__role").get_text() == "Risk editor"
    assert client.get("/authors/no-such-author/").status_code == 404
