"""The editor's screens for the podcast: the audio library lists what was uploaded and accepts
only MP3 and M4A, the episode editor offers the audio chooser and asks for what apps need, a
show is created under the home page from the admin form and its feed goes live, and bad input
is sent back with the reason."""

import json

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtailmedia.widgets import AdminAudioChooser

from articles.models import Author
from cirsite.site.demo_content import ensure_home_page
from cirsite.site.models import HomePage
from podcasts.models import EpisodePage, PodcastIndexPage
from tests.second_factor import log_in_with_second_factor

from .conftest import library_audio, library_image


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def test_audio_library_lists_uploads_and_accepts_only_mp3_and_m4a(client, editor, add_episode):
    episode = add_episode("An episode")
    library_audio("spoken-test.m4a", "Library item")

    dashboard = client.get(reverse("wagtailadmin_home")).text
    assert "Podcast audio" in dashboard
    index = client.get(reverse("wagtailmedia:index")).text
    assert "An episode" in index and "Library item" in index

    upload = soup_of(client.get(reverse("wagtailmedia:add", args=("audio",))))
    assert upload.find("input", attrs={"name": "file"})["accept"] == ".mp3,.m4a"
    assert upload.find("input", attrs={"name": "title"}) is not None

    edit = soup_of(client.get(reverse("wagtailmedia:edit", args=(episode.audio_id,))))
    assert edit.find("input", attrs={"name": "title"})["value"] == "An episode"

    # The chooser the episode editor opens lists the library's audio.
    chooser = client.get(reverse("wagtailmedia:chooser_typed", args=("audio",)))
    assert chooser.status_code == 200
    listing = json.loads(chooser.content)["html"]
    assert "Library item" in listing and "An episode" in listing


def test_episode_editor_offers_the_audio_chooser_and_asks_for_what_apps_need(client, editor, show):
    url = reverse("wagtailadmin_pages:add", args=("podcasts", "episodepage", show.pk))
    response = client.get(url)
    html = soup_of(response)

    form = response.context["form"]
    assert isinstance(form.fields["audio"].widget, AdminAudioChooser)
    assert html.find("input", attrs={"name": "audio", "type": "hidden"}) is not None
    assert 'createMediaChooser("id_audio")' in response.text
    assert "Choose audio" in response.text

    # Title and summary are required; audio may come later (the feed leaves the episode out).
    assert html.find("input", attrs={"name": "title"}).has_attr("required")
    assert html.find("textarea", attrs={"name": "summary"}).has_attr("required")
    assert form.fields["audio"].required is False
    assert "Timed transcript (WebVTT or SRT)" in response.text


def test_bad_episode_input_comes_back_with_the_reason(client, editor, show):
    url = reverse("wagtailadmin_pages:add", args=("podcasts", "episodepage", show.pk))
    data = nested_form_data(
        {
            "title": "Missing its summary",
            "slug": "missing-its-summary",
            "summary": "",
            "audio": "",
            "episode_type": "full",
            "show_notes": rich_text("<p>Notes.</p>"),
            "guests": inline_formset([]),
            "transcript": "",
            "captions": "Just words, no timings.",
            "related_story_links": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "This field is required." in errors["summary"]
    assert "WebVTT" in errors["captions"][0]
    assert "The page could not be created due to validation errors" in response.text
    assert not EpisodePage.objects.filter(slug="missing-its-summary").exists()


def test_preview_shows_the_draft_not_the_live_page(client, editor, show, add_episode):
    episode = add_episode("Live title")
    episode.title = "Draft title"
    episode.save_revision()
    show.description = "A draft description of the show."
    show.save_revision()

    episode_preview = client.get(reverse("wagtailadmin_pages:view_draft", args=(episode.pk,)))
    assert episode_preview.status_code == 200
    assert "Draft title" in episode_preview.text
    show_preview = client.get(reverse("wagtailadmin_pages:view_draft", args=(show.pk,)))
    assert "A draft description of the show." in show_preview.text
    # Readers still get the published version.
    client.logout()
    assert "Live title" in client.get(episode.url).text
    assert "Draft title" not in client.get(episode.url).text


def show_form(host, artwork, **overrides):
    data = {
        "title": "Risk in ten minutes",
        "slug": "risk-in-ten-minutes",
        "description": "Short briefings on cyber risk.",
        "artwork": artwork.pk,
        "hosts": inline_formset([{"author": host.pk}]),
        "author": "cirsite",
        "owner_name": "cirsite editors",
        "owner_email": "podcast@cirsite.example",
        "copyright": "",
        "language": "en-gb",
        "category": "Business",
        "subcategory": "Management",
        "show_type": "episodic",
        "feed_locked": "on",
        "apple_podcasts_url": "",
        "spotify_url": "",
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


class TestEditorCreatesAShowInTheAdmin(WagtailPageTestCase):
    def setUp(self):
        self.home = ensure_home_page()
        self.host = Author.objects.create(name="Daniel Mercer", slug="daniel-mercer")
        self.artwork = library_image("artwork-1400-rgb.jpg", "Show artwork")
        User = get_user_model()
        log_in_with_second_factor(
            self.client, User.objects.create_superuser("chief", "chief@example.org", "pw")
        )

    def test_a_show_lives_under_the_home_page_and_holds_episodes(self):
        self.assertCanCreateAt(HomePage, PodcastIndexPage)
        self.assertCanCreateAt(PodcastIndexPage, EpisodePage)
        self.assertCanNotCreateAt(EpisodePage, EpisodePage)

    def test_show_form_creates_a_show_whose_feed_goes_live(self):
        self.assertCanCreate(self.home, PodcastIndexPage, show_form(self.host, self.artwork))

        show = PodcastIndexPage.objects.get(slug="risk-in-ten-minutes")
        assert show.live
        assert show.host_authors == [self.host]
        assert show.podcast_guid is not None
        assert show.feed_url == "http://testserver/risk-in-ten-minutes/feed/"
        self.client.logout()
        feed = self.client.get("/risk-in-ten-minutes/feed/")
        assert feed.status_code == 200
        assert b"<title>Risk in ten minutes</title>" in feed.content

    def test_a_subcategory_outside_the_category_is_refused(self):
        url = reverse("wagtailadmin_pages:add", args=["podcasts", "podcastindexpage", self.home.pk])
        response = self.client.post(
            url,
            {
                **show_form(self.host, self.artwork, category="Technology"),
                "action-publish": "action-publish",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "not a subcategory of “Technology”" in errors["subcategory"][0]
        assert not PodcastIndexPage.objects.filter(slug="risk-in-ten-minutes").exists()
