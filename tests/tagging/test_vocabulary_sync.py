"""The shipped vocabulary reaches every database through ``migrate``, and what editors wrote
stays theirs."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from cirsite.base.models import RiskType, Sector
from ingest.tagging.shipped import merge_lines, shipped_vocabulary

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PREVIOUS_RELEASE = FIXTURES / "vocabulary_previous_release.json"
MODELS = {"sector": Sector, "risk": RiskType}


def rows():
    return [(kind, row) for kind, model in MODELS.items() for row in model.objects.all()]


def test_a_fresh_database_holds_exactly_the_shipped_vocabulary(db):
    shipped = shipped_vocabulary()

    assert len(rows()) == len(shipped["sector"]) + len(shipped["risk"]) == 23
    for kind, row in rows():
        term = shipped[kind][row.slug]
        assert row.keyword_list == list(term.keywords)
        assert row.organisation_list == list(term.organisations)


def test_migrate_brings_the_previous_release_up_to_date_and_keeps_the_editors_words(db):
    """A site seeded by the old migration at an earlier release, whose editors then added a
    keyword and rewrote one, runs ``migrate`` after upgrading."""
    previous = json.loads(PREVIOUS_RELEASE.read_text(encoding="utf-8"))
    for kind, row in rows():
        old = previous[kind][row.slug]
        row.keywords, row.organisations = old["keywords"], old["organisations"]
        row.shipped_keywords = row.shipped_organisations = None  # the old seed kept no copy
        row.save()
    law = Sector.objects.get(slug="professional-services")
    rewritten = [
        "law firms and chambers" if line == "law firm" else line for line in law.keyword_list
    ]
    law.keywords = "\n".join([*rewritten, "conveyancing practice"]) + "\n"
    law.save()
    shipped = shipped_vocabulary()
    retired_before = [
        line
        for kind, row in rows()
        for line in row.keyword_list
        if line in shipped[kind][row.slug].retired_keywords
    ]
    assert retired_before, "the previous release should hold lines this one retired"

    call_command("migrate", verbosity=0)

    for kind, row in rows():
        term = shipped[kind][row.slug]
        keywords = set(row.keyword_list)
        editors = {"law firms and chambers", "conveyancing practice"}
        if row.slug == "professional-services":
            assert editors <= keywords
            keywords -= editors
        assert keywords == set(term.keywords), row.slug
        assert set(row.organisation_list) == set(term.organisations), row.slug
        assert not keywords & set(term.retired_keywords)
    # The tagger reads the editor's words with the shipped ones.
    from ingest.tagging import get_tagger

    result = get_tagger().tag("A conveyancing practice in Leeds was hit by ransomware.")
    assert result.sector_slugs == ["professional-services"]


def test_a_later_release_adds_changes_and_retires_lines_but_an_editors_choices_stand(db):
    """The database was synced to the last release; since then an editor deleted a shipped
    keyword and added one, and this release changed two shipped lines."""
    shipped = shipped_vocabulary()["risk"]["human-error"]
    last_release = [line for line in shipped.keywords if line != "misdirected"]
    last_release.append("wrongly addressed envelope")  # retired since
    deleted_by_editor = shipped.keywords[0]
    row = RiskType.objects.get(slug="human-error")
    row.shipped_keywords = "\n".join(last_release) + "\n"
    row.keywords = (
        "\n".join(line for line in last_release if line != deleted_by_editor)
        + "\nput in the wrong envelope\n"
    )
    row.save()

    call_command("migrate", verbosity=0)
    row.refresh_from_db()
    assert "misdirected" in row.keyword_list  # new in this release
    assert "wrongly addressed envelope" not in row.keyword_list  # retired
    assert deleted_by_editor not in row.keyword_list  # the editor's deletion stands
    assert "put in the wrong envelope" in row.keyword_list  # the editor's line stays

    call_command("migrate", verbosity=0)  # a second run changes nothing
    again = RiskType.objects.get(slug="human-error")
    assert again.keywords == row.keywords
    assert again.updated_at == row.updated_at


@pytest.mark.parametrize(
    ("current", "base", "shipped", "expected"),
    [
        (["a", "b"], ["a", "b"], ["a", "x", "b"], ["a", "x", "b"]),  # added in place
        (["a", "b", "mine"], ["a", "b"], ["a"], ["a", "mine"]),  # retired, editor's kept
        (["b"], ["a", "b"], ["a", "b", "c"], ["b", "c"]),  # the editor's deletion stands
        (["a", "c"], ["a"], ["a", "c"], ["a", "c"]),  # editor had it first: no duplicate
        ([], None, ["a", "b"], ["a", "b"]),  # a fresh row
        (["a", "old", "mine"], None, ["a", "b"], ["a", "b", "mine"]),  # no base: old retired
    ],
)
def test_the_three_way_merge(current, base, shipped, expected):
    assert merge_lines(current, base, shipped, retired=["old"]) == expected
