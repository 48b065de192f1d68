"""Full-page cache for anonymous readers that every process keeps coherent.

Pages say they may be shared by caches with ``Cache-Control: s-maxage`` (see
``cirsite.base.http_caching``); this middleware keeps such responses in Django's cache (Redis
when ``REDIS_URL`` is set, else local memory in each web worker) so that a CDN miss, or a site
with no CDN, costs one render per page per change.

Coherence. Each stored page carries the *generations* of the tags it depends on (``stories``,
``page:42``, ``sector:3``, ...). A change bumps its tags' generations in the
``PageCacheGeneration`` table inside the same database transaction as the change, whichever
process makes it (a web worker, the ingest worker, ``manage.py publish_scheduled``, a shell).
Every serving process re-reads the rows that moved at most every
``PAGE_CACHE_POLL_SECONDS`` (one indexed query), and a stored page whose generations no longer
match is a miss. A process sees its own changes at once.

Keys. Tracking parameters (``utm_*``, ``fbclid``, ...) are removed before any view sees them.
The page cache records which query parameters each address's view actually reads; the key holds
only those, and a miss renders with only those, so unknown parameters neither create entries
nor leak into a stored page. The path is Django's (``FORCE_SCRIPT_NAME`` keeps a client's
``SCRIPT_NAME`` out of it) and the host is one of ``ALLOWED_HOSTS``.

CDN. When ``WAGTAILFRONTENDCACHE`` is configured, the addresses that show what changed are
purged through Wagtail's frontend cache once the change commits.
"""

import gzip
import hashlib
import threading
import time
from http import HTTPStatus
from urllib.parse import urlencode

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.db import DatabaseError, models, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.http.request import split_domain_port, validate_host
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from wagtail import hooks
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from articles.models import ArticleIndexPage, ArticlePage, AuthorIndexPage
from cirsite.base import process_memo
from cirsite.base.models import RiskType, Sector
from cirsite.base.tracking_parameters import is_tracking_parameter
from cirsite.site.models import HomePage, PageCacheGeneration, TopicIndexPage
from podcasts.models import EpisodePage, PodcastIndexPage

# Tags. Every stored page depends on ALL; a page that declares nothing depends on ANY, which
# every change moves.
ALL = process_memo.ALL
ANY = "any"
SITE = process_memo.SITE  # furniture every page shows: taxonomy names, authors, images, settings
STORIES = "stories"  # every list of stories
EPISODES = "episodes"  # every list of episodes
INCIDENTS = process_memo.INCIDENTS  # everything that shows tracked incidents
page_tag = process_memo.page_tag


def sector_tag(slug):
    return f"sector:{slug}"


def risk_tag(slug):
    return f"risk:{slug}"


def incident_tag(pk):
    return f"incident:{pk}"


# Bounds the per-process record of which parameters each address reads.
MAX_RECORDED_ADDRESSES = 20_000
COMPRESSIBLE_TYPES = ("text/", "application/rss+xml", "application/xml", "application/json")
# Headers recomputed for every answer rather than replayed.
UNSTORED_HEADERS = {"content-length", "content-encoding", "set-cookie", "x-page-cache"}


# --- Generations shared by every process -----------------------------------------------------


class Generations:
    """This process's copy of the generation table, refreshed from the database at most every
    PAGE_CACHE_POLL_SECONDS."""

    def __init__(self):
        self.values = {}
        # Values remembered against these generations (cirsite.base.process_memo).
        self.memo = {}
        self.seen = 0
        self.checked = float("-inf")
        self.lock = threading.Lock()

    def is_due(self):
        return time.monotonic() - self.checked >= settings.PAGE_CACHE_POLL_SECONDS

    def current(self):
        if self.is_due():
            self.refresh()
        return self.values

    def refresh(self):
        with self.lock:
            rows = dict(
                PageCacheGeneration.objects.filter(
                    models.Q(generation__gt=self.seen) | models.Q(tag=ANY)
                ).values_list("tag", "generation")
            )
            counter = rows.get(ANY, 0)
            if counter < self.seen:
                # The table went back (a restored database, a rolled-back test): start over,
                # and forget what was remembered against generations that may come again.
                rows = dict(PageCacheGeneration.objects.values_list("tag", "generation"))
                self.values = rows
                self.memo = {}
            else:
                self.values = {**self.values, **rows}
            self.seen = counter
            self.checked = time.monotonic()

    def note(self, tags, generation):
        self.values = {**self.values, **dict.fromkeys(tags, generation)}
        # This process is up to date with its own change; others' wait for the next poll.
        self.checked = time.monotonic()

    def stamp(self, tags, values):
        return tuple(sorted((tag, values.get(tag, 0)) for tag in tags))


