"""RSS 2.0 feeds of stories: all of them, and one per sector, risk type and author.

Each item carries the full story in content:encoded with absolute links, a guid that never
changes (the page's translation key, not its URL) and its authors as dc:creator. The views
answer conditional requests with 304 from a cheap freshness check, before any story is
rendered. Items are remembered between renders (cirsite.base.feed_items): a render loads and
renders only the stories changed since, in every feed that lists them."""

import hashlib

from django.conf import settings
from django.db.models import Count, Max
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import condition
from wagtail.models import PageLogEntry

from cirsite.base.feed_items import RememberedItemsFeed, RememberedItemsRss, linked_page_tags
from cirsite.base.http_caching import shared_cache
from cirsite.base.models import TOPIC_KINDS
from cirsite.base.process_memo import (
    ALL,
    SITE,
    copy_of,
    generations_of,
    generations_pinned,
    page_tag,
    remembered,
)
from cirsite.base.seo import absolute_links, absolute_url, page_absolute_url

from .body_images import images_preloaded
from .models import ArticlePage, Author, card_prefetches

FEED_LENGTH = 20
STORY_CHANGING_ACTIONS = (
    "wagtail.publish",
    "wagtail.unpublish",
    "wagtail.delete",
    "wagtail.move",
    "wagtail.publish.scheduled",
)


class StoryRssFeed(RememberedItemsRss):
    """RSS 2.0 with the content and Dublin Core modules declared once on the root."""

    def rss_attributes(self):
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        attributes["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        return attributes

    def add_item_elements(self, handler, item):
        creator = item.pop("author_name", None)
        super().add_item_elements(handler, {**item, "author_name": None})
        if creator:
            handler.addQuickElement("dc:creator", creator)
        if item.get("content_encoded"):
            handler.addQuickElement("content:encoded", item["content_encoded"])


class Topic:
    """What a feed is about: every story, or one sector or risk type."""

    def __init__(self, term=None, kind=None):
        self.term = term
        self.kind = kind

    @property
    def title_suffix(self):
        return f": {self.term.name}" if self.term else ""

    @property
    def page_path(self):
        if self.term is None:
            return "/news/"
        return self.term.get_absolute_url() or "/news/"

    @property
    def feed_path(self):
        if self.term is None:
            return reverse("story_feed")
        return reverse(f"{self.kind}_story_feed", kwargs={"slug": self.term.slug})

    def stories(self):
        stories = ArticlePage.objects.listing()
        if self.kind == "author":
            stories = stories.filter(article_authors__author=self.term)
        elif self.term is not None:
            stories = stories.filter(**{f"{TOPIC_KINDS[self.kind].field}__slug": self.term.slug})
        return stories


def topic_for(kind=None, slug=None):
    # Sectors, risk types and authors are remembered between requests (a change to any moves
    # SITE); the freshness check and the feed both ask.
    if kind is None:
        return Topic()
    if kind == "author":
        author = remembered(
            ("feed author", slug), (SITE, ALL), lambda: Author.objects.filter(slug=slug).first()
        )
        term = copy_of(author) if author is not None else None
    else:
        term = next((t for t in TOPIC_KINDS[kind].model.listed() if t.slug == slug), None)
    if term is None:
        raise Http404(f"No {kind} is called {slug!r}.")
    return Topic(term, kind)


class StoryFeed(RememberedItemsFeed):
    feed_type = StoryRssFeed
    language = "en-gb"

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def item_refs(self, topic):
        stories = topic.stories().prefetch_related(None)
        return stories.values_list("pk", flat=True)[:FEED_LENGTH]

    def item_tags(self, pk):
        # The story (its bylines, topics and tags are saved with it) and the furniture it
        # names: authors, sectors, risk types, tag names, images.
        return (page_tag(pk), SITE, ALL)

    def load_items(self, pks):
        stories = (
            ArticlePage.objects.filter(pk__in=pks)
            .select_related("hero_image")
            .prefetch_related(*card_prefetches(), "tags")
        )
        return {story.pk: story for story in stories}

    def item_link_tags(self, story):
        return linked_page_tags(story, "body")

    def render_feed(self, topic, request, stories):
        # The items' bodies are rendered while the feed is built, with their images at hand.
        with images_preloaded(stories):
            return super().render_feed(topic, request, stories)

    def get_object(self, request, kind=None, slug=None):
        return topic_for(kind, slug)

    def title(self, topic):
        return f"{settings.WAGTAIL_SITE_NAME} stories{topic.title_suffix}"

    def link(self, topic):
        return absolute_url(topic.page_path)

    def feed_url(self, topic):
        return absolute_url(topic.feed_path)

    def description(self, topic):
        if topic.kind == "author":
            role = f", {topic.term.role}" if topic.term.role else ""
            return f"Stories by {topic.term.name}{role}."
        if topic.term is not None:
            return topic.term.definition or f"Stories about {topic.term.name}."
        return "Cyber incidents and what they mean for risk, insurance and business continuity."

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.standfirst

    def item_link(self, story):
        return page_absolute_url(story, self.request)

    def item_guid(self, story):
        return story.feed_guid

    def item_guid_is_permalink(self, story):
        return False

    def item_pubdate(self, story):
        return story.first_published_at

    def item_updateddate(self, story):
        return story.last_published_at

    def item_author_name(self, story):
        return story.byline or None

    def item_categories(self, story):
        return (
            [sector.name for sector in story.sectors.all()]
            + [risk.name for risk in story.risk_types.all()]
            + [tag.name for tag in story.tags.all()]
        )

    def item_extra_kwargs(self, story):
        html = render_to_string(
            "articles/feed_item_content.html", {"story": story, "request": self.request}
        )
        return {"content_encoded": absolute_links(html)}


def feed_freshness(request, kind=None, slug=None):
    """How many stories the feed covers, the newest publication among them and the newest
    publish/unpublish of any story: a change to any of these changes the feed."""
    cached = getattr(request, "_story_feed_freshness", None)
    if cached is not None:
        return cached
    topic = topic_for(kind, slug)
    scope = topic.stories().order_by().aggregate(count=Count("pk"), newest=Max("last_published_at"))
    last_change = PageLogEntry.objects.filter(
        content_type__app_label="articles",
        content_type__model="articlepage",
        action__in=STORY_CHANGING_ACTIONS,
    ).aggregate(latest=Max("timestamp"))["latest"]
    stamps = [stamp for stamp in (scope["newest"], last_change) if stamp]
    request._story_feed_freshness = (scope["count"], max(stamps) if stamps else None)
    return request._story_feed_freshness


def feed_etag(request, kind=None, slug=None):
    count, modified = feed_freshness(request, kind, slug)
    # The items also show what no publication dates: authors' and topics' names, images.
    furniture = generations_of((SITE, ALL))
    key = f"{kind}:{slug}:{count}:{modified.isoformat() if modified else '-'}:{furniture}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def feed_last_modified(request, kind=None, slug=None):
    return feed_freshness(request, kind, slug)[1]


@shared_cache
@generations_pinned()
@condition(etag_func=feed_etag, last_modified_func=feed_last_modified)
def story_feed(request, kind=None, slug=None):
    response = StoryFeed()(request, kind=kind, slug=slug)
    # Django stamps the newest item's date; ours also moves when a story is unpublished.
    del response.headers["Last-Modified"]
    return response
