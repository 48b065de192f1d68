from django.urls import path, register_converter

from cirsite.base.process_memo import ALL, SITE, remembered

from . import rss, views
from .models import PodcastIndexPage


def live_show_slugs():
    # Asked by every "<slug>/feed/" address, the incident feed's too. A show's publish,
    # unpublish, move or new slug moves SITE.
    return remembered(
        ("live show slugs",),
        (SITE, ALL),
        lambda: frozenset(PodcastIndexPage.objects.live().values_list("slug", flat=True)),
    )


class ShowSlugConverter:
    """The slug of a live show. Any other ``<slug>/feed/`` address (a page that happens to be
    called "feed") does not match, so Wagtail serves it as before."""

    regex = "[^/]+"

    def to_python(self, value):
        if value not in live_show_slugs():
            raise ValueError(f"no live show has the slug {value!r}")
        return value

    def to_url(self, value):
        return value


register_converter(ShowSlugConverter, "show_slug")

urlpatterns = [
    # Shows sit directly under the home page, so a show's feed is its page address + "feed/".
    path("<show_slug:show_slug>/feed/", rss.podcast_feed, name="podcast_feed"),
    path(
        "podcast-transcripts/<int:page_id>.<str:kind>",
        views.episode_transcript,
        name="podcast_transcript",
    ),
]
