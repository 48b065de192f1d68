"""The line markers editors use in a term's vocabulary do what the admin's help text says."""

import pytest

from ingest.tagging.engine import Tagger, Term, Vocabulary


@pytest.fixture(scope="module")
def small_tagger():
    sectors = (
        Term("retail-hospitality", ('"stores"', "hotel"), ("Target",)),
        Term("financial-services", ("bank", "-bank holiday"), ()),
        Term("technology-media-telecoms", ("?software",), ("?Microsoft",)),
    )
    risk_types = (
        Term("espionage", ("APT",), ()),
        Term("phishing", ("?posing as", "?help desk"), ()),
    )
    return Tagger(Vocabulary(sectors=sectors, risk_types=risk_types))


def test_a_quoted_keyword_matches_only_that_word_form(small_tagger):
    assert small_tagger.tag("The chain closed 40 stores.").sector_slugs == ["retail-hospitality"]
    assert small_tagger.tag("The firm stored data in the cloud.").sector_slugs == []


def test_an_exclusion_cancels_matches_inside_its_phrase(small_tagger):
    assert small_tagger.tag("Systems failed over the bank holiday.").sector_slugs == []
    assert small_tagger.tag("A bank was hit.").sector_slugs == ["financial-services"]


def test_a_weak_sector_counts_only_when_nothing_else_names_the_victim(small_tagger):
    alone = small_tagger.tag("A software firm was breached.")
    beside_a_hotel = small_tagger.tag("A hotel's booking software was breached.")

    assert alone.sector_slugs == ["technology-media-telecoms"]
    assert beside_a_hotel.sector_slugs == ["retail-hospitality"]
    assert small_tagger.tag("A Microsoft flaw at a hotel.").sector_slugs == ["retail-hospitality"]


def test_a_weak_risk_phrase_needs_a_second_hint(small_tagger):
    one = small_tagger.tag("Someone posing as a courier rang reception.")
    two = small_tagger.tag("A caller posing as an employee rang the help desk.")

    assert one.risk_type_slugs == []
    assert two.risk_type_slugs == ["phishing"]


def test_capitals_only_keywords_and_organisations_respect_case(small_tagger):
    assert small_tagger.tag("An APT group was blamed.").risk_type_slugs == ["espionage"]
    assert small_tagger.tag("An apt description of the attack.").risk_type_slugs == []
    assert small_tagger.tag("Target stores were hit.").sector_slugs == ["retail-hospitality"]
    assert small_tagger.tag("Attackers targeted the firm.").sector_slugs == []