GENERATIONS = Generations()


def bump(tags):
    """Moves the generation of each tag (and ANY), inside the caller's transaction so that
    readers see the new generation exactly when they can see the change."""
    tags = set(tags) | {ANY}
    with transaction.atomic():
        # The counter row is locked by the update, so generations commit in counter order.
        if not PageCacheGeneration.objects.filter(tag=ANY).update(
            generation=models.F("generation") + 1
        ):
            PageCacheGeneration.objects.bulk_create(
                [PageCacheGeneration(tag=ANY, generation=0)], ignore_conflicts=True
            )
            PageCacheGeneration.objects.filter(tag=ANY).update(
                generation=models.F("generation") + 1
            )
        counter = PageCacheGeneration.objects.get(tag=ANY).generation
        others = tags - {ANY}
        existing = set(
            PageCacheGeneration.objects.filter(tag__in=others).values_list("tag", flat=True)
        )
        if existing:
            PageCacheGeneration.objects.filter(tag__in=existing).update(generation=counter)
        if others - existing:
            PageCacheGeneration.objects.bulk_create(
                [PageCacheGeneration(tag=tag, generation=counter) for tag in others - existing],
                ignore_conflicts=True,
            )
    GENERATIONS.note(tags, counter)
    return counter


def invalidate_pages(**kwargs):
    """Every stored page goes stale (a change the cache cannot place more precisely)."""
    bump({ALL})


# --- What a change invalidates ---------------------------------------------------------------

SITE_MODELS = {
    "cirsite.CustomImage",
    "cirsite.SiteSettings",
    "cirsite.Sector",
    "cirsite.RiskType",
    "articles.Author",
    "podcasts.EpisodeAudio",
    "taggit.Tag",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "wagtailmedia.Media",
}
# Rows that change on their own schedule, while a page renders, or only in the admin.
IGNORED_MODELS = {
    "cirsite.CustomRendition",
    "cirsite.User",
    "wagtailimages.Rendition",
    "wagtailcore.Revision",
    "wagtailcore.ReferenceIndex",
    "wagtailcore.PageLogEntry",
    "wagtailcore.ModelLogEntry",
    "wagtailcore.WorkflowState",
    "wagtailcore.TaskState",
    "wagtailcore.Comment",
    "wagtailcore.CommentReply",
    "wagtailcore.PageSubscription",
    "wagtailcore.UploadedFile",
    "wagtailcore.APIToken",
    "wagtailcore.GroupPagePermission",
    "wagtailcore.GroupCollectionPermission",
    "wagtailcore.GroupSitePermission",
    "wagtailcore.Workflow",
    "wagtailcore.WorkflowTask",
    "wagtailcore.WorkflowPage",
    "wagtailcore.WorkflowContentType",
    "wagtailcore.Task",
    "wagtailcore.GroupApprovalTask",
    "wagtailredirects.Redirect",
    "wagtailsearch.IndexEntry",
    "wagtailsearch.SQLiteFTSIndexEntry",
    "taggit.TaggedItem",
    "site.PageCacheGeneration",
}
# Apps whose rows no public page shows (accounts, sessions, task results, admin state). Rows
# of any other app move every page unless placed more precisely below.
IGNORED_APPS = {
    "admin",
    "auth",
    "contenttypes",
    "sessions",
    "django_tasks_database",
    "django_tasks_db",
    "django_rq",
    "wagtailadmin",
    "wagtailusers",
    "wagtailembeds",
    "wagtail_2fa",
    "otp_static",
    "otp_totp",
}
# A feed source's name is every incident's "Reported by"; a poll writes only its bookkeeping
# (when it was fetched, its health, the next due time), which no page shows, and a new source
# shows nowhere until its incidents do.
FEED_SOURCE = "ingest.FeedSource"
FEED_SOURCE_SHOWN_FIELDS = {"name"}
# Saves that only move a page's draft bookkeeping; the live page is unchanged.
DRAFT_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
}


