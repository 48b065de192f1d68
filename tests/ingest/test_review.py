"""An editor works the review queue in the Wagtail admin: filters it, confirms and dismisses
in bulk, corrects tags (and a re-tag keeps the correction), promotes an incident to a draft
story, and looks after the feed sources."""

import html
import re

from django.core.management import call_command
from django.urls import reverse

from articles.models import ArticlePage
from cirsite.base.models import RiskType, Sector
from ingest.models import FeedSource, Incident, IncidentRiskType, IncidentSector
from ingest.pipeline.polling import ingest_file, poll_sources
from tests.ingest.conftest import FEEDS, QUEUE
from tests.ingest.local_servers import redirect, respond


def listed_titles(response):
    found = re.findall(r'<span id="snippet_\d+_title">([^<]+)</span>', response.text)
    return {html.unescape(title) for title in found}


def test_the_queue_lists_incidents_with_their_tags(admin, ingested):
    response = admin.get(QUEUE)
    assert response.status_code == 200
    assert "Royal Mail suspends international exports after cyber incident" in listed_titles(
        response
    )
    assert "Ransomware" in response.text
    assert "Incident Watch" in response.text


def test_the_queue_filters_by_status_sector_risk_type_source_and_date(admin, ingested):
    healthcare = Sector.objects.get(slug="healthcare")
    physical = RiskType.objects.get(slug="physical-loss")
    council = FeedSource.objects.get(name="Council Notices")
    Incident.objects.filter(title__startswith="Police").update(status="dismissed")

    by_sector = listed_titles(admin.get(f"{QUEUE}?sector={healthcare.pk}"))
    assert "NHS 111 software supplier Advanced hit by ransomware" in by_sector
    assert not any(title.startswith("Royal Mail") for title in by_sector)

    by_risk = listed_titles(admin.get(f"{QUEUE}?risk_type={physical.pk}"))
    assert by_risk == {"Laptop with residents' records stolen from officer's car"}

    by_source = listed_titles(admin.get(f"{QUEUE}?source={council.pk}"))
    assert len(by_source) == 2

    assert listed_titles(admin.get(f"{QUEUE}?status=dismissed")) == {
        "Police service publishes staff details in response to information request"
    }
    in_2023_q1 = listed_titles(
        admin.get(f"{QUEUE}?published_at_from=2023-01-01&published_at_to=2023-03-31")
    )
    assert "Royal Mail suspends international exports after cyber incident" in in_2023_q1
    assert not any(title.startswith("British Library") for title in in_2023_q1)


def bulk(admin, action, incidents):
    ids = "&".join(f"id={incident.pk}" for incident in incidents)
    url = f"/admin/bulk/ingest/incident/{action}/?next={QUEUE}&{ids}"
    page = admin.get(url)
    assert page.status_code == 200
    return admin.post(url)


def test_bulk_confirm_confirms_incidents_and_their_tags(admin, ingested):
    chosen = [ingested["Royal"], ingested["Capita"]]
    response = bulk(admin, "confirm", chosen)
    assert response.status_code == 302
    for incident in chosen:
        incident.refresh_from_db()
        assert incident.status == "confirmed"
        assert all(link.editor_confirmed for link in incident.risk_type_links.all())
    assert ingested["British"].status == "new"


def test_bulk_dismiss_takes_incidents_off_the_public_tracker(admin, ingested, client):
    from django.test import Client

    reader = Client()
    for _ in range(2):  # the second view is the one a page cache keeps
        assert "Royal Mail" in reader.get("/incidents/").text
    bulk(admin, "dismiss", [ingested["Royal"]])
    ingested["Royal"].refresh_from_db()
    assert ingested["Royal"].status == "dismissed"
    assert ingested["Royal"] not in Incident.objects.public()
    assert "Royal Mail" not in reader.get("/incidents/").text


