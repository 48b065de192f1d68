"""The tagger reads an incident the way DESIGN.md's definitions do, says why, and follows
the vocabulary editors keep in the admin."""

from cirsite.base.models import RiskType, Sector

NHS_111 = (
    "NHS 111 service software hit by cyberattack. Advanced, the managed-services provider "
    "that runs the Adastra patient-management system for 111 call handlers, was hit by "
    "ransomware and isolated its health and care environments; 111 ran on contingency "
    "plans for days."
)


def test_the_design_briefs_nhs_111_story_gets_its_four_labels(tagger):
    result = tagger.tag(NHS_111)

    assert result.sector_slugs == ["healthcare"]
    risks = set(result.risk_type_slugs)
    assert risks & {"ransomware", "malware"}
    assert {"supply-chain", "outage"} <= risks
    for match in result.sectors + result.risk_types:
        assert match.evidence, f"{match.slug} has no evidence"
        assert 0 < match.score <= 1


def test_every_piece_of_evidence_points_at_the_text_it_quotes(tagger):
    result = tagger.tag(NHS_111)

    for match in result.sectors + result.risk_types:
        for evidence in match.evidence:
            assert NHS_111[evidence.start : evidence.end] == evidence.text
            assert evidence.rule
    ransomware = next(m for m in result.risk_types if m.slug == "ransomware")
    assert [e.text for e in ransomware.evidence] == ["ransomware"]
    assert ransomware.evidence[0].start == NHS_111.index("ransomware")


def test_a_denial_is_not_a_breach(tagger):
    denied = tagger.tag("The council said there was no evidence of a data breach.")
    reported = tagger.tag("The council reported a data breach affecting residents.")
    denied_by_name = tagger.tag("The bank denied any data breach after the outage.")

    assert "data-breach" not in denied.risk_type_slugs
    assert "data-breach" in reported.risk_type_slugs
    assert "data-breach" not in denied_by_name.risk_type_slugs
    assert "outage" in denied_by_name.risk_type_slugs  # the denial covers only its clause


def test_a_denial_inside_a_pair_still_counts_but_a_cant_is_an_outage(tagger):
    not_compromised = tagger.tag("The bank said customers' accounts were not compromised.")
    could_not_print = tagger.tag("The publisher could not print its titles for days.")
    unaffected = tagger.tag("Email systems remained unaffected by the DDoS.")

    assert "account-compromise" not in not_compromised.risk_type_slugs
    assert "outage" in could_not_print.risk_type_slugs
    assert "ddos" in unaffected.risk_type_slugs  # unaffected by it: it still happened


def test_terse_records_are_read_by_context(tagger):
    laptop = tagger.tag("Laptop with patient records stolen from a nurse's car")
    payroll = tagger.tag("Payroll file emailed to the wrong recipient")
    supplier = tagger.tag(
        "Schools lost access to their management information system after ransomware hit "
        "the software supplier that hosts it."
    )
    down = tagger.tag("Council phone lines and website down; staff working on paper.")

    assert laptop.sector_slugs == ["healthcare"]
    assert "physical-loss" in laptop.risk_type_slugs
    assert "insider-threat" not in laptop.risk_type_slugs  # the nurse lost it, not misused it
    assert "human-error" in payroll.risk_type_slugs
    assert {"ransomware", "supply-chain", "outage"} <= set(supplier.risk_type_slugs)
    assert supplier.sector_slugs == ["education"]
    assert "outage" in down.risk_type_slugs


def test_the_lead_sentence_names_the_victim_and_background_industries_do_not_count(tagger):
    story = tagger.tag(
        "A London law firm has been hit by ransomware. Last month a hospital and a bank were "
        "attacked by the same gang."
    )
    no_victim_in_lead = tagger.tag(
        "Ransomware gang claims another attack. The victim is a regional hospital."
    )

    assert story.sector_slugs == ["professional-services"]
    assert no_victim_in_lead.sector_slugs == ["healthcare"]


def test_an_exclusion_keeps_a_phrase_from_counting(tagger):
    result = tagger.tag("Payroll systems at the council failed over the bank holiday weekend.")

    assert "financial-services" not in result.sector_slugs
    assert "public-sector" in result.sector_slugs


def test_organisations_and_places_are_named(tagger):
    result = tagger.tag("Hackney Council in London and Royal Mail were hit by ransomware.")

    assert "Hackney Council" in result.organisations
    assert "Royal Mail" in result.organisations
    assert "London" in result.places


def test_a_place_inside_an_organisations_name_is_not_a_place_of_its_own(tagger):
    result = tagger.tag(
        "Transport for London and Bank of Ireland were hit by ransomware; London buses ran."
    )

    assert result.organisations == ["Transport for London", "Bank of Ireland"]
    # Only the London that stands on its own; "Ireland" is part of the bank's name.
    assert result.places == ["London"]