def tags_for_page_change(page):
    tags = {page_tag(page.pk)}
    # A plain Page row (a move, or the parent row of a deleted page) is placed by its type
    # alone; the specific row may already be gone.
    kind = page.specific_class if type(page) is Page else type(page)
    if kind is not None and issubclass(kind, ArticlePage):
        tags |= {STORIES}
        if isinstance(page, ArticlePage):
            # The labels being saved, and those still stored: a story leaving a sector
            # changes that sector's page too.
            sectors = {s.slug for s in page.sectors.all()}
            sectors |= set(Sector.objects.filter(stories=page.pk).values_list("slug", flat=True))
            risks = {r.slug for r in page.risk_types.all()}
            risks |= set(RiskType.objects.filter(stories=page.pk).values_list("slug", flat=True))
            tags |= {sector_tag(slug) for slug in sectors} | {risk_tag(slug) for slug in risks}
    elif kind is not None and issubclass(kind, EpisodePage):
        tags |= {EPISODES}
    else:
        # Home, sections and shows: their titles reach menus, breadcrumbs and listings.
        tags |= {SITE}
    return tags


def tags_for_change(instance):
    """The tags a saved or deleted row moves, or None when no public page shows it."""
    meta = instance._meta
    if meta.apps is not global_apps or meta.app_config is None:
        return None  # a migration's historical model: the tables may not exist yet
    label = meta.label
    if label in IGNORED_MODELS or meta.app_label in IGNORED_APPS:
        return None
    if isinstance(instance, Page):
        return tags_for_page_change(instance)
    if label in SITE_MODELS or label == FEED_SOURCE:
        return {SITE}
    if label == "ingest.StoryIncident":
        # Only the story shows which incidents it reports (saved again whenever it is
        # published): not every page that shows incidents.
        return {page_tag(instance.page_id), incident_tag(instance.incident_id)}
    if meta.app_config.name.startswith("ingest"):
        if label == "ingest.Incident":
            return {INCIDENTS, incident_tag(instance.pk)}
        incident_id = getattr(instance, "incident_id", None)
        return {INCIDENTS} | ({incident_tag(incident_id)} if incident_id else set())
    # A story's free tags (taggit's rows) name their story as content_object: publishing a
    # tagged story re-saves them, which must not move every page.
    page_id = getattr(instance, "page_id", getattr(instance, "content_object_id", None))
    if page_id is not None and instance._meta.app_label in ("articles", "podcasts"):
        # A story's or episode's bylines, tags and links, which cards show too.
        return {page_tag(page_id), STORIES if instance._meta.app_label == "articles" else EPISODES}
    return {ALL}


def record_change(tags, instance):
    bump(tags)
    if settings.WAGTAILFRONTENDCACHE:
        queue_purge(purge_urls(tags, instance))


def on_page_event(sender, instance, **kwargs):
    record_change(tags_for_page_change(instance), instance)


def on_row_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        # Fixture loading (loaddata, a test's serialized rollback) saves rows before the rows
        # they point at exist, so the change cannot be placed; pages are not served meanwhile.
        return
    if isinstance(instance, Page) and update_fields and set(update_fields) <= DRAFT_FIELDS:
        return
    if instance._meta.label == FEED_SOURCE and (
        # A new source is on no page until its incidents are (they move what shows them).
        created or (update_fields and not FEED_SOURCE_SHOWN_FIELDS & set(update_fields))
    ):
        return
    tags = tags_for_change(instance)
    if tags:
        record_change(tags, instance)


