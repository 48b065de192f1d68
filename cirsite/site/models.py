"""The site layer's pages: the front page and the two topic index pages (sectors and risk
types). They sit on top of every content app, so they import the content models directly."""

import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from articles.models import ArticlePage, card_prefetches, with_card_data
from cirsite.base.models import TOPIC_KINDS, BasePage, RiskType, Sector
from cirsite.base.pagination import paginate_remembered
from cirsite.base.process_memo import ALL, EPISODES, INCIDENTS, STORIES, remembered
from cirsite.base.templatetags.cards import stories_without_cards
from cirsite.base.templatetags.fragments import is_remembering
from cirsite.site.topics import TABS, topic_listing
from ingest.models import Incident
from podcasts.models import EpisodePage, PodcastIndexPage


class HomePage(BasePage):
    """The front page: an editor-chosen lead story, then everything else fills itself."""

    lead_story = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story at the top of the front page; the newest story if left empty.",
    )
    introduction = models.CharField(max_length=255, blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("lead_story", heading="Lead story"),
        FieldPanel("introduction"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "articles.ArticleIndexPage",
        "podcasts.PodcastIndexPage",
        "site.TopicIndexPage",
    ]
    template = "cirsite/home_page.html"

    latest_count = 8

    class Meta:
        verbose_name = "home page"

    @property
    def meta_description(self):
        return self.search_description or self.introduction

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each is read when the part of the page that shows it renders: the template
        # remembers its parts ({% remember %}), and a remembered part asks for nothing.
        stories = SimpleLazyObject(lambda: self.lead_and_latest(request))
        context["lead_story"] = SimpleLazyObject(lambda: stories[0])
        context["latest_stories"] = SimpleLazyObject(lambda: stories[1])
        context["latest_episodes"] = SimpleLazyObject(
            lambda: list(EpisodePage.objects.listing()[:4])
        )
        # The show whose feed the front page advertises (the first live one).
        context["podcast_show"] = SimpleLazyObject(
            lambda: (
                PodcastIndexPage.objects.live()
                .public()
                .select_related("artwork")
                .order_by("path")
                .first()
            )
        )
        context["latest_incidents"] = SimpleLazyObject(lambda: list(Incident.objects.public()[:6]))
        context["sectors"] = SimpleLazyObject(Sector.listed)
        context["risk_types"] = SimpleLazyObject(RiskType.listed)
        return context

    def lead_and_latest(self, request):
        """(the lead story, the latest others), with what their cards show."""
        # Without the listing's prefetches: only the lead and the cards that will render
        # need them (with_card_data).
        stories = ArticlePage.objects.listing().prefetch_related(None)
        # The chosen lead and the newest others in one listing query (its prefetches once):
        # one more than shown, so that the newest can lead when the chosen one is not live.
        newest = stories.exclude(pk=self.lead_story_id).values("pk")[: self.latest_count + 1]
        shown = list(
            stories.filter(models.Q(pk=self.lead_story_id) | models.Q(pk__in=newest))
            if self.lead_story_id
            else stories[: self.latest_count + 1]
        )
        lead = next((story for story in shown if story.pk == self.lead_story_id), None)
        latest = [story for story in shown if story is not lead]
        if lead is None and latest:
            lead = latest.pop(0)
        latest = latest[: self.latest_count]
        missing = stories_without_cards(latest, request, with_image=True)
        prefetch_related_objects([lead, *missing] if lead else missing, *card_prefetches())
        return lead, latest


# What each tab of a topic page lists, by the tag that moves with any change to it.
TAB_LISTINGS = {"stories": STORIES, "podcasts": EPISODES, "incidents": INCIDENTS}


class TopicIndexPage(RoutablePageMixin, BasePage):
    """The sectors page or the risk-types page, and under it a page for every sector or risk
    type with its stories, podcast episodes and tracked incidents in paginated tabs.

    Editors write the introduction and the search-engine and sharing fields here; each
    topic's own introduction is its definition in the tagging vocabulary. The address is
    fixed (``/sectors/``, ``/risks/``) because feeds, links and sitemaps name it."""

    kind = models.CharField(
        max_length=10,
        choices=[(key, kind.plural) for key, kind in TOPIC_KINDS.items()],
        unique=True,
        help_text="Which topics this page lists; one page for each.",
    )
    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("kind"), FieldPanel("introduction")]

    parent_page_types = ["site.HomePage"]
    subpage_types = []
    max_count = len(TOPIC_KINDS)
    template = "cirsite/topic_index.html"
    per_page = 12

    class Meta:
        verbose_name = "topic index page"

    @property
    def topic_kind(self):
        return TOPIC_KINDS[self.kind]

    @classmethod
    def ensure_under(cls, home):
        """Create and publish the missing topic index pages under ``home``, at their fixed
        addresses. Run after every migrate, so a site upgraded from the time when topic
        pages were plain views keeps its /sectors/ and /risks/ pages."""
        existing = set(cls.objects.values_list("kind", flat=True))
        for key, kind in TOPIC_KINDS.items():
            if key in existing:
                continue
            page = cls(title=kind.plural, slug=kind.path, kind=key)
            home.add_child(instance=page)
            page.save_revision().publish()

    @property
    def meta_description(self):
        label = self.topic_kind.label.lower()
        return self.search_description or f"Stories, podcasts and tracked incidents by {label}."

    def clean(self):
        super().clean()
        if self.kind in TOPIC_KINDS and self.slug != TOPIC_KINDS[self.kind].path:
            raise ValidationError(
                {
                    "slug": f"The {TOPIC_KINDS[self.kind].plural.lower()} page lives at "
                    f"/{TOPIC_KINDS[self.kind].path}/: links and feeds use that address."
                }
            )

    def serve(self, request, *args, **kwargs):
        return self.shared_response(request, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["info"] = self.topic_kind
        context["terms"] = self.topic_kind.model.listed()
        return context

    @path("")
    def index(self, request):
        return BasePage.serve(self, request)

    @path("<slug:slug>/")
    @path("<slug:slug>/<slug:tab>/")
    def topic(self, request, slug, tab=None):
        term = self.topic_kind.get(slug)
        if term is None or (tab is not None and tab not in TABS):
            raise Http404("No such topic")
        kind = self.topic_kind
        if tab is None:
            # Open on the first tab with something in it, so a reader never lands on "Nothing
            # here yet" while another tab has items.
            def first_tab():
                return next(
                    (key for key in TABS if topic_listing(kind, term, key).exists()), "stories"
                )

            tab = (
                remembered(("topic-tab", self.kind, slug), (*TAB_LISTINGS.values(), ALL), first_tab)
                if is_remembering(request)
                else first_tab()
            )

        def listing():
            # Built only if the listing is read: the queries are costly to put together.
            items = topic_listing(kind, term, tab)
            # Stories' card data comes for the cards that will render (with_card_data).
            return items.prefetch_related(None) if tab == "stories" else items

        if tab == "stories":
            prepare = functools.partial(with_card_data, request=request, with_image=True)
        else:
            prepare = list
        items = paginate_remembered(
            request,
            listing,
            ("topic-count", self.kind, slug, tab),
            (TAB_LISTINGS[tab], ALL),
            self.per_page,
            prepare,
        )
        base_url = term.get_absolute_url()
        tabs = [
            {
                "key": key,
                "label": label,
                "url": f"{base_url}{key}/",
                "current": key == tab,
            }
            for key, label in TABS.items()
        ]
        context = {
            "page": None,
            "topic_index": self,
            "kind": self.kind,
            "info": self.topic_kind,
            "term": term,
            "tab": tab,
            "listing": TAB_LISTINGS[tab],
            "tabs": tabs,
            "items": items,
            "feed_url": reverse(f"{self.kind}_story_feed", kwargs={"slug": term.slug}),
            "meta": {
                "title": f"{term.name}: {TABS[tab].lower()}",
                "description": term.definition,
                "canonical": request.path,
                "noindex": self.noindex,
            },
        }
        return TemplateResponse(request, "cirsite/topic_page.html", context)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        root = self.get_full_url(request)
        return urls + [
            {"location": f"{root}{term.slug}/", "lastmod": term.updated_at}
            for term in self.topic_kind.model.objects.all()
        ]


class PageCacheGeneration(models.Model):
    """How many times what a tag names has changed, shared by every process that serves or
    changes the site (see cirsite.site.page_cache). ``generation`` is the site-wide change
    counter at the tag's last change, so a process catches up by reading the rows above the
    last counter it saw."""

    tag = models.CharField(max_length=120, primary_key=True)
    generation = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        verbose_name = "page cache generation"

    def __str__(self):
        return f"{self.tag}: {self.generation}"
