"""The podcast feed: RSS 2.0 with the itunes, podcast (Podcasting 2.0) and content namespaces,
as Apple Podcasts, Spotify, Pocket Casts and gPodder read it, built with Django's syndication
framework like the site's other feeds.

The feed is rebuilt only when something in it can have changed (a publish, an audio upload),
and answers conditional requests with 304 so that apps polling every few minutes cost little.
A rebuild renders only the episodes changed since the last one: items, and the show's artwork
and hosts, are remembered between renders (cirsite.base.feed_items).
"""

import hashlib
from datetime import UTC
from email.utils import format_datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.feedgenerator import Enclosure
from django.utils.html import format_html
from django.views.decorators.http import condition, require_safe
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from cirsite.base.feed_items import RememberedItemsFeed, RememberedItemsRss, linked_page_tags
from cirsite.base.http_caching import shared_cache
from cirsite.base.process_memo import (
    ALL,
    SITE,
    copy_of,
    generations_pinned,
    page_tag,
    remembered,
)
from cirsite.base.seo import absolute_links, absolute_url

from .audio import format_duration
from .models import EpisodePage, PodcastIndexPage

NAMESPACES = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    # The spec's original URI, which it requires clients to treat as identical to
    # https://podcastindex.org/namespace/1.0; gPodder's parser knows only this one.
    "podcast": "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
}


def yes_no(flag):
    return "yes" if flag else "no"


def true_false(flag):
    return "true" if flag else "false"


def rfc2822_gmt(moment):
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def image_url(image):
    return absolute_url(image.file.url) if image else ""


def host_photo_url(author):
    if not author.photo:
        return ""
    return absolute_url(author.photo.get_rendition("fill-400x400|format-jpeg").url)


class PodcastRssFeed(RememberedItemsRss):
    """Django's RSS 2.0 plus the channel and item elements podcast apps and directories read.

    The feed generator gets the show's facts through ``feed_extra_kwargs`` and each episode's
    through ``item_extra_kwargs`` (see PodcastFeed); it only writes them out."""

    def rss_attributes(self):
        attributes = super().rss_attributes()
        for prefix in ("itunes", "podcast", "content"):
            attributes[f"xmlns:{prefix}"] = NAMESPACES[prefix]
        return attributes

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        feed = self.feed
        handler.addQuickElement("generator", "cirsite")
        if feed["artwork"]:
            handler.addQuickElement("itunes:image", None, {"href": feed["artwork"]})
            handler.startElement("image", {})
            handler.addQuickElement("url", feed["artwork"])
            handler.addQuickElement("title", feed["title"])
            handler.addQuickElement("link", feed["link"])
            handler.endElement("image")
        handler.startElement("itunes:category", {"text": feed["itunes_category"]})
        if feed["itunes_subcategory"]:
            handler.addQuickElement("itunes:category", None, {"text": feed["itunes_subcategory"]})
        handler.endElement("itunes:category")
        handler.addQuickElement("itunes:explicit", true_false(feed["explicit"]))
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", feed["owner_name"])
        handler.addQuickElement("itunes:email", feed["owner_email"])
        handler.endElement("itunes:owner")
        # After the owner: feedparser lets the last name it meets become the feed's author.
        handler.addQuickElement("itunes:author", feed["itunes_author"])
        handler.addQuickElement("itunes:type", feed["show_type"])
        handler.addQuickElement("itunes:summary", feed["description"])
        if feed["podcast_guid"]:
            handler.addQuickElement("podcast:guid", feed["podcast_guid"])
        handler.addQuickElement(
            "podcast:locked", yes_no(feed["locked"]), {"owner": feed["owner_email"]}
        )
        self.add_hosts(handler, feed["hosts"])

    def add_item_elements(self, handler, item):
        # Django writes pubDate with a numeric zone; this feed has always said GMT.
        super().add_item_elements(handler, {**item, "pubdate": None})
        handler.addQuickElement("pubDate", rfc2822_gmt(item["pubdate"]))
        handler.addQuickElement("itunes:title", item["title"])
        handler.addQuickElement("itunes:summary", item["description"])
        handler.addQuickElement("content:encoded", item["content_encoded"])
        handler.addQuickElement("itunes:duration", item["duration"])
        if item["episode_number"]:
            handler.addQuickElement("itunes:episode", str(item["episode_number"]))
        if item["season_number"]:
            handler.addQuickElement("itunes:season", str(item["season_number"]))
        handler.addQuickElement("itunes:episodeType", item["episode_type"])
        handler.addQuickElement("itunes:explicit", true_false(item["explicit"]))
        if item["artwork"]:
            handler.addQuickElement("itunes:image", None, {"href": item["artwork"]})
        for url, mime_type, rel in item["transcripts"]:
            attributes = {"url": url, "type": mime_type}
            if rel:
                attributes["rel"] = rel
            handler.addQuickElement("podcast:transcript", None, attributes)
        # Item-level people replace the channel's, so the hosts are named again beside the guests.
        self.add_hosts(handler, self.feed["hosts"])
        for guest in item["guests"]:
            attributes = {"role": "guest"}
            if guest.url:
                attributes["href"] = guest.url
            handler.addQuickElement("podcast:person", guest.name[:128], attributes)

    def add_hosts(self, handler, hosts):
        for name, photo in hosts:
            attributes = {"role": "host"}
            if photo:
                attributes["img"] = photo
            handler.addQuickElement("podcast:person", name[:128], attributes)