def on_row_deleted(sender, instance, **kwargs):
    tags = tags_for_change(instance)
    if tags:
        record_change(tags, instance)


# --- CDN purging -----------------------------------------------------------------------------

_pending_purges = set()


def absolute(path):
    return settings.BASE_URL + path


def named(name, **kwargs):
    try:
        return absolute(reverse(name, kwargs=kwargs or None))
    except NoReverseMatch:
        return None


def live_page_urls(model):
    urls = []
    for page in model.objects.live().public():
        url = page.get_url()
        if url:
            urls.append(absolute(url))
    return urls


def purge_urls(tags, instance=None):
    """The public addresses that show what the tags name (query-string variants such as
    later listing pages or searches expire by their s-maxage)."""
    urls = set()
    if tags & {STORIES, EPISODES, INCIDENTS, SITE, ALL}:
        urls |= set(live_page_urls(HomePage))
    if tags & {STORIES, SITE, ALL}:
        urls |= set(live_page_urls(ArticleIndexPage))
        urls |= {named("story_feed"), named("news_sitemap"), named("sitemap")}
    if tags & {EPISODES, SITE, ALL}:
        shows = live_page_urls(PodcastIndexPage)
        urls |= set(shows) | {show + "feed/" for show in shows}
    if tags & {INCIDENTS, SITE, ALL}:
        urls |= {named("ingest:tracker"), named("ingest:feed"), named("sitemap")}
    topic_roots = {}
    if any(tag.startswith(("sector:", "risk:")) for tag in tags):
        for topics in TopicIndexPage.objects.live().public():
            topic_roots[topics.kind] = topics.get_url()
    for tag in tags:
        kind, _, slug = tag.partition(":")
        if kind in ("sector", "risk"):
            urls.add(named(f"{kind}_story_feed", slug=slug))
            if topic_roots.get(kind):
                urls.add(absolute(f"{topic_roots[kind]}{slug}/"))
        elif kind == "incident":
            urls.add(named("ingest:incident", pk=int(slug)))
    if isinstance(instance, Page):
        url = instance.get_url()
        if url:
            urls.add(absolute(url))
            if isinstance(instance, PodcastIndexPage):
                urls.add(absolute(url) + "feed/")
    urls.discard(None)
    return urls


def queue_purge(urls):
    _pending_purges.update(urls)
    # A rolled-back transaction drops this callback; its addresses go with the next commit.
    transaction.on_commit(flush_purges)


def flush_purges():
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls = sorted(_pending_purges)
    _pending_purges.clear()
    if urls:
        purge_urls_from_cache(urls)


# --- What a response depends on --------------------------------------------------------------

VIEW_TAGS = {
    "ingest:tracker": {SITE, INCIDENTS},
    "ingest:feed": {INCIDENTS},
    "story_feed": {SITE, STORIES},
    "sector_story_feed": {SITE, STORIES},
    "risk_story_feed": {SITE, STORIES},
    "author_story_feed": {SITE, STORIES},
    "news_sitemap": {STORIES},
    "sector_index": {SITE},
    "risk_index": {SITE},
}
# Pages whose content moves with the clock (periods, "last two days" windows).
CLOCK_VIEWS = {"ingest:tracker", "ingest:feed", "news_sitemap", "sitemap"}
# A topic page shows one tab: its stories, its podcast episodes or its incidents; with no tab
# named it opens on the first that has items, so it depends on all three.
TOPIC_TAB_TAGS = {"podcasts": {EPISODES}, "incidents": {INCIDENTS}}


def tags_for_view(match):
    name, kwargs = match.view_name, match.kwargs
    if name in VIEW_TAGS:
        return VIEW_TAGS[name]
    if name == "ingest:incident":
        return {SITE, incident_tag(kwargs.get("pk"))}
    if name == "podcast_transcript":
        return {SITE, page_tag(kwargs.get("page_id"))}
    return None


