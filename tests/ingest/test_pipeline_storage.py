"""Storing entries: one incident per story, however often and from however many sources it
arrives, and nothing half-written when storing fails part-way."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from django.db import connection

from ingest.models import FeedSource, Incident, IncidentRiskType, IncidentSource
from ingest.pipeline.normalise import (
    GUID_LIMIT,
    TITLE_LIMIT,
    URL_LIMIT,
    NormalisedEntry,
    normalise_entry,
)
from ingest.pipeline.polling import ingest_entries as store_entries
from ingest.pipeline.store import LabelIndex, store_entry
from ingest.pipeline.tag import get_tagger

PUBLISHED = datetime(2023, 1, 11, 10, tzinfo=UTC)


def normalised(*, guid, title, summary_text, link="", summary_html=""):
    """An entry as the normalise stage hands it on."""
    return NormalisedEntry(
        guid=guid,
        title=title,
        summary_html=summary_html,
        summary_text=summary_text,
        link=link,
        published_at=PUBLISHED,
    )


ROYAL_MAIL = normalised(
    guid="iw-royal-mail",
    title="Royal Mail suspends international exports",
    summary_text="A ransomware attack attributed to LockBit disrupted export systems.",
    summary_html="<p>A ransomware attack attributed to LockBit disrupted export systems.</p>",
    link="https://incident-watch.example/2023/01/royal-mail",
)


@pytest.fixture
def source(db):
    return FeedSource.objects.create(name="Incident Watch", feed_url="https://iw.example/feed")


@pytest.fixture
def other_source(db):
    return FeedSource.objects.create(name="Resilience Wire", feed_url="https://rw.example/feed")


def test_a_new_entry_becomes_an_incident_with_its_labels_and_evidence(source):
    counts = store_entries(source, [ROYAL_MAIL])
    assert (counts.new, counts.updated, counts.skipped) == (1, 0, 0)
    incident = Incident.objects.get()
    assert incident.title == ROYAL_MAIL.title
    assert incident.canonical_url == ROYAL_MAIL.link
    assert incident.tagger_version == get_tagger().version
    assert "ransomware" in {r.slug for r in incident.risk_types.all()}
    link = incident.risk_type_links.get(risk_type__slug="ransomware")
    text = f"{ROYAL_MAIL.title}\n\n{ROYAL_MAIL.summary_text}"
    for evidence in link.evidence:
        # Offsets point into the text the tagger read: the title, a blank line, the summary.
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert link.evidence
    assert "LockBit" in incident.organisations
    assert incident.source_links.get().guid == "iw-royal-mail"


def test_storing_the_same_entries_again_changes_nothing(source):
    store_entries(source, [ROYAL_MAIL])
    before = Incident.objects.values().get()
    counts = store_entries(source, [ROYAL_MAIL])
    assert (counts.new, counts.updated, counts.skipped) == (0, 0, 1)
    assert Incident.objects.values().get() == before


def test_the_same_guid_with_new_text_updates_the_incident(source):
    store_entries(source, [ROYAL_MAIL])
    revised = replace(ROYAL_MAIL, **{"summary_text": "Exports resumed after weeks."})
    counts = store_entries(source, [revised])
    assert (counts.new, counts.updated) == (0, 1)
    assert Incident.objects.get().summary == "Exports resumed after weeks."


def test_the_same_canonical_url_from_another_source_is_one_incident(source, other_source):
    store_entries(source, [ROYAL_MAIL])
    elsewhere = normalised(
        guid="rw-royal-mail",
        title="LockBit claims Royal Mail attack",
        summary_text="Claimed.",
        link=ROYAL_MAIL.link,
    )
    counts = store_entries(other_source, [elsewhere])
    assert (counts.new, counts.updated) == (0, 1)
    incident = Incident.objects.get()
    assert incident.title == ROYAL_MAIL.title, "the first telling keeps its words"
    assert set(incident.sources.values_list("name", flat=True)) == {
        "Incident Watch",
        "Resilience Wire",
    }
    assert store_entries(other_source, [elsewhere]).skipped == 1


def test_a_feed_repeating_a_guid_stores_one_incident(source):
    twice = [ROYAL_MAIL, replace(ROYAL_MAIL, **{"title": "Changed title"})]
    counts = store_entries(source, twice)
    assert (counts.new, counts.skipped) == (1, 1)
    assert Incident.objects.count() == 1


def test_the_database_refuses_a_second_incident_for_one_guid(source):
    store_entries(source, [ROYAL_MAIL])
    incident = Incident.objects.create(title="Copy", published_at=ROYAL_MAIL.published_at)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentSource.objects.create(
            incident=incident, source=source, guid=ROYAL_MAIL.guid, content_hash="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(
            title="Copy", canonical_url=ROYAL_MAIL.link, published_at=ROYAL_MAIL.published_at
        )


def _fail_risk_labels_of_capita():
    """A real database failure part-way through an entry: a trigger that rejects the risk
    labels of the Capita incident, after its incident row is already written."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER fail_labels BEFORE INSERT ON ingest_incidentrisktype "
                "WHEN (SELECT title FROM ingest_incident WHERE id = NEW.incident_id) "
                "LIKE '%Capita%' "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION fail_labels() RETURNS trigger AS $$ BEGIN "
                "IF (SELECT title FROM ingest_incident WHERE id = NEW.incident_id) "
                "LIKE '%Capita%' THEN RAISE EXCEPTION 'disk full'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER fail_labels BEFORE INSERT ON ingest_incidentrisktype "
                "FOR EACH ROW EXECUTE FUNCTION fail_labels()"
            )


