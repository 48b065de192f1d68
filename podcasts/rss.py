"""The podcast feed: RSS 2.0 with the itunes, podcast (Podcasting 2.0) and content namespaces,
as Apple Podcasts, Spotify, Pocket Casts and gPodder read it.

The feed is rebuilt only when something in it can have changed (a publish, an audio upload),
and answers conditional requests with 304 so that apps polling every few minutes cost little.
"""

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import UTC
from email.utils import format_datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from wagtail.rich_text import expand_db_html

from cirsite.base.http_caching import patch_shared_cache
from cirsite.base.seo import absolute_url

from .audio import format_duration
from .models import EpisodePage

NAMESPACES = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    # The spec's original URI, which it requires clients to treat as identical to
    # https://podcastindex.org/namespace/1.0; gPodder's parser knows only this one.
    "podcast": "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

FEED_CONTENT_TYPE = "application/rss+xml; charset=utf-8"


def tag(name):
    prefix, _, local = name.rpartition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}" if prefix else local


def add(parent, name, text=None, **attributes):
    element = ET.SubElement(parent, tag(name), {k.rstrip("_"): v for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def yes_no(flag):
    return "yes" if flag else "no"


def true_false(flag):
    return "true" if flag else "false"


def rfc2822(moment):
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def absolute_html(html):
    # Rich text links are site-relative; an app showing the notes has no site to resolve them.
    return re.sub(r'(href|src)="/(?!/)', rf'\1="{settings.BASE_URL}/', html)


def image_url(image):
    return absolute_url(image.file.url) if image else ""


def host_photo_url(author):
    if not author.photo:
        return ""
    return absolute_url(author.photo.get_rendition("fill-400x400|format-jpeg").url)


def add_person(parent, name, role, href="", img=""):
    attributes = {"role": role}
    if href:
        attributes["href"] = href
    if img:
        attributes["img"] = img
    add(parent, "podcast:person", name[:128], **attributes)


def build_feed(show, episodes):
    """The feed document for ``show`` and its playable ``episodes`` (newest first), as bytes."""
    # ElementTree declares every namespace the tree uses on this root element.
    rss = ET.Element("rss", {"version": "2.0"})
    channel = add(rss, "channel")
    show_link = absolute_url(show.url)
    add(channel, "title", show.title)
    add(channel, "link", show_link)
    add(channel, "description", show.description)
    add(channel, "language", show.language)
    if show.copyright:
        add(channel, "copyright", show.copyright)
    add(channel, "generator", "cirsite")
    add(channel, "atom:link", href=show.feed_url, rel="self", type="application/rss+xml")
    changes = [e.last_published_at for e in episodes if e.last_published_at]
    if changes:
        add(channel, "lastBuildDate", rfc2822(max(changes)))
    artwork = image_url(show.artwork)
    if artwork:
        add(channel, "itunes:image", href=artwork)
        image = add(channel, "image")
        add(image, "url", artwork)
        add(image, "title", show.title)
        add(image, "link", show_link)
    category = add(channel, "itunes:category", text_=show.category)
    if show.subcategory:
        add(category, "itunes:category", text_=show.subcategory)
    add(channel, "itunes:explicit", true_false(show.explicit))
    owner = add(channel, "itunes:owner")
    add(owner, "itunes:name", show.owner_name)
    add(owner, "itunes:email", show.owner_email)
    # After the owner: feedparser lets the last name it meets become the feed's author.
    add(channel, "itunes:author", show.author)
    add(channel, "itunes:type", show.show_type)
    add(channel, "itunes:summary", show.description)
    if show.podcast_guid:
        add(channel, "podcast:guid", show.podcast_guid)
    add(channel, "podcast:locked", yes_no(show.feed_locked), owner=show.owner_email)
    hosts = [(host.name, host_photo_url(host)) for host in show.host_authors]
    for name, photo in hosts:
        add_person(channel, name, "host", img=photo)

    for episode in episodes:
        add_item(channel, show, episode, hosts)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def add_item(channel, show, episode, hosts):
    item = add(channel, "item")
    link = absolute_url(episode.url)
    audio = episode.audio
    add(item, "title", episode.title)
    add(item, "itunes:title", episode.title)
    add(item, "link", link)
    add(item, "description", episode.summary)
    add(item, "itunes:summary", episode.summary)
    notes = absolute_html(expand_db_html(episode.show_notes)) if episode.show_notes else ""
    add(item, "content:encoded", notes or f"<p>{escape_text(episode.summary)}</p>")
    add(
        item, "enclosure", url=audio.absolute_url, length=str(audio.file_size), type=audio.mime_type
    )
    add(item, "guid", episode.guid, isPermaLink="false")
    add(item, "pubDate", rfc2822(episode.went_out))
    add(item, "itunes:duration", format_duration(audio.duration))
    if episode.episode_number:
        add(item, "itunes:episode", episode.episode_number)
    if episode.season_number:
        add(item, "itunes:season", episode.season_number)
    add(item, "itunes:episodeType", episode.episode_type)
    add(item, "itunes:explicit", true_false(episode.explicit))
    if episode.artwork:
        add(item, "itunes:image", href=image_url(episode.artwork))
    for url, mime_type, rel in episode.transcript_links():
        if rel:
            add(item, "podcast:transcript", url=url, type=mime_type, rel=rel)
        else:
            add(item, "podcast:transcript", url=url, type=mime_type)
    # Item-level people replace the channel's, so the hosts are named again beside the guests.
    for name, photo in hosts:
        add_person(item, name, "host", img=photo)
    for guest in episode.guests.all():
        add_person(item, guest.name, "guest", href=guest.url)


def escape_text(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def feed_episodes(show):
    return EpisodePage.objects.child_of(show).in_feed()


def feed_fingerprint(show, episodes):
    """Everything whose change can change the feed, in one cheap query."""
    stats = episodes.aggregate(
        count=Count("pk"),
        published=Max("last_published_at"),
        audio=Max("audio__updated_at"),
        ids=Max("pk"),
    )
    parts = [show.pk, show.last_published_at, settings.BASE_URL, *stats.values()]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32], stats


def serve_feed(request, show):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    episodes = feed_episodes(show)
    fingerprint, stats = feed_fingerprint(show, episodes)
    key = f"podcasts:feed:{show.pk}:{fingerprint}"
    body = cache.get(key)
    if body is None:
        body = build_feed(
            show,
            list(episodes.prefetch_related("guests").select_related("audio", "artwork")),
        )
        cache.set(key, body, settings.CACHE_PAGE_SECONDS)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    changed = [moment for moment in (show.last_published_at, stats["published"]) if moment]
    last_modified = max(changed).timestamp() if changed else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = not_modified or HttpResponse(body, content_type=FEED_CONTENT_TYPE)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return patch_shared_cache(response)
