"""An editor's decisions in the review queue teach the tagger: each incident confirmed,
corrected or promoted through the admin becomes one labelled example (a second decision
updates it), a story published with labels becomes one too, and once enough are new a
retraining is queued for the ingest worker. The queue offers promotion as its own button,
never as a bare status, and the dashboard says how many incidents wait."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import ArticlePage
from cirsite.base.models import RiskType, Sector
from ingest.models import Incident, LabelledExample, TaggerModel
from ingest.pipeline.polling import ingest_file
from ingest.tagging.examples import RETRAIN_AFTER
from tests.ingest.conftest import QUEUE

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def queued_tasks(settings):
    """The ingest tasks go to the database queue, as in production, instead of running in
    the request (the test default): a test sees what was queued, and runs it with the
    worker."""
    settings.TASKS = {
        **settings.TASKS,
        "ingest": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def bulk(admin, action, incidents):
    ids = "&".join(f"id={incident.pk}" for incident in incidents)
    url = f"/admin/bulk/ingest/incident/{action}/?next={QUEUE}&{ids}"
    assert admin.get(url).status_code == 200
    return admin.post(url)


def edit(admin, incident, *, status, sectors, risk_types):
    response = admin.post(
        reverse("wagtailsnippets_ingest_incident:edit", args=[incident.pk]),
        {
            "title": incident.title,
            "status": status,
            "sector_labels": [Sector.objects.get(slug=slug).pk for slug in sectors],
            "risk_type_labels": [RiskType.objects.get(slug=slug).pk for slug in risk_types],
        },
    )
    return response


def example_of(incident):
    return LabelledExample.objects.get(key=f"incident:{incident.pk}")


def test_confirming_in_the_queue_makes_one_example_per_incident(
    admin, ingested, django_capture_on_commit_callbacks
):
    royal, capita = ingested["Royal"], ingested["Capita"]
    with django_capture_on_commit_callbacks(execute=True):
        assert bulk(admin, "confirm", [royal, capita]).status_code == 302

    assert set(LabelledExample.objects.values_list("key", flat=True)) == {
        f"incident:{royal.pk}",
        f"incident:{capita.pk}",
    }
    example = example_of(royal)
    assert example.origin == "incident"
    assert example.title == royal.title
    assert example.text == royal.summary
    assert example.sectors == list(royal.sectors.values_list("slug", flat=True))
    assert example.risk_types == [
        risk.slug for risk in RiskType.objects.filter(incidents=royal).order_by("sort_order")
    ]
    # Confirming again is no new decision: nothing is added or changed.
    stamp = example.updated_at
    bulk(admin, "confirm", [royal])
    assert LabelledExample.objects.count() == 2
    assert example_of(royal).updated_at == stamp


def test_dismissing_or_leaving_an_incident_teaches_nothing(admin, ingested):
    bulk(admin, "dismiss", [ingested["Royal"]])
    assert not LabelledExample.objects.exists()


def test_a_second_correction_updates_the_incidents_example(admin, ingested):
    laptop = ingested["Laptop"]
    response = edit(
        admin, laptop, status="new", sectors=["public-sector"], risk_types=["physical-loss"]
    )
    assert response.status_code == 302
    assert example_of(laptop).risk_types == ["physical-loss"]

    edit(
        admin,
        laptop,
        status="confirmed",
        sectors=["public-sector"],
        risk_types=["data-breach", "physical-loss"],
    )

    assert LabelledExample.objects.count() == 1
    example = example_of(laptop)
    assert (example.sectors, set(example.risk_types)) == (
        ["public-sector"],
        {"data-breach", "physical-loss"},
    )


def test_promoting_an_incident_makes_its_labels_an_example(admin, ingested, news):
    capita = ingested["Capita"]
    admin.post(reverse("wagtailsnippets_ingest_incident:promote", args=[capita.pk]))
    assert example_of(capita).sectors == list(capita.sectors.values_list("slug", flat=True))


def test_enough_reviews_queue_a_retraining_that_the_worker_runs(
    transactional_db, admin, queued_tasks
):
    # Committed for real (transactional_db): the retraining is queued once the editor's
    # decisions are committed, and the worker, like a real one, reconnects between tasks.
    ingest_file(ROOT / "ingest" / "demo_feeds" / "breach-ledger.rss")
    incidents = list(Incident.objects.order_by("pk"))
    assert len(incidents) > RETRAIN_AFTER

    bulk(admin, "confirm", incidents[: RETRAIN_AFTER - 1])
    assert LabelledExample.objects.count() == RETRAIN_AFTER - 1
    assert not queued_tasks.exists(), "one example short of a retraining"

    bulk(admin, "confirm", incidents[RETRAIN_AFTER - 1 : RETRAIN_AFTER + 1])
    [queued] = queued_tasks.all()
    assert queued.task_path == "ingest.tagging.tasks.retrain_tagger"
    assert not TaggerModel.objects.exists(), "the editor's request does not train"

    call_command("db_worker", "--batch", "--backend", "ingest", "--no-startup-delay", verbosity=0)

    assert TaggerModel.objects.get().labelled_examples == RETRAIN_AFTER + 1


def test_a_story_an_editor_publishes_with_labels_is_an_example(editor, news):
    story = ArticlePage(
        title="Cooperage counts the cost of a week offline",
        slug="cooperage",
        standfirst="Ransomware stopped the barrel maker's kilns for a week.",
        live=False,
    )
    news.add_child(instance=story)
    story.sectors = [Sector.objects.get(slug="manufacturing")]
    story.risk_types = [RiskType.objects.get(slug="ransomware")]
    story.save_revision(user=editor).publish(user=editor)

    example = LabelledExample.objects.get(key=f"story:{story.pk}")
    assert example.text == story.standfirst
    assert (example.sectors, example.risk_types) == (["manufacturing"], ["ransomware"])

    # A page published by no one (the demo loader) teaches nothing.
    other = ArticlePage(title="Untouched", slug="untouched", standfirst="By a script.")
    news.add_child(instance=other)
    other.sectors = [Sector.objects.get(slug="education")]
    other.save_revision().publish()
    assert not LabelledExample.objects.filter(key=f"story:{other.pk}").exists()


def test_promoted_is_a_button_not_a_status_choice(admin, ingested):
    royal = ingested["Royal"]
    url = reverse("wagtailsnippets_ingest_incident:edit", args=[royal.pk])
    page = admin.get(url).text

    status = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    assert "Confirmed" in status and "Promoted" not in status
    promote_url = reverse("wagtailsnippets_ingest_incident:promote", args=[royal.pk])
    # In the header bar as a button of its own, not inside the "⋯" dropdown.
    assert re.search(rf'<a href="{promote_url}"[^>]*class="[^"]*w-header-button', page)

    response = edit(admin, royal, status="promoted", sectors=[], risk_types=[])
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    royal.refresh_from_db()
    assert royal.status == "new" and royal.promoted_to_id is None


def test_the_queue_offers_promote_beside_each_incident(admin, ingested):
    page = admin.get(QUEUE).text
    promote_url = reverse("wagtailsnippets_ingest_incident:promote", args=[ingested["Royal"].pk])
    link = re.search(rf'<a href="{promote_url}"[^>]*>', page).group(0)
    assert "button-small" in link  # a listing button, not an entry of the "⋯" menu


def test_a_promoted_incident_keeps_its_status_and_links_to_the_story(admin, ingested, news):
    capita = ingested["Capita"]
    admin.post(reverse("wagtailsnippets_ingest_incident:promote", args=[capita.pk]))
    page = admin.get(reverse("wagtailsnippets_ingest_incident:edit", args=[capita.pk])).text
    assert "Edit the story" in page
    status = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    assert re.search(r'value="promoted"[^>]*selected', status)


def test_the_dashboard_says_how_many_incidents_await_review(admin, ingested):
    Incident.objects.filter(pk=ingested["Royal"].pk).update(status="confirmed")
    waiting = Incident.objects.filter(status="new").count()

    page = admin.get("/admin/").text

    link = re.search(r'<a href="([^"]+)" data-awaiting-review="(\d+)">(.*?)</a>', page, re.S)
    assert link, "the dashboard has the review queue's count"
    assert int(link.group(2)) == waiting
    assert f"{waiting} incidents" in link.group(3)
    queue = admin.get(link.group(1).replace("&amp;", "&"))
    assert queue.status_code == 200
    assert "Royal Mail" not in queue.text