def _stop_failing():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER fail_labels")
        else:
            cursor.execute("DROP TRIGGER fail_labels ON ingest_incidentrisktype")
            cursor.execute("DROP FUNCTION fail_labels()")


def test_a_crash_mid_entry_leaves_no_half_written_incident(source):
    capita = normalised(
        guid="iw-capita",
        title="Capita confirms data was taken",
        summary_text="Attackers accessed part of its server estate.",
        link="https://incident-watch.example/2023/04/capita",
    )
    _fail_risk_labels_of_capita()
    counts = store_entries(source, [ROYAL_MAIL, capita])
    assert (counts.new, counts.failed) == (1, 1)
    assert "Capita" in counts.errors[0]
    assert list(Incident.objects.values_list("title", flat=True)) == [ROYAL_MAIL.title]
    assert IncidentSource.objects.count() == 1
    assert set(IncidentRiskType.objects.values_list("incident__title", flat=True)) == {
        ROYAL_MAIL.title
    }

    _stop_failing()
    counts = store_entries(source, [ROYAL_MAIL, capita])
    assert (counts.new, counts.skipped, counts.failed) == (1, 1, 0)
    assert Incident.objects.get(title=capita.title).risk_types.filter(slug="data-breach").exists()


def test_an_entry_without_guid_or_link_is_keyed_by_its_text(source):
    raw = {"title": "Laptop stolen from car", "summary": "Records on it."}
    bare = normalise_entry(raw, fetched_at=PUBLISHED, base_url="")
    assert bare.guid.startswith("sha256:")
    assert store_entries(source, [bare]).new == 1
    assert store_entries(source, [bare]).skipped == 1
    assert Incident.objects.get().canonical_url == ""


def test_store_entry_reports_what_happened(source):
    labels = LabelIndex()
    result = get_tagger().tag(f"{ROYAL_MAIL.title}\n\n{ROYAL_MAIL.summary_text}")
    assert store_entry(source, ROYAL_MAIL, result, labels=labels, version="v")[0] == "new"
    assert store_entry(source, ROYAL_MAIL, result, labels=labels, version="v")[0] == "skipped"


class CountingTagger:
    """The real tagger, with a note of every text it was given."""

    def __init__(self):
        self.tagger = get_tagger()
        self.version = self.tagger.version
        self.texts = []

    def tag_many(self, texts, batch_size):
        self.texts += texts
        return self.tagger.tag_many(texts, batch_size=batch_size)


def test_duplicates_are_found_before_tagging_so_a_story_is_tagged_once(source, other_source):
    store_entries(other_source, [ROYAL_MAIL])
    capita = normalised(
        guid="iw-capita",
        title="Capita confirms data was taken",
        summary_text="Attackers accessed part of its server estate.",
        link="https://incident-watch.example/2023/04/capita",
    )
    capita_again = replace(capita, guid="iw-capita-update", title="Capita: more detail")
    royal_mail_here = replace(ROYAL_MAIL, guid="iw-rm-2", title="Royal Mail, told again")
    tagger = CountingTagger()

    counts = store_entries(source, [capita, capita_again, royal_mail_here], tagger=tagger)

    assert tagger.texts == [f"{capita.title}\n\n{capita.summary_text}"]
    assert (counts.new, counts.updated) == (1, 2)
    assert Incident.objects.count() == 2
    stored = Incident.objects.get(canonical_url=capita.link)
    assert stored.title == capita.title, "the first telling keeps its words"
    assert stored.risk_types.filter(slug="data-breach").exists()
    assert stored.source_links.count() == 2


def test_an_unchanged_entry_is_never_tagged(source):
    store_entries(source, [ROYAL_MAIL])
    tagger = CountingTagger()
    assert store_entries(source, [ROYAL_MAIL], tagger=tagger).skipped == 1
    assert tagger.texts == []


def test_normalisation_decides_guid_and_url_lengths_and_the_columns_hold_them(source):
    assert IncidentSource._meta.get_field("guid").max_length == GUID_LIMIT
    assert Incident._meta.get_field("canonical_url").max_length >= URL_LIMIT
    assert Incident._meta.get_field("title").max_length >= TITLE_LIMIT
    link = "https://news.example/" + "a" * 1900
    raw = {"id": "g" * (GUID_LIMIT + 1), "title": "Long ids", "link": link}
    entry = normalise_entry(raw, fetched_at=PUBLISHED, base_url="")
    assert entry.guid.startswith("sha256:"), "too long to keep: replaced, never cut"
    assert entry.link == link
    assert store_entries(source, [entry]).new == 1
    stored = IncidentSource.objects.get()
    assert (stored.guid, stored.link, stored.incident.canonical_url) == (entry.guid, link, link)
    assert store_entries(source, [entry]).skipped == 1
