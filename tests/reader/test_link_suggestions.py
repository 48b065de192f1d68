"""An editor links a story to the incidents it reports and the episodes that discuss it, from
suggestions on the story's edit form: incidents that name an organisation the story names or
share its sector and risk type, episodes that list the story or share its topics."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.link_suggestions import link_suggestions
from articles.models import ArticlePage
from cirsite.base.models import RiskType, Sector
from ingest.incidents.coverage import StoryIncident
from ingest.models import Incident, IncidentRiskType, IncidentSector
from podcasts.models import EpisodeRelatedStory, StoryEpisode
from tests.articles.stories import paragraph, publish_story
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db

BODY = (
    "A ransomware attack on Advanced, which runs the Adastra system for NHS 111, left call "
    "handlers on paper. Attackers used advanced techniques to move through the network."
)


def incident(title, *, organisations=(), sectors=(), risks=(), days_ago=10, status="new"):
    item = Incident.objects.create(
        title=title,
        summary=title,
        canonical_url=f"https://feeds.example/{title.lower().replace(' ', '-')}",
        published_at=timezone.now() - timedelta(days=days_ago),
        organisations=list(organisations),
        status=status,
    )
    for slug in sectors:
        IncidentSector.objects.create(incident=item, sector=Sector.objects.get(slug=slug))
    for slug in risks:
        IncidentRiskType.objects.create(incident=item, risk_type=RiskType.objects.get(slug=slug))
    return item


@pytest.fixture
def story(news_index, reporter):
    return publish_story(
        news_index,
        "NHS 111 software supplier hit",
        authors=[reporter],
        sectors=["healthcare"],
        risk_types=["ransomware", "outage"],
        body=[paragraph(BODY)],
    )


def labels(story):
    return [suggestion.label for suggestion in link_suggestions(story)]


def test_incidents_naming_the_story_s_organisations_or_sharing_its_topics_are_suggested(story):
    advanced = incident("Advanced hit by ransomware", organisations=["Advanced", "NHS"])
    synnovis = incident("Synnovis attack", sectors=["healthcare"], risks=["ransomware"])
    incident("Hospital flood", sectors=["healthcare"])  # a sector alone is not enough
    incident("Advanced persistent threat report", organisations=["APT"], risks=["espionage"])
    incident("Dismissed", organisations=["Advanced"], status="dismissed")

    suggested = labels(story)

    assert [label.split(" (")[0] for label in suggested] == [
        f"Incident: {advanced.title}",
        f"Incident: {synnovis.title}",
    ]
    assert suggested[0].endswith("· names Advanced, NHS")
    assert suggested[1].endswith("· shares Healthcare, Ransomware")


def test_the_incident_promoted_into_the_story_comes_first(story):
    incident("Synnovis attack", sectors=["healthcare"], risks=["ransomware"])
    promoted = incident("Call handlers on paper", status="promoted")
    Incident.objects.filter(pk=promoted.pk).update(promoted_to=story)
    first = labels(story)[0]
    assert first.startswith("Incident: Call handlers on paper (")
    assert first.endswith("· promoted into this story")


def test_an_organisation_is_matched_as_a_name_not_as_a_word(news_index, reporter):
    plain = publish_story(
        news_index,
        "Threat report",
        authors=[reporter],
        body=[paragraph("Attackers used advanced techniques.")],
    )
    incident("Advanced hit by ransomware", organisations=["Advanced"])
    assert labels(plain) == []


def test_episodes_that_list_the_story_or_share_its_topics_are_suggested(story, add_episode):
    listing = add_episode("Running on paper", audio=None)
    EpisodeRelatedStory.objects.create(page=listing, story=story)
    sharing = add_episode("Hospitals under attack", audio=None)
    sharing.sectors.set([Sector.objects.get(slug="healthcare")])
    sharing.risk_types.set([RiskType.objects.get(slug="ransomware")])
    sharing.save()
    one_topic = add_episode("Rail outages", audio=None)
    one_topic.risk_types.set([RiskType.objects.get(slug="outage")])
    one_topic.save()

    suggested = labels(story)

    assert [label.split(" (")[0] for label in suggested] == [
        "Episode: Running on paper",
        "Episode: Hospitals under attack",
    ]
    assert suggested[0].endswith("· lists this story as related")
    assert suggested[1].endswith("· shares Healthcare, Ransomware")


def test_links_the_story_already_has_are_not_suggested_again(story, add_episode):
    advanced = incident("Advanced hit by ransomware", organisations=["Advanced"])
    episode = add_episode("Running on paper", audio=None)
    EpisodeRelatedStory.objects.create(page=episode, story=story)
    StoryIncident.objects.create(page=story, incident=advanced)
    StoryEpisode.objects.create(page=story, episode=episode)
    assert labels(ArticlePage.objects.get(pk=story.pk)) == []


def edit_form_data(story, reporter, **extra):
    data = nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "standfirst": story.standfirst,
            "article_authors": inline_formset([{"author": reporter.pk}], min=1),
            "body": streamfield([("paragraph", rich_text(f"<p>{BODY}</p>"))]),
            "tags": "",
            "source_url": "",
            "hero_image": "",
            "hero_caption": "",
            "related_links": inline_formset([]),
            "episode_links": inline_formset([]),
            "incident_links": inline_formset([]),
        }
    )
    data["sectors"] = [s.pk for s in story.sectors.all()]
    data["risk_types"] = [r.pk for r in story.risk_types.all()]
    data.update(extra)
    return data


def test_editor_ticks_suggestions_and_the_story_links_them(client, story, reporter, add_episode):
    editor = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    log_in_with_second_factor(client, editor)
    advanced = incident("Advanced hit by ransomware", organisations=["Advanced"])
    episode = add_episode("Running on paper", audio=None)
    EpisodeRelatedStory.objects.create(page=episode, story=story)
    edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])

    form = BeautifulSoup(client.get(edit_url).content, "html.parser")
    offered = {
        box["value"]: form.find("label", attrs={"for": box["id"]}).get_text(" ", strip=True)
        for box in form.select('input[name="suggested_links"]')
    }
    assert list(offered) == [f"incident_links:{advanced.pk}", f"episode_links:{episode.pk}"]
    assert "names Advanced" in offered[f"incident_links:{advanced.pk}"]
    assert "lists this story as related" in offered[f"episode_links:{episode.pk}"]

    response = client.post(
        edit_url,
        edit_form_data(
            story,
            reporter,
            suggested_links=[f"incident_links:{advanced.pk}", f"episode_links:{episode.pk}"],
            **{"action-publish": "1"},
        ),
    )
    assert response.status_code == 302, response.content[:2000]

    story = ArticlePage.objects.get(pk=story.pk)
    assert [link.incident for link in story.incident_links.all()] == [advanced]
    assert [link.episode.pk for link in story.episode_links.all()] == [episode.pk]
    page = BeautifulSoup(client.get(story.url).content, "html.parser")
    assert page.select_one(".tracked a").get_text(strip=True) == advanced.title
    # Linked now, so no longer suggested; the revision comparison still works with the
    # suggestions' form-only field among the panels.
    assert labels(story) == []
    first, last = story.revisions.order_by("created_at", "pk")[:2]
    compare = reverse("wagtailadmin_pages:revisions_compare", args=[story.pk, first.pk, last.pk])
    assert client.get(compare).status_code == 200
