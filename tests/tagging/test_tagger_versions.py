"""An editor reads which tagger tagged an incident as a date and a number ("Tagger of 28 Nov
2026, no. 2"), while the incident keeps the internal version that ``retag --stale`` compares."""

import io
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone

from cirsite.base.models import User
from ingest.models import Incident, TaggerVersion
from ingest.pipeline.polling import ingest_file
from ingest.tagging import get_tagger
from ingest.tagging.versions import readable_version, register_version
from tests.second_factor import log_in_with_second_factor

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


def today():
    return formats.date_format(timezone.localdate(), "j M Y")


def edit_page(client, incident):
    editor = User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    log_in_with_second_factor(client, editor)
    return client.get(reverse("wagtailsnippets_ingest_incident:edit", args=[incident.pk])).text


def test_the_review_queue_shows_a_dated_numbered_tagger(client, db):
    ingest_file(FEEDS / "incident-watch.rss")
    incident = Incident.objects.get(title__startswith="Royal Mail")
    key = incident.tagger_version
    assert key == get_tagger().version  # the internal version is what is stored

    page = edit_page(client, incident)

    assert f'tagged by <span title="Internal version {key}">Tagger of {today()}, no. 1</span>' in (
        page
    )


def test_a_new_model_is_the_next_number_and_the_old_version_still_reads(db):
    first = get_tagger().version
    call_command("tag", "--retrain", stdout=io.StringIO())
    second = get_tagger().version

    assert second != first and second.startswith(first + "+m")
    assert readable_version(first) == f"Tagger of {today()}, no. 1"
    assert readable_version(second) == f"Tagger of {today()}, no. 2"
    assert register_version(second).number == 2  # registering again changes nothing
    assert TaggerVersion.objects.count() == 2


def test_a_version_stored_before_numbering_reads_as_itself(db):
    assert readable_version("model 3 of 28 November 2026 · rules 1-34c5efa7e294") == (
        "model 3 of 28 November 2026 · rules 1-34c5efa7e294"
    )
    assert readable_version("") == ""
