"""What a story's editor is offered to link: the tracked incidents it may report and the
podcast episodes that may discuss it (the form is articles.link_suggestions; this layer sees
stories, episodes and incidents together, so the finding is done here).

An incident is suggested when it was promoted into the story from the review queue, when an
organisation the tagger found in it is named in the story (same victim or supplier), or when
it shares both a sector and a risk type with the story; an episode when it already lists the
story among its related stories, or shares two or more sectors and risk types with it. Ranked
by how much they share, then by how close in time they are to the story; links the story
already has are left out."""

import re

from django.db.models import Count, Q
from django.utils import timezone

from articles.link_suggestions import LinkSuggestion
from ingest.incidents.models import Incident, IncidentRiskType, IncidentSector
from podcasts.models import EpisodePage, EpisodeRelatedStory

MAX_INCIDENTS = 6
MAX_EPISODES = 4
# An organisation named in the story outweighs any number of shared topics; an incident an
# editor promoted into this very story outweighs everything.
ORGANISATION_WEIGHT = 10
PROMOTED_WEIGHT = 100
# Names this short ("BT", "EE") match too much ordinary text to be a sign on their own.
SHORTEST_ORGANISATION = 3


def story_text(story):
    return "\n".join([story.title, story.standfirst or "", *map(str, story.body_texts())])


def named_in(text, organisation):
    """Whether ``organisation`` appears in ``text`` as a whole name, in its own capitals:
    "Advanced" the company, not "advanced" the adjective."""
    if len(organisation) < SHORTEST_ORGANISATION:
        return False
    return re.search(rf"(?<!\w){re.escape(organisation)}(?!\w)", text) is not None


def _topics(story):
    # The story as last saved (a revision): its topics are in memory, not yet in the tables.
    return {s.pk: s.name for s in story.sectors.all()}, {
        r.pk: r.name for r in story.risk_types.all()
    }


def _shared(*, organisations=(), promoted=False):
    """What an incident has in common with the story."""
    return {
        "promoted": promoted,
        "organisations": list(organisations),
        "sectors": [],
        "risk_types": [],
    }


def _when(moment):
    return f"{timezone.localtime(moment):%-d %b %Y}" if moment else "not published"


def _distance(story_date, moment):
    return abs((story_date - moment).total_seconds()) if moment else float("inf")


def suggested_incidents(story, sectors, risk_types, text, story_date):
    linked = {link.incident_id for link in story.incident_links.all()}
    candidates = Incident.objects.public().exclude(pk__in=linked)
    shared = {}
    rows = candidates.values_list("pk", "organisations", "promoted_to_id")
    for pk, organisations, promoted_to in rows:
        names = [name for name in organisations or [] if named_in(text, str(name))]
        if names or promoted_to == story.pk:
            shared[pk] = _shared(organisations=names, promoted=promoted_to == story.pk)
    for model, field, names, key in (
        (IncidentSector, "sector", sectors, "sectors"),
        (IncidentRiskType, "risk_type", risk_types, "risk_types"),
    ):
        rows = model.objects.filter(
            incident__in=candidates, **{f"{field}_id__in": list(names)}
        ).values_list("incident_id", f"{field}_id")
        for incident_id, label_id in rows:
            entry = shared.setdefault(incident_id, _shared())
            entry[key].append(names[label_id])
    chosen = {
        pk: entry
        for pk, entry in shared.items()
        if entry["promoted"] or entry["organisations"] or (entry["sectors"] and entry["risk_types"])
    }
    incidents = Incident.objects.in_bulk(list(chosen))

    def rank(pk):
        entry = chosen[pk]
        weight = PROMOTED_WEIGHT * entry["promoted"]
        weight += ORGANISATION_WEIGHT * len(entry["organisations"])
        weight += len(entry["sectors"]) + len(entry["risk_types"])
        return (-weight, _distance(story_date, incidents[pk].published_at))

    suggestions = []
    for pk in sorted(incidents, key=rank)[:MAX_INCIDENTS]:
        entry, incident = chosen[pk], incidents[pk]
        reasons = ["promoted into this story"] if entry["promoted"] else []
        if entry["organisations"]:
            reasons.append("names " + ", ".join(entry["organisations"]))
        topics = sorted(entry["sectors"]) + sorted(entry["risk_types"])
        if topics:
            reasons.append("shares " + ", ".join(topics))
        suggestions.append(
            LinkSuggestion(
                relation="incident_links",
                field="incident",
                pk=pk,
                label=f"Incident: {incident.title} ({_when(incident.published_at)}) · "
                + "; ".join(reasons),
            )
        )
    return suggestions


def suggested_episodes(story, sectors, risk_types, story_date):
    linked = {link.episode_id for link in story.episode_links.all()}
    candidates = EpisodePage.objects.live().exclude(pk__in=linked)
    listing = set(
        EpisodeRelatedStory.objects.filter(story_id=story.pk).values_list("page_id", flat=True)
    )
    overlap = {
        row["pk"]: row
        for row in candidates.annotate(
            sectors_shared=Count("sectors", filter=_in("sectors", sectors), distinct=True),
            risks_shared=Count("risk_types", filter=_in("risk_types", risk_types), distinct=True),
        ).values("pk", "sectors_shared", "risks_shared")
    }
    chosen = [
        pk
        for pk, row in overlap.items()
        if pk in listing or row["sectors_shared"] + row["risks_shared"] >= 2
    ]
    episodes = EpisodePage.objects.filter(pk__in=chosen).prefetch_related("sectors", "risk_types")
    by_pk = {episode.pk: episode for episode in episodes}

    def rank(pk):
        row = overlap[pk]
        weight = ORGANISATION_WEIGHT * (pk in listing) + row["sectors_shared"] + row["risks_shared"]
        return (-weight, _distance(story_date, by_pk[pk].went_out))

    suggestions = []
    for pk in sorted(by_pk, key=rank)[:MAX_EPISODES]:
        episode = by_pk[pk]
        reasons = ["lists this story as related"] if pk in listing else []
        topics = sorted(s.name for s in episode.sectors.all() if s.pk in sectors)
        topics += sorted(r.name for r in episode.risk_types.all() if r.pk in risk_types)
        if topics:
            reasons.append("shares " + ", ".join(topics))
        suggestions.append(
            LinkSuggestion(
                relation="episode_links",
                field="episode",
                pk=pk,
                label=f"Episode: {episode.title} ({_when(episode.went_out)}) · "
                + "; ".join(reasons),
            )
        )
    return suggestions


def _in(relation, names):
    return Q(**{f"{relation}__in": list(names)})


def story_link_suggestions(story):
    """The hook articles.link_suggestions calls: incidents first, then episodes."""
    sectors, risk_types = _topics(story)
    story_date = story.first_published_at or timezone.now()
    text = story_text(story)
    return suggested_incidents(story, sectors, risk_types, text, story_date) + suggested_episodes(
        story, sectors, risk_types, story_date
    )
