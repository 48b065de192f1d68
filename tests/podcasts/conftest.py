"""A published show with real artwork, and helpers that add episodes with real audio files
from tests/fixtures/audio/."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files import File
from wagtail.images import get_image_model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AUDIO = FIXTURES / "audio"
IMAGES = FIXTURES / "images"
LONDON = ZoneInfo("Europe/London")


def library_image(filename, title=None):
    Image = get_image_model()
    with open(IMAGES / filename, "rb") as handle:
        image = Image(title=title or filename, file=File(handle, name=filename))
        image.save()
    return image


def library_audio(filename, title=None):
    from podcasts.models import EpisodeAudio

    with open(AUDIO / filename, "rb") as handle:
        audio = EpisodeAudio(title=title or filename, file=File(handle, name=filename))
        audio.full_clean()
        audio.save()
    return audio


@pytest.fixture
def artwork(db):
    return library_image("artwork-1400-rgb.jpg", "Show artwork")


@pytest.fixture
def show(site_root, artwork):
    from articles.models import Author
    from podcasts.models import PodcastIndexPage, ShowHost

    host = Author.objects.create(name="Daniel Mercer", slug="daniel-mercer")
    show = PodcastIndexPage(
        title="The cirsite podcast",
        slug="podcasts",
        description="Conversations about cyber risk & continuity.",
        artwork=artwork,
        author="cirsite",
        owner_name="cirsite editors",
        owner_email="podcast@cirsite.example",
        language="en-gb",
        category="Business",
        subcategory="Management",
        show_type="episodic",
        copyright="© cirsite",
        apple_podcasts_url="https://podcasts.apple.com/gb/podcast/example/id123",
        spotify_url="https://open.spotify.com/show/example",
    )
    show.hosts.add(ShowHost(author=host))
    site_root.add_child(instance=show)
    show.save_revision().publish()
    show.refresh_from_db()
    return show


@pytest.fixture
def add_episode(show):
    """Publish an episode under the show; ``audio`` names a fixture file or is None."""
    from podcasts.models import EpisodeGuest, EpisodePage

    def add(title, audio="spoken-test.mp3", went_out=None, publish=True, guests=(), **fields):
        episode = EpisodePage(
            title=title,
            summary=fields.pop("summary", f"What {title} is about."),
            audio=library_audio(audio, title) if audio else None,
            release_date=went_out or datetime(2022, 4, 12, 7, 0, tzinfo=LONDON),
            live=publish,
            **fields,
        )
        for name in guests:
            episode.guests.add(EpisodeGuest(name=name, affiliation="Guest"))
        show.add_child(instance=episode)
        revision = episode.save_revision()
        if publish:
            revision.publish()
        episode.refresh_from_db()
        return episode

    return add


@pytest.fixture
def editor(db, client):
    from django.contrib.auth import get_user_model

    from tests.second_factor import log_in_with_second_factor

    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    log_in_with_second_factor(client, user)
    return user
