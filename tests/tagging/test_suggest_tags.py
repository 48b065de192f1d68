"""Editors ask the tagger for suggestions from the story editor, and edit the vocabulary in
the admin; readers and strangers cannot do either."""

from django.urls import reverse

from cirsite.base.models import RiskType, Sector

STORY = (
    "Pathology services at two London hospital trusts were disrupted after ransomware hit "
    "Synnovis, their supplier; blood tests were postponed for weeks."
)


def test_an_editor_gets_suggested_slugs_ids_and_evidence(editor_client):
    response = editor_client.post(reverse("tagging_suggest_tags"), {"text": STORY})

    assert response.status_code == 200
    data = response.json()
    assert data["sectors"] == ["healthcare"]
    assert {"ransomware", "supply-chain", "outage"} <= set(data["risk_types"])
    assert data["sector_ids"] == [Sector.objects.get(slug="healthcare").pk]
    assert sorted(data["risk_type_ids"]) == sorted(
        RiskType.objects.filter(slug__in=data["risk_types"]).values_list("pk", flat=True)
    )
    evidence = data["evidence"]["ransomware"][0]
    assert STORY[evidence["start"] : evidence["end"]] == evidence["text"] == "ransomware"


def test_anonymous_visitors_are_refused(client, db):
    response = client.post(reverse("tagging_suggest_tags"), {"text": STORY})

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_only_posts_with_text_are_tagged(editor_client):
    url = reverse("tagging_suggest_tags")

    assert editor_client.get(url, {"text": STORY}).status_code == 405
    empty = editor_client.post(url, {"text": "   "})
    assert empty.status_code == 400
    assert "no text" in empty.json()["error"]
    too_long = editor_client.post(url, {"text": "x" * 200_001})
    assert too_long.status_code == 400


def test_the_suggestion_needs_the_csrf_token(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(reverse("tagging_suggest_tags"), {"text": STORY}).status_code == 403


def test_the_story_editor_offers_the_suggest_tags_button(editor_client, site_root):
    from tests.articles.stories import ensure_news_index, publish_story

    story = publish_story(ensure_news_index(site_root), "Pathology supplier hit")

    page = editor_client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "cirsite/admin/suggest_tags.js" in html
    assert f'data-suggest-url="{reverse("tagging_suggest_tags")}"' in html
    healthcare = Sector.objects.get(slug="healthcare")
    assert f'name="sectors" value="{healthcare.pk}"' in html


def test_an_editor_edits_a_risk_types_vocabulary_but_not_its_slug(editor_client):
    from ingest.tagging import get_tagger

    listing = editor_client.get(reverse("wagtailsnippets_cirsite_risktype:list"))
    assert listing.status_code == 200
    assert "Account compromise" in listing.content.decode()

    outage = RiskType.objects.get(slug="outage")
    url = reverse("wagtailsnippets_cirsite_risktype:edit", args=[outage.pk])
    form = editor_client.get(url)
    assert form.status_code == 200
    assert "outage" in form.content.decode()  # the slug, shown
    assert 'name="slug"' not in form.content.decode()  # but not editable

    response = editor_client.post(
        url,
        {
            "name": "Outage and disruption",
            "definition": outage.definition,
            "keywords": outage.keywords + "\nbrownout of services\n",
            "organisations": outage.organisations,
            "slug": "hijacked-slug",
        },
    )

    assert response.status_code == 302
    outage.refresh_from_db()
    assert outage.slug == "outage" and outage.name == "Outage and disruption"
    assert "outage" in get_tagger().tag("A brownout of services at the port.").risk_type_slugs


def test_terms_cannot_be_added_or_deleted_from_the_admin(editor_client, admin_client):
    sector = Sector.objects.get(slug="education")
    for client in (editor_client, admin_client):
        add = client.get(reverse("wagtailsnippets_cirsite_sector:add"))
        delete = client.post(reverse("wagtailsnippets_cirsite_sector:delete", args=[sector.pk]))
        assert add.status_code in (302, 403)
        assert delete.status_code in (302, 403)
    assert Sector.objects.filter(slug="education").exists()
    assert Sector.objects.count() == 10