def tags_for_page(page, request, response):
    tags = {SITE, page_tag(page.pk)}
    context = getattr(response, "context_data", None) or {}
    if isinstance(page, HomePage):
        return tags | {STORIES, EPISODES, INCIDENTS}
    if isinstance(page, ArticleIndexPage):
        return tags | {STORIES}
    if isinstance(page, PodcastIndexPage):
        return tags | {EPISODES}
    if isinstance(page, TopicIndexPage):
        route = getattr(request, "page_cache_route", {})
        slug, tab = route.get("slug"), route.get("tab")
        if slug is None:
            return tags
        if tab in TOPIC_TAB_TAGS:
            return tags | TOPIC_TAB_TAGS[tab]
        tags.add(f"{page.kind}:{slug}")
        return tags if tab == "stories" else tags | {EPISODES, INCIDENTS}
    if isinstance(page, ArticlePage):
        # Related stories: the ones shown, and any new story sharing a sector or risk type.
        tags |= {page_tag(story.pk) for story in context.get("related_stories") or ()}
        tags |= {sector_tag(sector.slug) for sector in page.sector_list}
        tags |= {risk_tag(risk.slug) for risk in page.risk_type_list}
        # The incidents and episodes it links, and the listings whose changes move the
        # addresses its body links to.
        incident_ids, episode_ids = page.linked_item_ids()
        tags |= {incident_tag(pk) for pk in incident_ids} | {page_tag(pk) for pk in episode_ids}
        tags |= set(page.body_link_listings)
        return tags
    if isinstance(page, AuthorIndexPage):
        # Authors are the site's furniture; their pages list their stories and episodes.
        return tags | {STORIES, EPISODES}
    if isinstance(page, EpisodePage):
        tags |= {EPISODES, page_tag(page.get_parent().pk)}
        tags |= {page_tag(story.pk) for story in page.related_stories()}
        return tags
    return None


def tags_for_response(request, response):
    page = getattr(request, "page_cache_page", None)
    if page is not None:
        tags = tags_for_page(page, request, response)
    else:
        match = getattr(request, "resolver_match", None)
        tags = tags_for_view(match) if match else None
    return (tags or {ANY}) | {ALL}


def remember_served_page(serve):
    """Wagtail's on_serve_page hook: notes which page answered, for tags_for_response."""

    def serve_and_remember(page, request, args, kwargs):
        request.page_cache_page = page
        # A routable page is served with (view, view args, view kwargs).
        if len(args) == 3 and isinstance(args[2], dict):
            request.page_cache_route = args[2]
        return serve(page, request, args, kwargs)

    return serve_and_remember


# --- Keys ------------------------------------------------------------------------------------


class ReadRecordingQueryDict(QueryDict):
    """request.GET that notes which parameter names the view asks for."""

    def __init__(self, query_string=None, mutable=False, encoding=None):
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.read_names = set()

    def __getitem__(self, key):
        self.read_names.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read_names.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read_names.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read_names.add(key)
        return super().__contains__(key)


def query_pairs(request):
    if not request.META.get("QUERY_STRING"):
        return []
    return [
        (name, value)
        for name, values in request.GET.lists()
        if not is_tracking_parameter(name)
        for value in values
    ]


def replace_query(request, pairs):
    recording = ReadRecordingQueryDict(mutable=True, encoding=request.encoding)
    for name, value in pairs:
        recording.appendlist(name, value)
    recording._mutable = False
    recording.read_names.clear()  # building it asked about each name; the view has not yet
    request.GET = recording
    request.META["QUERY_STRING"] = urlencode(pairs)
    return recording


def entry_key(address, names, pairs):
    query = urlencode(sorted((n, v) for n, v in pairs if n in names))
    raw = f"{address}|{','.join(sorted(names))}|{query}"
    return "page-cache:" + hashlib.sha256(raw.encode()).hexdigest()


# --- Stored answers --------------------------------------------------------------------------


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(settings.PAGE_CACHE_BYPASS_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_cacheable_response(request, response):
    cache_control = response.get("Cache-Control", "")
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    # A response that varies on cookies is the same for every cookieless reader.
    allowed_vary = {"accept-encoding"} if request.COOKIES else {"accept-encoding", "cookie"}
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "s-maxage" in cache_control
        and "private" not in cache_control
        and "no-store" not in cache_control
        and vary <= allowed_vary
    )