def test_tag_many_agrees_with_tag(tagger, gold_rows):
    texts = [row["text"] for row in gold_rows[:40]] + ["", "   "]

    batched = tagger.tag_many(texts, batch_size=7)

    assert [r.as_dict() for r in batched] == [tagger.tag(t).as_dict() for t in texts]
    assert batched[-1].sector_slugs == [] and batched[-1].risk_type_slugs == []


def test_editing_the_vocabulary_changes_what_the_tagger_finds(db):
    from ingest.tagging import get_tagger

    text = "Staff at the brewery were caught out by a quishwhale lure sent to their phones."
    before = get_tagger()
    assert "quishwhale" not in str(before.tag(text).as_dict())
    assert "manufacturing" in before.tag(text).sector_slugs

    phishing = RiskType.objects.get(slug="phishing")
    phishing.keywords += "\nquishwhale\n"
    phishing.save()
    manufacturing = Sector.objects.get(slug="manufacturing")
    manufacturing.keywords += "\n-brewery\n"
    manufacturing.save()

    after = get_tagger()
    result = after.tag(text)
    assert after is not before and after.version != before.version
    phishing_match = next(m for m in result.risk_types if m.slug == "phishing")
    assert "quishwhale" in [e.text for e in phishing_match.evidence]
    assert "manufacturing" not in result.sector_slugs
    assert get_tagger() is after  # nothing changed since: no rebuild
    phishing.save()  # saved again without a change: the same pipeline serves
    assert get_tagger() is after


def test_as_dict_is_plain_data(tagger):
    import json

    data = tagger.tag(NHS_111).as_dict()

    assert json.loads(json.dumps(data)) == data
    assert {"sectors", "risk_types", "organisations", "places"} <= set(data)
    assert data["sectors"][0]["slug"] == "healthcare"
    assert {"text", "start", "end", "rule"} == set(data["sectors"][0]["evidence"][0])


def micro_f1(rows, predictions, field):
    tp = fp = fn = 0
    for row, guess in zip(rows, predictions, strict=True):
        gold, guess = set(row[field]), set(guess)
        tp += len(gold & guess)
        fp += len(guess - gold)
        fn += len(gold - guess)
    return 2 * tp / (2 * tp + fp + fn)


def test_quality_on_the_development_split_stays_above_its_floor(tagger, gold_rows):
    dev = [row for row in gold_rows if row["split"] == "dev"]
    results = tagger.tag_many([row["text"] for row in dev])

    sectors = micro_f1(dev, [r.sector_slugs for r in results], "sectors")
    risks = micro_f1(dev, [r.risk_type_slugs for r in results], "risk_types")

    assert sectors >= 0.93, sectors
    assert risks >= 0.90, risks


def test_the_gold_set_covers_every_label(gold_rows, db):
    from collections import Counter

    counts = Counter(label for row in gold_rows for label in row["sectors"] + row["risk_types"])
    labels = list(Sector.objects.values_list("slug", flat=True)) + list(
        RiskType.objects.values_list("slug", flat=True)
    )

    assert len(gold_rows) >= 200
    assert {label: counts[label] for label in labels if counts[label] < 10} == {}
    assert set(counts) <= set(labels)
    heldout = sum(row["split"] == "heldout" for row in gold_rows)
    assert heldout * 4 >= len(gold_rows) - 3


def test_a_missing_full_model_falls_back_to_the_blank_pipeline(db, settings, caplog):
    from ingest.tagging import get_tagger

    settings.TAGGER_SPACY_MODEL = "en_cirsite_model_that_is_not_installed"

    result = get_tagger().tag("Ransomware hit the council.")

    assert result.risk_type_slugs == ["ransomware"]
    assert "is not installed" in caplog.text


def test_loading_the_site_and_its_admin_hooks_does_not_load_spacy():
    """Readers' requests never pay for spaCy: nothing on the URL or hook path imports it."""
    import subprocess
    import sys

    probe = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "from wagtail import hooks; hooks.get_hooks('register_admin_urls'); "
        "import ingest.wagtail_hooks, ingest.tagging.admin, ingest.tagging.vocabulary; "
        "print('spacy' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )

    assert output.stdout.strip() == "False"


def test_every_process_computes_the_same_rules_version():
    """Web, worker and retag processes must agree on the version, whatever their hash seed,
    or retag would take every incident for stale."""
    import os
    import subprocess
    import sys

    probe = "from ingest.tagging.engine import RULES_DIGEST; print(RULES_DIGEST)"
    digests = {
        subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }

    assert len(digests) == 1
