"""Editors at work in the Wagtail admin: writing a story, scheduling it, the writer/editor
review, revisions, authors as snippets and focal points on images."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, WorkflowState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.models import ArticleIndexPage, ArticlePage, Author
from cirsite.base.models import RiskType, Sector
from cirsite.site.demo_content import ensure_home_page
from cirsite.site.newsroom import EDITORS, WRITERS, setup_newsroom
from tests.articles.stories import ensure_news_index, fixture_image, make_author, publish_story
from tests.second_factor import log_in_with_second_factor

User = get_user_model()


def story_form(author, **overrides):
    data = {
        "title": "Council systems down after attack",
        "slug": "council-systems-down",
        "standfirst": "A district council ran on paper for a week.",
        "article_authors": inline_formset([{"author": author.pk}], min=1),
        "body": streamfield(
            [
                ("paragraph", rich_text("<p>The council isolated its network.</p>")),
                ("heading", {"text": "Recovery", "level": "h2"}),
                ("pull_quote", {"quote": "We are rebuilding.", "attribution": "Chief executive"}),
                ("fact_box", {"title": "Key facts", "facts": streamfield([])}),
            ]
        ),
        "tags": "council, paper records",
        "source_url": "",
        "hero_image": "",
        "hero_caption": "",
        "related_links": inline_formset([]),
        "episode_links": inline_formset([]),
        "incident_links": inline_formset([]),
    }
    data.update(overrides)
    form = nested_form_data(data)
    # Multiple-choice fields are posted as repeated keys, which nested_form_data would split.
    form["sectors"] = [Sector.objects.get(slug="public-sector").pk]
    form["risk_types"] = [RiskType.objects.get(slug="ransomware").pk]
    return form


class TestEditorCreatesAStoryInTheAdmin(WagtailPageTestCase):
    def setUp(self):
        home = ensure_home_page()
        self.index = ensure_news_index(home)
        self.author = make_author("Ruth Quinn")
        log_in_with_second_factor(
            self.client, User.objects.create_superuser("chief", "chief@example.org", "pw")
        )

    def test_story_can_only_live_in_the_news_section(self):
        self.assertCanCreateAt(ArticleIndexPage, ArticlePage)
        self.assertCanNotCreateAt(ArticlePage, ArticlePage)

    def test_story_form_creates_and_publishes_a_story(self):
        self.assertCanCreate(self.index, ArticlePage, story_form(self.author))
        story = ArticlePage.objects.get(slug="council-systems-down")
        assert story.live
        assert story.authors == [self.author]
        assert [s.slug for s in story.sectors.all()] == ["public-sector"]
        assert sorted(t.name for t in story.tags.all()) == ["council", "paper records"]
        assert [block.block_type for block in story.body] == [
            "paragraph",
            "heading",
            "pull_quote",
            "fact_box",
        ]

    def test_story_needs_a_standfirst_and_an_author_to_be_published(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["articles", "articlepage", self.index.pk]),
            {
                **story_form(self.author, standfirst="", article_authors=inline_formset([], min=1)),
                "action-publish": "action-publish",
            },
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert "standfirst" in form.errors
        assert form.formsets["article_authors"].non_form_errors()
        assert not ArticlePage.objects.filter(slug="council-systems-down").exists()

    def test_live_preview_renders_the_unsaved_story(self):
        url = reverse(
            "wagtailadmin_pages:preview_on_add", args=["articles", "articlepage", self.index.pk]
        )
        assert self.client.post(url, story_form(self.author)).json()["is_valid"]
        response = self.client.get(url)
        assert response.status_code == 200
        assert b"Council systems down after attack" in response.content
        assert b"We are rebuilding." in response.content


@pytest.mark.django_db
def test_scheduled_story_goes_live_with_publish_scheduled(client, news_index, reporter):
    story = publish_story(news_index, "Embargoed results", authors=[reporter], publish=False)
    story.go_live_at = timezone.now() + timedelta(hours=1)
    revision = story.save_revision()
    revision.publish()
    story.refresh_from_db()
    assert not story.live
    assert client.get(story.url).status_code == 404

    # The embargo passes: move the approved time (and the revision's copy of it) into the past.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    Revision.objects.filter(pk=revision.pk).update(
        approved_go_live_at=past, content=revision.content
    )
    call_command("publish_scheduled")

    story.refresh_from_db()
    assert story.live
    assert client.get(story.url).status_code == 200


@pytest.mark.django_db
def test_revisions_are_kept_and_an_old_one_can_be_restored(news_index, reporter):
    story = publish_story(news_index, "First headline", authors=[reporter])
    first = story.latest_revision
    story.title = "Second headline"
    story.save_revision().publish()
    assert story.revisions.count() == 2

    first.as_object().save_revision().publish()
    story.refresh_from_db()
    assert story.title == "First headline"
    assert story.revisions.count() == 3


@pytest.mark.django_db
def test_setup_newsroom_is_idempotent(site_root):
    call_command("setup_newsroom")
    call_command("setup_newsroom")
    writers = Group.objects.get(name=WRITERS)
    editors = Group.objects.get(name=EDITORS)
    assert writers.page_permissions.filter(permission__codename="publish_page").count() == 0
    assert editors.page_permissions.filter(permission__codename="publish_page").count() == 1
    assert writers.page_permissions.count() == 2


@pytest.mark.django_db
def test_writer_submits_and_editor_publishes(client, site_root):
    index = ensure_news_index(site_root)
    writers, editors, _ = setup_newsroom(site_root)
    writer = User.objects.create_user("writer", "w@example.org", "pw")
    writer.groups.add(writers)
    editor = User.objects.create_user("editor", "e@example.org", "pw")
    editor.groups.add(editors)
    author = make_author("Ruth Quinn")
    add_url = reverse("wagtailadmin_pages:add", args=["articles", "articlepage", index.pk])

    # A writer may not publish: asking to publish only saves a draft.
    client.force_login(writer)
    client.post(add_url, {**story_form(author, slug="try-publish"), "action-publish": "1"})
    tried = ArticlePage.objects.get(slug="try-publish")
    assert not tried.live

    # The writer submits the story for review.
    response = client.post(add_url, {**story_form(author), "action-submit": "1"})
    assert response.status_code == 302
    story = ArticlePage.objects.get(slug="council-systems-down")
    assert not story.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    assert list(task_state.task.specific.groups.all()) == [editors]

    # The writer cannot approve their own story.
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk]
    )
    client.post(approve, {"comment": ""})
    story.refresh_from_db()
    assert not story.live

    # The editor approves, which publishes.
    client.force_login(editor)
    response = client.post(approve, {"comment": "Good to go"})
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    client.logout()
    assert client.get(story.url).status_code == 200


@pytest.mark.django_db
def test_authors_are_managed_as_snippets(client, site_root):
    log_in_with_second_factor(
        client, User.objects.create_superuser("chief", "chief@example.org", "pw")
    )
    listing = client.get(reverse("wagtailsnippets_articles_author:list"))
    assert listing.status_code == 200

    photo = fixture_image("author-portrait.jpg", "Portrait", alt_text="Portrait of Sam")
    response = client.post(
        reverse("wagtailsnippets_articles_author:add"),
        {
            "name": "Sam Idris",
            "slug": "sam-idris",
            "role": "Reporter",
            "bio": rich_text("<p>Sam covers insurance.</p>"),
            "photo": photo.pk,
        },
    )
    assert response.status_code == 302
    assert Author.objects.get(slug="sam-idris").photo == photo
    assert b"Sam Idris" in client.get(reverse("wagtailsnippets_articles_author:list")).content


@pytest.mark.django_db
def test_image_focal_point_steers_the_crop(site_root):
    image = fixture_image()
    image.focal_point_x, image.focal_point_y = 1400, 450
    image.focal_point_width, image.focal_point_height = 100, 100
    image.save()
    left_crop = fixture_image()

    assert image.get_rendition("fill-400x400").focal_point_key != ""
    # The same file cropped around a focal point near the right edge differs from the
    # centred crop.
    assert (
        image.get_rendition("fill-400x400-c100").file.read()
        != left_crop.get_rendition("fill-400x400-c100").file.read()
    )


@pytest.mark.django_db
def test_editor_opens_story_home_and_news_section_in_the_admin(client, news_index, reporter):
    story = publish_story(news_index, "Editable story", authors=[reporter])
    log_in_with_second_factor(
        client, User.objects.create_superuser("chief", "chief@example.org", "pw")
    )
    for page in (story, news_index, news_index.get_parent()):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page
    history = client.get(reverse("wagtailadmin_pages:history", args=[story.pk]))
    assert history.status_code == 200