def stored_entry(response, stamp, lifetime):
    body = response.content
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS
    ]
    compressed = None
    if len(body) >= 1024 and response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES):
        compressed = gzip.compress(body, compresslevel=6, mtime=0)
    return (stamp, response.status_code, headers, body, compressed, time.time() + lifetime)


def is_fresh(entry, values):
    return all(values.get(tag, 0) == generation for tag, generation in entry[0])


def answer_from(entry, request):
    _, status, headers, body, compressed, _ = entry
    use_gzip = compressed is not None and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    response = HttpResponse(compressed if use_gzip else body, status=status)
    for name, value in headers:
        response.headers[name] = value
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
        etag = response.headers.get("ETag")
        if etag and etag.endswith('"'):
            response.headers["ETag"] = etag[:-1] + '-gzip"'
    response.headers["Content-Length"] = str(len(response.content))
    response.headers["X-Page-Cache"] = "hit"
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        # A feed reader's conditional request still gets its 304 from a stored copy.
        not_modified = get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=parse_http_date_safe(response.headers.get("Last-Modified", "")),
            response=response,
        )
        if not_modified is not None:
            return not_modified
    return response


# address -> the query parameter names its view reads, learnt by this process.
READ_NAMES = {}


def remember_read_names(address, names):
    if len(READ_NAMES) >= MAX_RECORDED_ADDRESSES:
        READ_NAMES.clear()
    READ_NAMES[address] = frozenset(names)