def test_the_edit_view_shows_the_evidence_for_each_tag(admin, ingested):
    advanced = ingested["NHS"]
    response = admin.get(reverse("wagtailsnippets_ingest_incident:edit", args=[advanced.pk]))
    assert response.status_code == 200
    ransomware = advanced.risk_type_links.get(risk_type__slug="ransomware")
    assert ransomware.evidence, "the tagger said why"
    assert f"“{ransomware.evidence[0]['text']}”" in response.text
    assert "Promote to story" in response.text


def test_a_tag_correction_survives_a_retag(admin, ingested):
    laptop = ingested["Laptop"]
    wrong = set(laptop.risk_types.values_list("slug", flat=True)) - {"physical-loss"}
    assert wrong, "the tagger gave the laptop theft a label an editor will remove"
    public_sector = Sector.objects.get(slug="public-sector")
    physical = RiskType.objects.get(slug="physical-loss")
    data_breach = RiskType.objects.get(slug="data-breach")
    response = admin.post(
        reverse("wagtailsnippets_ingest_incident:edit", args=[laptop.pk]),
        {
            "title": laptop.title,
            "status": "confirmed",
            "sector_labels": [public_sector.pk],
            "risk_type_labels": [physical.pk, data_breach.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    laptop.refresh_from_db()
    assert laptop.tags_edited_by_editor
    assert laptop.status == "confirmed"
    corrected = (
        set(laptop.sectors.values_list("slug", flat=True)),
        set(laptop.risk_types.values_list("slug", flat=True)),
    )
    assert corrected == ({"public-sector"}, {"physical-loss", "data-breach"})

    call_command("retag", stdout=open("/dev/null", "w"))  # noqa: SIM115
    laptop.refresh_from_db()
    assert (
        set(laptop.sectors.values_list("slug", flat=True)),
        set(laptop.risk_types.values_list("slug", flat=True)),
    ) == corrected


def test_a_retag_keeps_labels_an_editor_confirmed_and_reports_changes(ingested, capsys):
    royal_mail = ingested["Royal"]
    # An editor confirmed a label the tagger would not give today.
    espionage = RiskType.objects.get(slug="espionage")
    IncidentRiskType.objects.create(incident=royal_mail, risk_type=espionage, editor_confirmed=True)
    # And a stale tagger label the current vocabulary no longer supports.
    education = Sector.objects.get(slug="education")
    IncidentSector.objects.create(incident=royal_mail, sector=education)

    call_command("retag")
    output = capsys.readouterr().out
    assert re.search(r"Re-tagged \d+ incidents: 1 tags changed on 1 incidents", output), output
    slugs = set(royal_mail.risk_types.values_list("slug", flat=True))
    assert "espionage" in slugs
    assert not royal_mail.sectors.filter(slug="education").exists()


def test_promote_creates_a_draft_story_and_opens_it_in_the_editor(admin, ingested, news):
    capita = ingested["Capita"]
    url = reverse("wagtailsnippets_ingest_incident:promote", args=[capita.pk])
    assert "Create a draft story" in admin.get(url).text
    response = admin.post(url)
    story = ArticlePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert story.live is False
    assert story.get_parent().specific == news
    assert story.title == capita.title
    assert story.standfirst.startswith("The outsourcing company Capita said attackers")
    assert len(story.standfirst) <= 300
    assert story.source_url == capita.canonical_url
    body = str(story.body)
    assert f'href="{capita.canonical_url}"' in body and "Incident Watch" in body
    assert set(story.sectors.all()) == set(capita.sectors.all())
    assert set(story.risk_types.all()) == set(capita.risk_types.all())
    capita.refresh_from_db()
    assert (capita.status, capita.promoted_to_id) == ("promoted", story.pk)
    editor = admin.get(response["Location"])
    assert editor.status_code == 200
    # Promoting again opens the same story rather than making a second one.
    admin.post(url)
    assert ArticlePage.objects.count() == 1


def test_promote_without_a_news_section_says_what_to_do(admin, ingested):
    capita = ingested["Capita"]
    response = admin.post(
        reverse("wagtailsnippets_ingest_incident:promote", args=[capita.pk]), follow=True
    )
    assert "Create a news section page first" in response.text
    assert ArticlePage.objects.count() == 0


SOURCES = "/admin/ingest/sources/"


def test_the_sources_listing_shows_which_are_failing(admin, feed_server):
    feed_server.add("/good", respond((FEEDS / "incident-watch.rss").read_bytes()))
    feed_server.add("/bad", respond(b"no", status=500, content_type="text/plain"))
    good = FeedSource.objects.create(name="Good feed", feed_url=feed_server.url("/good"))
    bad = FeedSource.objects.create(name="Bad feed", feed_url=feed_server.url("/bad"))
    poll_sources([good, bad])
    response = admin.get(SOURCES)
    assert response.status_code == 200
    row = re.search(r"Bad feed.*?</tr>", response.text, re.S).group(0)
    assert "Failing (1×)" in row
    assert "500" in row
    good_row = re.search(r"Good feed.*?</tr>", response.text, re.S).group(0)
    assert "Healthy" in good_row and "Fetch now" in good_row


def test_fetch_now_fetches_the_source(admin, feed_server):
    feed_server.add("/good", respond((FEEDS / "incident-watch.rss").read_bytes()))
    source = FeedSource.objects.create(name="Good feed", feed_url=feed_server.url("/good"))
    url = reverse("wagtailsnippets_ingest_feedsource:fetch", args=[source.pk])
    assert admin.get(url).status_code == 200
    response = admin.post(url, follow=True)
    assert "Good feed: ok, 5 new" in response.text
    assert Incident.objects.count() == 5


def test_an_editor_confirms_the_address_a_feed_moved_to(admin, feed_server):
    feed_server.add("/old", redirect("/new", status=308))
    feed_server.add("/new", respond((FEEDS / "incident-watch.rss").read_bytes()))
    source = FeedSource.objects.create(name="Moving feed", feed_url=feed_server.url("/old"))
    poll_sources([source])
    assert "Confirm new address" in admin.get(SOURCES).text
    url = reverse("wagtailsnippets_ingest_feedsource:confirm_redirect", args=[source.pk])
    assert feed_server.url("/new") in admin.get(url).text
    admin.post(url)
    source.refresh_from_db()
    assert (source.feed_url, source.redirect_to) == (feed_server.url("/new"), "")


def test_the_source_form_refuses_an_internal_address(admin):
    response = admin.post(
        reverse("wagtailsnippets_ingest_feedsource:add"),
        {"name": "Metadata", "feed_url": "http://169.254.169.254/latest/", "poll_interval": 60},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["feed_url"]
    assert not FeedSource.objects.exists()


def test_a_source_shows_its_health_where_an_editor_edits_it(admin, feed_server):
    feed_server.add("/bad", respond(b"no", status=503, content_type="text/plain"))
    source = FeedSource.objects.create(name="Bad feed", feed_url=feed_server.url("/bad"))
    poll_sources([source])
    source.refresh_from_db()
    response = admin.get(reverse("wagtailsnippets_ingest_feedsource:edit", args=[source.pk]))
    assert response.status_code == 200
    assert html.escape(source.last_error) in response.text
    assert "1 failure in a row" in response.text
    assert "HTTP 503" in response.text


def test_the_queue_shows_each_tags_evidence_and_runs_constant_queries(
    admin, db, steady_generations
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ingest_file(FEEDS / "no-guids.rss")
    admin.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        response = admin.get(QUEUE)
    laptop = Incident.objects.get(title__startswith="Laptop")
    physical = laptop.risk_type_links.get(risk_type__slug="physical-loss")
    assert f'<span title="Evidence: {html.escape(physical.evidence_texts[0])}' in response.text
    ingest_file(FEEDS / "incident-watch.rss")
    ingest_file(FEEDS / "resilience-wire.atom")
    with CaptureQueriesContext(connection) as many:
        admin.get(QUEUE)
    assert len(many) == len(few)
