"""Cards (a story, an episode or an incident in a listing) rendered once and reused.

The same card appears on the front page, the news pages, topic pages and author pages, and
again after every change that makes those pages render anew. Each card is remembered in the
process with the generations of what it shows (cirsite.base.process_memo): the item itself,
the site's furniture (names of topics and authors, images) and, for incidents, every ingest
run; a change to any of them renders it again.

    {% story_card story with_image=True %}
    {% episode_card episode show_artwork=show.artwork %}
    {% incident_card incident compact=True %}
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.models import Site

from cirsite.base.process_memo import (
    ALL,
    INCIDENTS,
    SITE,
    is_remembered,
    page_tag,
    remembered,
    row_tag,
)

register = template.Library()


def card_key(request, template_name, item, options):
    # Links are relative to the site that answers (Wagtail makes them absolute across sites).
    site = Site.find_for_request(request) if request is not None else None
    extra = tuple(sorted((name, getattr(value, "pk", value)) for name, value in options.items()))
    return ("card", template_name, item.pk, getattr(site, "pk", None), extra)


def remembered_card(context, template_name, name, item, tags, **options):
    request = context.get("request")

    def render():
        values = {"request": request, name: item, **options}
        # The template escapes what it shows; the result is stored as the HTML it made.
        return mark_safe(render_to_string(template_name, values))

    return remembered(card_key(request, template_name, item, options), tags, render)


def story_card_tags(story):
    return (page_tag(story.pk), SITE, ALL)


def stories_without_cards(stories, request, with_image=False, tile=False):
    """The stories whose {% story_card %} will render rather than be reused: only they need
    their authors, topics and image renditions."""
    options = {"with_image": with_image, "tile": tile}
    return [
        story
        for story in stories
        if not is_remembered(
            card_key(request, "includes/story_card.html", story, options), story_card_tags(story)
        )
    ]


@register.simple_tag(takes_context=True)
def story_card(context, story, with_image=False, tile=False):
    return remembered_card(
        context,
        "includes/story_card.html",
        "story",
        story,
        story_card_tags(story),
        with_image=with_image,
        tile=tile,
    )


@register.simple_tag(takes_context=True)
def episode_card(context, episode, show_artwork=None):
    return remembered_card(
        context,
        "includes/episode_card.html",
        "episode",
        episode,
        (page_tag(episode.pk), SITE, ALL),
        show_artwork=show_artwork,
    )


@register.simple_tag(takes_context=True)
def incident_card(context, incident, compact=False):
    return remembered_card(
        context,
        "includes/incident_card.html",
        "incident",
        incident,
        (row_tag(incident), INCIDENTS, SITE, ALL),
        compact=compact,
    )
