"""A reader can tell which of an incident's labels an editor has checked: the tracker and
the incident page mark the tagger's own labels "auto-tagged" and leave out those it was
unsure of, yet never leave an incident without the sector the tagger found."""

import html
import re
from pathlib import Path

import feedparser
import pytest
from django.utils import timezone

from cirsite.base.models import RiskType, Sector, User
from ingest.models import Incident, IncidentRiskType, IncidentSector
from ingest.pipeline.polling import ingest_file
from tests.second_factor import log_in_with_second_factor

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
AUTO = "auto-tagged, not yet reviewed"


def incident_with(title, *, sectors=(), risks=()):
    """An incident with labels as (slug, score, editor_confirmed) triples."""
    incident = Incident.objects.create(
        title=title, summary=f"{title}: what happened.", published_at=timezone.now()
    )
    for slug, score, confirmed in sectors:
        IncidentSector.objects.create(
            incident=incident,
            sector=Sector.objects.get(slug=slug),
            score=score,
            editor_confirmed=confirmed,
        )
    for slug, score, confirmed in risks:
        IncidentRiskType.objects.create(
            incident=incident,
            risk_type=RiskType.objects.get(slug=slug),
            score=score,
            editor_confirmed=confirmed,
        )
    return incident


def topics(page):
    """{label name: marked auto-tagged?} from the incident page's Topics list."""
    block = page.split('<ul class="tags">', 1)[1].split("</ul>", 1)[0]
    found = {}
    for link in re.findall(r"<a class=\"tag[^>]*>(.*?)</a>", block, re.S):
        name = html.unescape(re.sub(r"<span.*", "", link, flags=re.S)).strip()
        found[name] = AUTO in link
    return found


@pytest.fixture
def mixed(db, settings):
    settings.TAGS_PUBLIC_MIN_SCORE = 0.8
    return incident_with(
        "Pathology supplier attack",
        sectors=[("healthcare", 0.95, False), ("technology-media-telecoms", 0.5, False)],
        risks=[
            ("ransomware", 0.97, False),  # sure: shown, marked
            ("outage", 0.6, False),  # unsure: left out
            ("supply-chain", 0.3, True),  # an editor's: shown, unmarked, whatever the score
        ],
    )


def test_the_incident_page_marks_unreviewed_labels_and_hides_unsure_ones(client, mixed):
    page = client.get(mixed.get_absolute_url()).text

    assert topics(page) == {"Healthcare": True, "Ransomware": True, "Supply chain": False}
    assert 'title="Auto-tagged: given by our tagger, not yet reviewed by an editor"' in page
    assert "no editor has reviewed them yet" in page  # the legend under the topics


def test_the_tracker_card_carries_the_same_labels_and_marks(client, mixed):
    page = client.get("/incidents/").text
    card = page.split("Pathology supplier attack", 1)[1].split("</article>", 1)[0]

    assert ">Ransomware<" in card and ">Supply chain<" in card
    assert "Outage" not in card and "Technology" not in card
    assert card.count(AUTO) == 2  # healthcare and ransomware


def test_the_best_sector_stays_even_when_the_tagger_was_unsure(client, db, settings):
    settings.TAGS_PUBLIC_MIN_SCORE = 0.8
    incident = incident_with(
        "British Library cyber attack",
        sectors=[("education", 0.45, False), ("public-sector", 0.35, False)],
        risks=[("ransomware", 0.5, False)],
    )

    assert topics(client.get(incident.get_absolute_url()).text) == {"Education": True}


def test_an_editors_confirmation_removes_the_mark(client, db, settings):
    settings.TAGS_PUBLIC_MIN_SCORE = 0.8
    ingest_file(FEEDS / "incident-watch.rss")
    royal = Incident.objects.get(title__startswith="Royal Mail")
    before = topics(client.get(royal.get_absolute_url()).text)
    assert before and all(before.values()), "the tagger's labels, marked"

    editor = User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    admin = type(client)()
    log_in_with_second_factor(admin, editor)
    url = f"/admin/bulk/ingest/incident/confirm/?next=/admin/ingest/incidents/&id={royal.pk}"
    admin.post(url)

    after = topics(client.get(royal.get_absolute_url()).text)
    assert set(after) >= set(before)
    assert not any(after.values())
    assert "no editor has reviewed" not in client.get(royal.get_absolute_url()).text


def test_the_incident_feed_lists_only_the_labels_readers_see(client, mixed):
    feed = feedparser.parse(client.get("/incidents/feed/").content)
    [entry] = feed.entries
    assert {tag.term for tag in entry.tags} == {"Healthcare", "Ransomware", "Supply chain"}


def test_the_threshold_is_a_setting(client, mixed, settings):
    settings.TAGS_PUBLIC_MIN_SCORE = 0.5
    shown = topics(client.get(mixed.get_absolute_url()).text)
    assert "Outage" in shown and "Technology, media and telecoms" in shown
