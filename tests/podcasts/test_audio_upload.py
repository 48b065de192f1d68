"""An editor uploads episode audio in the admin's media library: MP3 and M4A are accepted
whatever they are called, with duration, size and type read from the file; anything else is
refused with a reason, and nothing refused is stored."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.urls import reverse
from wagtail.models import Collection
from wagtailmedia.forms import get_media_form

from podcasts.audio import MAX_AUDIO_BYTES
from podcasts.models import EpisodeAudio

from .conftest import AUDIO


def upload(client, filename, as_name=None, media_type="audio", title="Episode audio"):
    data = (AUDIO / filename).read_bytes()
    return client.post(
        reverse("wagtailmedia:add", args=(media_type,)),
        {
            "title": title,
            "file": SimpleUploadedFile(as_name or filename, data),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def stored_audio_files():
    folder = Path(settings.MEDIA_ROOT) / "podcast-audio"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def form_errors(response):
    return response.context["form"].errors


def test_mp3_upload_fills_in_duration_size_and_type(client, editor):
    response = upload(client, "spoken-test.mp3")
    assert response.status_code == 302, form_errors(response)

    audio = EpisodeAudio.objects.get()
    assert audio.mime_type == "audio/mpeg"
    assert audio.file_size == (AUDIO / "spoken-test.mp3").stat().st_size
    assert audio.duration == pytest.approx(5.7, abs=0.1)
    assert audio.uploaded_by_user == editor
    assert audio.file.name.startswith("podcast-audio/")
    assert audio.file.name.endswith("/spoken-test.mp3")


def test_m4a_upload_is_accepted_as_aac(client, editor, settings):
    # Past this size Django spools uploads to a temporary file; mutagen reads that too.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = upload(client, "spoken-test.m4a")
    assert response.status_code == 302, form_errors(response)
    audio = EpisodeAudio.objects.get()
    assert audio.mime_type == "audio/x-m4a"
    assert audio.file_size == (AUDIO / "spoken-test.m4a").stat().st_size
    assert audio.duration == pytest.approx(5.6, abs=0.1)


def test_the_file_decides_not_its_name(client, editor):
    response = upload(client, "spoken-test.mp3", as_name="final mix.m4a")
    assert response.status_code == 302, form_errors(response)
    audio = EpisodeAudio.objects.get()
    assert audio.mime_type == "audio/mpeg"
    assert audio.file.name.endswith("/final-mix.mp3")


@pytest.mark.parametrize(
    ("filename", "reason"),
    [
        ("notes-renamed.mp3", "it contains plain text"),
        ("one-second.wav", "it is a WAV or other RIFF file"),
    ],
)
def test_non_mp3_files_are_refused_with_the_reason(client, editor, filename, reason):
    files_before = stored_audio_files()
    response = upload(client, filename, as_name="episode.mp3")
    assert response.status_code == 200
    message = " ".join(form_errors(response)["file"])
    assert "not MP3 or M4A audio" in message
    assert reason in message
    assert "Podcast apps accept MP3 and M4A (AAC) only" in message
    assert EpisodeAudio.objects.count() == 0
    assert stored_audio_files() == files_before


def test_a_damaged_mp3_is_refused(client, editor):
    # The real MP3's ID3 header followed by text: it starts like an MP3 and then is not one.
    damaged = (AUDIO / "spoken-test.mp3").read_bytes()[:200] + b"not audio " * 200
    response = client.post(
        reverse("wagtailmedia:add", args=("audio",)),
        {
            "title": "Damaged",
            "file": SimpleUploadedFile("damaged.mp3", damaged),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    message = " ".join(form_errors(response)["file"])
    assert "could not be" in message
    assert EpisodeAudio.objects.count() == 0


def test_audio_over_200_mb_is_refused_before_it_is_read(editor, tmp_path):
    big = tmp_path / "long-interview.mp3"
    with open(big, "wb") as handle:
        handle.write((AUDIO / "spoken-test.mp3").read_bytes())
        handle.truncate(MAX_AUDIO_BYTES + 1)  # sparse: no 200 MB written to disk
    MediaForm = get_media_form(EpisodeAudio)
    with open(big, "rb") as handle:
        form = MediaForm(
            {"title": "Too long", "collection": Collection.get_first_root_node().pk},
            {
                "file": UploadedFile(
                    handle, "long-interview.mp3", "audio/mpeg", os.path.getsize(big)
                )
            },
            instance=EpisodeAudio(uploaded_by_user=editor, type="audio"),
            user=editor,
        )
        assert not form.is_valid()
    message = " ".join(form.errors["file"])
    assert "200.0 MB" in message
    assert "at most" in message
    assert EpisodeAudio.objects.count() == 0


def test_video_uploads_are_refused(client, editor):
    response = upload(client, "spoken-test.m4a", media_type="video")
    assert response.status_code == 200
    assert "podcast audio only" in " ".join(form_errors(response).get("__all__", []))
    assert EpisodeAudio.objects.count() == 0


def test_replacing_the_file_gives_a_new_url(client, editor):
    upload(client, "spoken-test.mp3")
    audio = EpisodeAudio.objects.get()
    old_url = audio.url

    response = client.post(
        reverse("wagtailmedia:edit", args=(audio.pk,)),
        {
            "title": audio.title,
            "file": SimpleUploadedFile("spoken-test.mp3", (AUDIO / "spoken-test.m4a").read_bytes()),
            "collection": audio.collection_id,
            "tags": "",
        },
    )
    assert response.status_code == 302
    audio.refresh_from_db()
    assert audio.url != old_url
    assert audio.mime_type == "audio/x-m4a"
    served = client.get(audio.url)
    assert b"".join(served.streaming_content) == (AUDIO / "spoken-test.m4a").read_bytes()


def test_refused_replacement_keeps_the_old_file(client, editor):
    upload(client, "spoken-test.mp3")
    audio = EpisodeAudio.objects.get()
    response = client.post(
        reverse("wagtailmedia:edit", args=(audio.pk,)),
        {
            "title": audio.title,
            "file": SimpleUploadedFile("new.mp3", (AUDIO / "notes-renamed.mp3").read_bytes()),
            "collection": audio.collection_id,
        },
    )
    assert response.status_code == 200
    audio.refresh_from_db()
    assert audio.mime_type == "audio/mpeg"
    served = client.get(audio.url)
    assert b"".join(served.streaming_content) == (AUDIO / "spoken-test.mp3").read_bytes()


def test_plain_mp3_without_tags_or_info_header_is_accepted(client, editor):
    # Frame sync at byte 0, no ID3 tag, no LAME/Xing header: still an MP3.
    response = upload(client, "spoken-test-no-info-header.mp3")
    assert response.status_code == 302, form_errors(response)
    audio = EpisodeAudio.objects.get()
    assert audio.mime_type == "audio/mpeg"
    assert audio.duration == pytest.approx(5.7, abs=0.1)


def test_uploading_from_the_episode_editors_chooser_runs_the_same_checks(client, editor):
    url = reverse("wagtailmedia:chooser_upload", args=("audio",))
    refused = client.post(
        url,
        {
            "media-chooser-upload-title": "From the chooser",
            "media-chooser-upload-file": SimpleUploadedFile(
                "episode.mp3", (AUDIO / "notes-renamed.mp3").read_bytes()
            ),
            "media-chooser-upload-collection": Collection.get_first_root_node().pk,
        },
    )
    assert refused.status_code == 200
    assert "not MP3 or M4A audio" in refused.content.decode()
    assert EpisodeAudio.objects.count() == 0