def show_tags(show):
    return (page_tag(show.pk), SITE, ALL)


def show_pictures(show):
    """The show's artwork and its hosts' (name, photo) as the feed gives them."""
    return {
        "artwork": image_url(show.artwork),
        "hosts": [(host.name, host_photo_url(host)) for host in show.host_authors],
    }


class PodcastFeed(RememberedItemsFeed):
    """What goes into the feed for one show and its playable episodes, newest first."""

    feed_type = PodcastRssFeed

    def get_object(self, request, show, episodes):
        # Feed reads the language from the instance, not per object; one instance serves one show.
        self.language = show.language
        self.show = show
        self.episodes = episodes
        return show

    def title(self, show):
        return show.title

    def link(self, show):
        return absolute_url(show.url)

    def feed_url(self, show):
        return show.feed_url

    def description(self, show):
        return show.description

    def feed_copyright(self, show):
        return show.copyright or None

    def feed_extra_kwargs(self, show):
        pictures = remembered(
            ("podcast feed pictures", show.pk, settings.BASE_URL),
            show_tags(show),
            lambda: show_pictures(show),
        )
        return {
            "artwork": pictures["artwork"],
            "itunes_category": show.category,
            "itunes_subcategory": show.subcategory,
            "explicit": show.explicit,
            "owner_name": show.owner_name,
            "owner_email": show.owner_email,
            "itunes_author": show.author,
            "show_type": show.show_type,
            "podcast_guid": str(show.podcast_guid) if show.podcast_guid else "",
            "locked": show.feed_locked,
            "hosts": pictures["hosts"],
        }

    def item_refs(self, show):
        return self.episodes

    def item_tags(self, pk):
        # Each item names the show's hosts too.
        return (page_tag(pk), *show_tags(self.show))

    def load_items(self, pks):
        episodes = EpisodePage.objects.filter(pk__in=pks)
        return episodes.select_related("audio", "artwork").prefetch_related("guests").in_bulk()

    def item_link_tags(self, episode):
        return linked_page_tags(episode, "show_notes")

    def item_title(self, episode):
        return episode.title

    def item_link(self, episode):
        return absolute_url(episode.url)

    def item_description(self, episode):
        return episode.summary

    def item_guid(self, episode):
        return episode.guid

    def item_guid_is_permalink(self, episode):
        return False

    def item_pubdate(self, episode):
        return episode.went_out

    def item_updateddate(self, episode):
        return episode.last_published_at

    def item_enclosures(self, episode):
        audio = episode.audio
        return [Enclosure(audio.absolute_url, str(audio.file_size), audio.mime_type)]

    def item_extra_kwargs(self, episode):
        if episode.show_notes:
            notes = absolute_links(expand_db_html(episode.show_notes))
        else:
            notes = format_html("<p>{}</p>", episode.summary)
        return {
            "content_encoded": notes,
            "duration": format_duration(episode.audio.duration),
            "episode_number": episode.episode_number,
            "season_number": episode.season_number,
            "episode_type": episode.episode_type,
            "explicit": episode.explicit,
            "artwork": image_url(episode.artwork),
            "transcripts": episode.transcript_links(),
            "guests": list(episode.guests.all()),
        }