class AnonymousPageCacheMiddleware:
    """First in the middleware list: a stored page is answered before sessions,
    authentication or messages do any work. Requests carrying a session cookie (editors)
    or credentials always go through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # What the request remembers in the process is stamped with the generations it began
        # with: rows it reads are then never remembered as newer than they are (see
        # process_memo.generations_pinned), for editors' requests as for readers'.
        with process_memo.generations_pinned():
            return self.respond(request)

    def respond(self, request):
        if not settings.CACHE_PAGE_SECONDS or not is_cacheable_request(request):
            return self.get_response(request)
        try:
            host = request.get_host()
            values = GENERATIONS.current()
        except (DisallowedHost, DatabaseError):
            return self.get_response(request)
        address = f"{request.scheme}://{host}{request.path}"
        pairs = query_pairs(request)
        names = READ_NAMES.get(address)
        if names is not None:
            entry = cache.get(entry_key(address, names, pairs))
            if entry is not None and is_fresh(entry, values):
                return answer_from(entry, request)
            pairs = [(name, value) for name, value in pairs if name in names]
        recording = replace_query(request, pairs)
        response = self.get_response(request)
        read = (names or set()) | recording.read_names
        if read != names:
            remember_read_names(address, read)
        # A page rendered with a parameter it did not read might echo it; store only clean ones.
        if is_cacheable_response(request, response) and {name for name, _ in pairs} <= read:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            patch_vary_headers(response, ["Accept-Encoding"])
            tags = tags_for_response(request, response)
            match = request.resolver_match
            lifetime = (
                settings.PAGE_CACHE_CLOCK_SECONDS
                if match is None or match.view_name in CLOCK_VIEWS
                else settings.PAGE_CACHE_STORE_SECONDS
            )
            entry = stored_entry(response, GENERATIONS.stamp(tags, values), lifetime)
            cache.set(entry_key(address, read, pairs), entry, lifetime)
            response["X-Page-Cache"] = "miss"
        return response


class PageCacheApplication:
    """Wraps the WSGI application: a stored page for an anonymous GET is answered from the
    WSGI environ, before Django builds a request or runs any middleware. Anything it cannot
    answer plainly (a first visit, a conditional request, a session cookie, a due generation
    poll) goes to Django, where AnonymousPageCacheMiddleware handles it.

    The most recently answered entries are also kept decoded in this process (``hot``), so a
    busy page costs neither unpickling nor a Redis round trip; they are checked against the
    generations like any stored entry."""

    HOT_ENTRIES = 256

    def __init__(self, application):
        self.application = application
        self.hot = {}
        self.known_hosts = set()
        # Settings read once: a lazy settings lookup per request costs as much as the answer.
        self.enabled = bool(settings.CACHE_PAGE_SECONDS)
        self.poll_seconds = settings.PAGE_CACHE_POLL_SECONDS
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.bypass_prefixes = settings.PAGE_CACHE_BYPASS_PREFIXES
        self.allowed_hosts = settings.ALLOWED_HOSTS
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        self.script_name = settings.FORCE_SCRIPT_NAME

    def __call__(self, environ, start_response):
        answer = self.stored_answer(environ) if self.enabled else None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def address(self, environ):
        """scheme://host/path as Django's HttpRequest would give it, or None."""
        host = environ.get("HTTP_HOST", "")
        if host not in self.known_hosts:
            domain, _ = split_domain_port(host)
            if not domain or not validate_host(domain, self.allowed_hosts):
                return None
            if len(self.known_hosts) < 64:
                self.known_hosts.add(host)
        scheme = environ.get("wsgi.url_scheme", "http")
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            if environ.get(header) is not None:
                forwarded = environ[header].split(",", 1)[0].strip()
                scheme = "https" if forwarded == secure_value else "http"
        path_info = environ.get("PATH_INFO") or "/"
        if not path_info.isascii():
            path_info = get_path_info(environ) or "/"
        if path_info.startswith(self.bypass_prefixes):
            return None
        script_name = self.script_name
        if script_name is None:
            script_name = get_script_name(environ)
        path = "{}/{}".format(script_name.rstrip("/"), path_info.replace("/", "", 1))
        return f"{scheme}://{host}{path}"

    def stored_answer(self, environ):
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or "HTTP_AUTHORIZATION" in environ
            or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ
            or self.session_cookie in environ.get("HTTP_COOKIE", "")
            or time.monotonic() - GENERATIONS.checked >= self.poll_seconds
        ):
            return None
        address = self.address(environ)
        names = READ_NAMES.get(address) if address else None
        if names is None:
            return None
        pairs = ()
        if environ.get("QUERY_STRING") and names:
            pairs = [
                (name, value)
                for name, values in QueryDict(environ["QUERY_STRING"]).lists()
                if name in names
                for value in values
            ]
        hot_key = f"{address}?{urlencode(sorted(pairs))}" if pairs else address
        values = GENERATIONS.values
        prepared = self.hot.get(hot_key)
        if prepared is None or not is_fresh(prepared[0], values) or prepared[0][5] < time.time():
            entry = cache.get(entry_key(address, names, pairs))
            if entry is None or not is_fresh(entry, values):
                return None
            prepared = self.prepare(entry)
            if len(self.hot) >= self.HOT_ENTRIES:
                self.hot.clear()
            self.hot[hot_key] = prepared
        entry, status, plain_headers, gzip_headers = prepared
        if gzip_headers is not None and "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
            return status, gzip_headers, entry[4]
        return status, plain_headers, entry[3]

    def prepare(self, entry):
        _, status, headers, body, compressed, _ = entry
        status_line = f"{status} {HTTPStatus(status).phrase}"
        plain = [*headers, ("Content-Length", str(len(body))), ("X-Page-Cache", "hit")]
        gzipped = None
        if compressed is not None:
            gzipped = [
                (name, value[:-1] + '-gzip"' if name == "ETag" and value.endswith('"') else value)
                for name, value in headers
            ]
            gzipped += [
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(compressed))),
                ("X-Page-Cache", "hit"),
            ]
        return entry, status_line, plain, gzipped


def connect_signals():
    page_published.connect(on_page_event, dispatch_uid="page-cache-published")
    page_unpublished.connect(on_page_event, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(on_page_event, dispatch_uid="page-cache-moved")
    post_save.connect(on_row_saved, dispatch_uid="page-cache-save")
    post_delete.connect(on_row_deleted, dispatch_uid="page-cache-delete")
    hooks.register("on_serve_page", remember_served_page)
