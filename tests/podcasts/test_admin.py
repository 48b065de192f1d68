"""The editor's screens for the podcast: the audio library, its chooser, and the show and
episode editors all open, and the episode editor offers the audio chooser."""

from django.urls import reverse

from .conftest import library_audio


def test_editor_screens_open(client, editor, show, add_episode):
    episode = add_episode("An episode")
    library_audio("spoken-test.m4a", "Library item")

    pages = [
        reverse("wagtailmedia:index"),
        reverse("wagtailmedia:add", args=("audio",)),
        reverse("wagtailmedia:edit", args=(episode.audio_id,)),
        reverse("wagtailmedia:chooser"),
        reverse("wagtailadmin_pages:add", args=("podcasts", "episodepage", show.pk)),
        reverse("wagtailadmin_pages:edit", args=(episode.pk,)),
        reverse("wagtailadmin_pages:edit", args=(show.pk,)),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url

    dashboard = client.get(reverse("wagtailadmin_home")).text
    assert "Podcast audio" in dashboard

    add_form = client.get(reverse("wagtailmedia:add", args=("audio",))).text
    assert 'accept=".mp3,.m4a"' in add_form
    editor_form = client.get(reverse("wagtailadmin_pages:edit", args=(episode.pk,))).text
    assert 'name="audio"' in editor_form
    assert "Timed transcript (WebVTT or SRT)" in editor_form


def test_show_preview_and_episode_preview_render(client, editor, show, add_episode):
    episode = add_episode("Previewed")
    for page in (show, episode):
        response = client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
        assert response.status_code == 200
