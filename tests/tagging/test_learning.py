"""The tagger learns from labelled examples: an imported archive, and what editors label."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ingest.tagging.combined import Policy, combine
from ingest.tagging.engine import Evidence, LabelMatch, TagResult
from ingest.tagging.models import LabelledExample, TaggerModel

ARCHIVE = Path(__file__).resolve().parent.parent / "fixtures" / "tagging_learn_archive.jsonl"
NEW_ITEM = {"id": "n1", "title": "", "text": "A tannery in Hull says its order system is down."}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("tag", *args, stdout=out, stderr=err)
        failed = None
    except CommandError as error:
        failed = str(error)
    return out.getvalue(), err.getvalue(), failed


def tag_lines(tmp_path, *records):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    out, err, failed = run("--jsonl", str(path))
    assert failed is None, err
    return [json.loads(line) for line in out.splitlines()]


def test_learning_an_archive_reports_bad_lines_stores_the_rest_and_retrains(db, tmp_path):
    [before] = tag_lines(tmp_path, NEW_ITEM)
    assert before["sectors"] == []  # no rule knows a tannery

    out, err, failed = run("--learn", str(ARCHIVE))

    assert failed == "5 line(s) were not imported; the rest were"
    assert "line 11: not valid JSON" in err
    assert "line 12: unknown sectors: leather-goods" in err
    assert 'line 27: needs a "text"' in err
    assert "line 28: the id 'arch-001' is already on line 1" in err
    assert 'line 29: "risk_types" must be a list of slugs' in err
    assert "24 example(s) read: 24 new" in out
    keys = set(LabelledExample.objects.values_list("key", flat=True))
    assert len(keys) == 24 and "import:arch-bad-2" not in keys
    assert (
        LabelledExample.objects.get(key="import:arch-001").title
        == "Walsall tannery reports incident"
    )
    model = TaggerModel.objects.get()
    assert model.labelled_examples == 24 and model.seed_examples >= 750

    [after] = tag_lines(tmp_path, NEW_ITEM)
    assert after["sectors"] == ["manufacturing"]  # the model brings what no rule names
    [why] = after["evidence"]["manufacturing"]
    assert why["rule"].startswith("learned model") and why["field"] == "model"
    # ... and shows the editor the reviewed examples it learned it from.
    assert why["similar"] and all("tannery" in item["title"] for item in why["similar"])
    assert "outage" in after["risk_types"]  # the rules' evidence still stands beside it
    assert after["evidence"]["outage"][0]["text"]

    from ingest.tagging import get_tagger
    from ingest.tagging.versions import readable_version

    # Incidents store which rules and model tagged them; editors read it dated and numbered.
    assert get_tagger().version.endswith(f"+m{model.number}")
    assert readable_version(get_tagger().version).startswith("Tagger of ")

    # The same file again changes nothing: no example, no new model.
    stamps = dict(LabelledExample.objects.values_list("key", "updated_at"))
    out, err, failed = run("--learn", str(ARCHIVE))
    assert "0 new, 0 changed, 24 already known" in out
    assert "Nothing new to learn" in out
    assert dict(LabelledExample.objects.values_list("key", "updated_at")) == stamps
    assert TaggerModel.objects.count() == 1


def test_an_empty_text_among_others_gets_probabilities_too():
    from ingest.tagging.learning import LabelledText, TextModel

    labels = ["sector:education", "risk:ransomware"]
    model = TextModel.train(
        [
            LabelledText("ransomware hit a school", ("education",), ("ransomware",)),
            LabelledText("a university was hit by ransomware", ("education",), ("ransomware",)),
            LabelledText("a bakery changed its opening hours", (), ()),
        ],
        labels,
        epochs=2,
    )

    texts = ["Ransomware at a school", "", "a bakery", ""]
    batched = model.probabilities(texts)

    assert [set(p) for p in batched] == [set(labels)] * 4
    assert batched == [model.probabilities([text])[0] for text in texts]


def test_a_file_that_cannot_be_read_is_an_error(db, tmp_path):
    _out, _err, failed = run("--learn", str(tmp_path / "missing.jsonl"))

    assert failed.startswith("cannot read")
    assert not LabelledExample.objects.exists()
    assert not TaggerModel.objects.exists()


def test_enough_new_examples_retrain_in_the_background(db, django_capture_on_commit_callbacks):
    from ingest.tagging.tasks import retrain_when_due
    from ingest.tagging.training import RETRAIN_AFTER, save_examples

    records = [
        {
            "id": str(n),
            "title": "",
            "text": f"Cooperage number {n} lost its files to ransomware.",
            "sectors": ["manufacturing"],
            "risk_types": ["ransomware"],
        }
        for n in range(RETRAIN_AFTER - 1)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        save_examples(records, "import")
        retrain_when_due()
    assert not TaggerModel.objects.exists()  # one short

    records.append({**records[0], "id": "last"})
    with django_capture_on_commit_callbacks(execute=True):
        save_examples(records, "import")
        retrain_when_due()
    assert TaggerModel.objects.get().labelled_examples == RETRAIN_AFTER


def rule(slug, score=0.8):
    return LabelMatch(slug, score, [Evidence(slug, 0, len(slug), "keyword")])


ORDERS = {
    "sector": {"healthcare": 0, "education": 1, "manufacturing": 2},
    "risk": {"ransomware": 0, "physical-loss": 1, "outage": 2},
}


@pytest.mark.parametrize(
    ("rules", "probabilities", "sectors", "risks"),
    [
        # A rule's label the model is all but certain against is dropped...
        (
            TagResult(risk_types=[rule("physical-loss"), rule("outage")]),
            {"risk:physical-loss": 0.0002, "risk:outage": 0.9},
            [],
            ["outage"],
        ),
        # ... a label it merely doubts stands (its confidence, below the public minimum,
        # keeps it off the tracker until an editor looks)...
        (
            TagResult(risk_types=[rule("physical-loss")]),
            {"risk:physical-loss": 0.003},
            [],
            ["physical-loss"],
        ),
        # ... and so does one the model saw too few examples of to judge.
        (
            TagResult(risk_types=[rule("ransomware")]),
            {"risk:ransomware": 0.0002},
            [],
            ["ransomware"],
        ),
        # The model adds a risk no rule found only when sure; never a second sector.
        (
            TagResult(sectors=[rule("education")]),
            {"risk:outage": 0.95, "risk:physical-loss": 0.85, "sector:healthcare": 0.99},
            ["education"],
            ["outage"],
        ),
        # Its best sector stands in for the rules' only when it is nearly certain.
        (
            TagResult(),
            {"sector:healthcare": 0.2, "sector:manufacturing": 0.97},
            ["manufacturing"],
            [],
        ),
        (TagResult(), {"sector:manufacturing": 0.9, "risk:outage": 0.85}, [], []),
    ],
)
def test_the_combination_policy(rules, probabilities, sectors, risks):
    support = {"risk:physical-loss": 40, "risk:outage": 40, "risk:ransomware": 5}

    result = combine(rules, probabilities, support, Policy(), ORDERS)

    assert result.sector_slugs == sectors
    assert result.risk_type_slugs == risks
    for match in result.sectors + result.risk_types:
        assert match.evidence and 0 < match.score <= 1
    doubted = [m for m in result.risk_types if probabilities.get(f"risk:{m.slug}", 1) < 0.01]
    assert all(m.score < 0.96 for m in doubted)


def test_a_label_of_its_own_overrides_the_shared_thresholds():
    """How bench/tagging.py --fit tries per-label exceptions: this one lets the model
    neither add malware on its own nor remove a malware label a rule found."""
    support = {"risk:malware": 80, "risk:outage": 80}
    orders = {"sector": {}, "risk": {"malware": 0, "outage": 1}}
    policy = Policy(
        risk_add_from_by_label={"risk:malware": 1.01},
        risk_veto_below_by_label={"risk:malware": 0.0},
    )
    sure = {"risk:malware": 0.99, "risk:outage": 0.99}

    added = combine(TagResult(), sure, support, policy, orders)
    kept = combine(
        TagResult(risk_types=[rule("malware")]), {"risk:malware": 0.0001}, support, policy, orders
    )
    shared = combine(
        TagResult(risk_types=[rule("malware")]), {"risk:malware": 0.0001}, support, Policy(), orders
    )

    assert added.risk_type_slugs == ["outage"]
    assert kept.risk_type_slugs == ["malware"]
    assert shared.risk_type_slugs == []


def test_collect_turns_what_editors_labelled_into_examples(site_root):
    """A confirmed incident, a corrected one and a tagged story are examples; an incident no
    editor has looked at is not."""
    from django.utils import timezone

    from cirsite.base.models import RiskType, Sector
    from ingest.models import Incident
    from tests.articles.stories import ensure_news_index, publish_story

    def incident(title, **fields):
        item = Incident.objects.create(title=title, summary=title, published_at=timezone.now())
        item.sectors.add(Sector.objects.get(slug="manufacturing"))
        item.risk_types.add(RiskType.objects.get(slug="ransomware"))
        Incident.objects.filter(pk=item.pk).update(**fields)
        return item

    confirmed = incident("Cooperage hit by ransomware", status=Incident.Status.CONFIRMED)
    corrected = incident("Tannery files encrypted", tags_edited_by_editor=True)
    unseen = incident("Sawmill reports an attack")
    story = publish_story(
        ensure_news_index(site_root),
        "Barrel makers count the cost",
        standfirst="Ransomware stopped two cooperages for a week.",
        sectors=["manufacturing"],
        risk_types=["ransomware", "outage"],
    )

    out, _err, failed = run("--collect")

    assert failed is None
    examples = {e.key: e for e in LabelledExample.objects.all()}
    assert set(examples) == {
        f"incident:{confirmed.pk}",
        f"incident:{corrected.pk}",
        f"story:{story.pk}",
    }
    assert f"incident:{unseen.pk}" not in examples
    assert examples[f"story:{story.pk}"].risk_types == ["ransomware", "outage"]
    assert examples[f"story:{story.pk}"].text == "Ransomware stopped two cooperages for a week."
    assert "Trained model 1" in out  # the first examples train the first model

    out, _err, _failed = run("--collect")  # again: nothing new, no retraining
    assert "incident: 0 new, 0 changed, 2 already known" in out
    assert TaggerModel.objects.count() == 1