def feed_episodes(show):
    return EpisodePage.objects.child_of(show).in_feed()


def feed_fingerprint(show, episodes):
    """Everything whose change can change the feed, from the (pk, last published, audio
    updated) of each episode in it."""

    def newest(moments):
        return max((moment for moment in moments if moment), default=None)

    stats = {
        "count": len(episodes),
        "published": newest(published for _, published, _ in episodes),
        "audio": newest(audio for _, _, audio in episodes),
        "ids": max((pk for pk, _, _ in episodes), default=None),
    }
    parts = [show.pk, show.last_published_at, settings.BASE_URL, *stats.values()]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32], stats


def live_show(site, show_slug):
    """The site's live public show with that slug, or None. Remembered in the process: any
    change to a show (a publish, a move, a new slug) moves SITE, a view restriction ALL."""

    def find():
        shows = PodcastIndexPage.objects.live().public().child_of(site.root_page)
        return shows.filter(slug=show_slug).first()

    show = remembered(("podcast show", site.pk, show_slug), (SITE, ALL), find)
    return copy_of(show) if show is not None else None


class FeedState:
    """The show, its feed document and when it last changed, worked out once per request for
    the conditional-GET checks and the view alike. The document is kept in the cache under a
    fingerprint of everything it depends on, so it is rebuilt only after a change."""

    def __init__(self, request, show_slug):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("No site is set up for this address.")
        self.show = live_show(site, show_slug)
        if self.show is None:
            raise Http404("No live show has this address.")
        # The episodes' facts give the fingerprint, and their order the feed's.
        episodes = list(
            feed_episodes(self.show).values_list("pk", "last_published_at", "audio__updated_at")
        )
        fingerprint, stats = feed_fingerprint(self.show, episodes)
        key = f"podcasts:feed:{self.show.pk}:{fingerprint}"
        self.body = cache.get(key)
        if self.body is None:
            feed = PodcastFeed()
            self.body = feed(request, show=self.show, episodes=[pk for pk, _, _ in episodes])
            self.body = self.body.content
            cache.set(key, self.body, settings.CACHE_PAGE_SECONDS)
        changed = [moment for moment in (self.show.last_published_at, stats["published"]) if moment]
        self.last_modified = max(changed) if changed else None

    @classmethod
    def of(cls, request, show_slug):
        if getattr(request, "_podcast_feed_state", None) is None:
            request._podcast_feed_state = cls(request, show_slug)
        return request._podcast_feed_state


def feed_etag(request, show_slug):
    return hashlib.sha256(FeedState.of(request, show_slug).body).hexdigest()[:32]


def feed_last_modified(request, show_slug):
    return FeedState.of(request, show_slug).last_modified


@require_safe
@shared_cache
@generations_pinned()
@condition(etag_func=feed_etag, last_modified_func=feed_last_modified)
def podcast_feed(request, show_slug):
    return HttpResponse(
        FeedState.of(request, show_slug).body, content_type=PodcastRssFeed.content_type
    )
