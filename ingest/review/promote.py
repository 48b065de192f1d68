"""Promoting an incident into a draft story in the news section."""

import html

from django.db import transaction
from django.utils.text import Truncator, slugify

from articles.models import ArticleIndexPage, ArticlePage
from ingest.incidents.models import Incident
from ingest.review.feedback import learn_from_incidents

STANDFIRST_LENGTH = 300


class PromotionError(Exception):
    """Why an incident could not become a story, in words for the editor."""


def news_section():
    return ArticleIndexPage.objects.order_by("-live", "path").first()


def unique_child_slug(parent, title):
    base = slugify(title)[:70].strip("-") or "incident"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def standfirst_from(incident):
    text = " ".join((incident.summary or incident.title).split())
    return Truncator(text).chars(STANDFIRST_LENGTH)


def story_body_from(incident):
    """A starting point for the editor: the summary, and where it came from."""
    blocks = []
    if incident.summary_html:
        blocks.append({"type": "paragraph", "value": incident.summary_html})
    links = list(incident.source_links.select_related("source").order_by("first_seen_at"))
    cited = [link for link in links if link.link]
    if cited:
        items = ", ".join(
            f'<a href="{html.escape(link.link)}">{html.escape(link.source.name)}</a>'
            for link in cited
        )
        blocks.append({"type": "paragraph", "value": f"<p>Source: {items}.</p>"})
    if not blocks:
        blocks.append({"type": "paragraph", "value": f"<p>{html.escape(incident.title)}</p>"})
    return blocks


def promote_to_story(incident, user=None):
    """Create a draft story from an incident and return it. The story is never published
    here: an editor writes it up and publishes it."""
    if incident.promoted_to_id and ArticlePage.objects.filter(pk=incident.promoted_to_id).exists():
        return incident.promoted_to.specific
    parent = news_section()
    if parent is None:
        raise PromotionError(
            "There is no news section to put the story in. Create a news section page first."
        )
    if user is not None and not parent.permissions_for_user(user).can_add_subpage():
        raise PromotionError("You do not have permission to add stories to the news section.")
    source_url = incident.canonical_url or next(
        (link.link for link in incident.source_links.all() if link.link), ""
    )
    with transaction.atomic():
        story = ArticlePage(
            title=incident.title[:255],
            slug=unique_child_slug(parent, incident.title),
            standfirst=standfirst_from(incident),
            body=story_body_from(incident),
            source_url=source_url[:1000],
            live=False,
            owner=user,
        )
        parent.add_child(instance=story)
        story.sectors.set(incident.sectors.all())
        story.risk_types.set(incident.risk_types.all())
        # Parental many-to-many values are kept in memory until the page itself is saved.
        story.save()
        story.save_revision(user=user, log_action=True)
        incident.status = Incident.Status.PROMOTED
        incident.promoted_to = story
        incident.save(update_fields=["status", "promoted_to", "updated_at"])
        # Promoting says the incident's labels are right: they are the story's labels too.
        learn_from_incidents([incident])
    return story
