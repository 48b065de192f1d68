from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.signals import post_delete
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.safestring import mark_safe
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from cirsite.base.models import BasePage
from cirsite.base.models.pages import BasePageQuerySet, any_view_restrictions
from cirsite.base.pagination import paginate_remembered
from cirsite.base.process_memo import (
    ALL,
    EPISODES,
    SITE,
    STORIES,
    copy_of,
    page_tag,
    remembered,
)
from cirsite.base.seo import json_ld, page_absolute_url
from cirsite.base.sharing import share_links
from cirsite.base.templatetags.cards import stories_without_cards
from cirsite.base.templatetags.fragments import is_remembering

from .blocks import StoryBodyBlock
from .body_images import images_preloaded
from .link_suggestions import StoryForm
from .reading_time import reading_minutes

AUTHOR_INDEX_PATH_KEY = "articles:author-index-path"


class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    role = models.CharField(max_length=120, blank=True, help_text="For example: Deputy editor")
    bio = RichTextField(features=["bold", "italic", "link"], blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    email = models.EmailField(blank=True, help_text="Shown on the author page if set.")
    website_url = models.URLField("Website", blank=True)
    linkedin_url = models.URLField("LinkedIn profile", blank=True)
    x_url = models.URLField("X profile", blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("website_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("x_url"),
            ],
            heading="Links",
        ),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("role"),
        index.SearchField("bio"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """/authors/<slug>/ under the live author index page, or "" when there is none.
        The index's path is cached (and cleared when an index page is published, moved or
        removed), so bylines in a listing cost no query each."""
        base = cache.get(AUTHOR_INDEX_PATH_KEY)
        if base is None:
            index_page = AuthorIndexPage.objects.live().public().order_by("path").first()
            base = (index_page.url or "") if index_page else ""
            cache.set(AUTHOR_INDEX_PATH_KEY, base, 60 * 60)
        return f"{base}{self.slug}/" if base else ""

    @property
    def url(self):
        return self.get_absolute_url()

    @property
    def links(self):
        """(label, URL) of the author's public profiles that are set."""
        candidates = [
            ("Email", f"mailto:{self.email}" if self.email else ""),
            ("Website", self.website_url),
            ("LinkedIn", self.linkedin_url),
            ("X", self.x_url),
        ]
        return [(label, url) for label, url in candidates if url]

    @classmethod
    def with_slug(cls, slug):
        """The author with this slug, or None: from what this process remembers of every
        author's row (a change to one moves SITE), so an author page asks for none."""
        authors = remembered(("authors-by-slug",), (SITE, ALL), lambda: list(cls.objects.all()))
        author = next((author for author in authors if author.slug == slug), None)
        return copy_of(author) if author is not None else None

    def stories(self):
        return ArticlePage.objects.listing().filter(article_authors__author=self).distinct()

    def episodes(self):
        """Episodes of the shows this author hosts (podcasts links shows to authors)."""
        episodes = []
        for link in self.hosted_shows.select_related("page"):
            if link.page.live:
                episodes.extend(link.page.episodes())
        return sorted(episodes, key=lambda episode: episode.went_out, reverse=True)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePageQuerySet(BasePageQuerySet):
    def listing(self):
        """Live public stories, newest first, with what a listing card shows."""
        return (
            self.live()
            .public()
            .order_by("-first_published_at", "-pk")
            .select_related("hero_image")
            .prefetch_related(*card_prefetches())
        )

    def in_sector(self, sector):
        return self.filter(sectors=sector)

    def with_risk_type(self, risk_type):
        return self.filter(risk_types=risk_type)


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


def card_prefetches():
    """What a story's card shows besides its own row (see ``ArticlePageQuerySet.listing``)."""
    return (
        "hero_image__renditions",
        Prefetch(
            "article_authors",
            queryset=ArticlePageAuthor.objects.select_related("author").order_by("sort_order"),
        ),
        "sectors",
        "risk_types",
    )


def with_card_data(stories, request, **card_options):
    """``stories`` (a list, from a listing without its prefetches) with what their cards show,
    fetched only for the cards that will render: a remembered card needs nothing more."""
    missing = stories_without_cards(stories, request, **card_options)
    if missing:
        prefetch_related_objects(missing, *card_prefetches())
    return stories


class ArticleIndexPage(BasePage):
    """The news section: every story, newest first."""

    introduction = models.CharField(max_length=255, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["site.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    template = "articles/article_index_page.html"

    class Meta:
        verbose_name = "news section"

    @property
    def meta_description(self):
        return self.search_description or self.introduction

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = paginate_remembered(
            request,
            lambda: ArticlePage.objects.child_of(self).listing().prefetch_related(None),
            ("story-count", self.pk),
            (page_tag(self.pk), STORIES, ALL),
            prepare=lambda stories: with_card_data(stories, request, with_image=True),
        )
        return context


class ArticlePage(BasePage):
    standfirst = models.CharField(
        max_length=300, help_text="One or two sentences under the headline that sum up the story."
    )
    hero_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_caption = models.CharField(max_length=255, blank=True)
    body = StreamField(StoryBodyBlock())
    sectors = ParentalManyToManyField("cirsite.Sector", blank=True, related_name="stories")
    risk_types = ParentalManyToManyField("cirsite.RiskType", blank=True, related_name="stories")
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    source_url = models.URLField(
        blank=True, max_length=1000, help_text="The public report this story is based on, if any."
    )

    objects = ArticlePageManager()

    content_panels = BasePage.content_panels + [
        FieldPanel("standfirst"),
        InlinePanel("article_authors", label="Author", min_num=1),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_caption")], heading="Hero"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("risk_types", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading="Tags",
        ),
        FieldPanel("source_url"),
        InlinePanel("related_links", label="Related story", max_num=4),
        # Defined by the podcasts and incidents apps, which point at stories by name.
        InlinePanel(
            "episode_links",
            label="Episode that discusses this story",
            heading="Podcast episodes",
            max_num=4,
        ),
        InlinePanel(
            "incident_links",
            label="Tracked incident this story reports",
            heading="Tracked incidents",
            max_num=8,
        ),
        # Not a model field: StoryForm offers incidents and episodes to link (see
        # articles.link_suggestions).
        FieldPanel("suggested_links", heading="Suggested links"),
    ]
    base_form_class = StoryForm
    search_fields = BasePage.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
        # A reader searches by the words the site itself shows: topic names, tags, bylines
        # and the organisations of the incidents the story reports.
        index.RelatedFields("sectors", [index.SearchField("name"), index.FilterField("slug")]),
        index.RelatedFields("risk_types", [index.SearchField("name"), index.FilterField("slug")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields(
            "article_authors",
            [index.RelatedFields("author", [index.SearchField("name", boost=2)])],
        ),
        index.RelatedFields(
            "incident_links",
            [index.RelatedFields("incident", [index.SearchField("organisations")])],
        ),
    ]
    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []
    template = "articles/article_page.html"

    class Meta:
        verbose_name = "story"
        verbose_name_plural = "stories"

    def serve(self, request, *args, **kwargs):
        # The body's images and their renditions in one query, not two per image.
        with images_preloaded([self]):
            response = super().serve(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when a part of the page that shows them renders: the template remembers its
        # parts ({% remember %}), and a remembered part asks for nothing.
        context["authors"] = SimpleLazyObject(lambda: self.authors)
        context["share_links"] = SimpleLazyObject(lambda: self.share_links(request))
        context["story_url"] = SimpleLazyObject(lambda: page_absolute_url(self, request))
        context["related_episodes"] = SimpleLazyObject(self.related_episodes)
        context["tracked_incidents"] = SimpleLazyObject(self.tracked_incidents)
        if is_remembering(request):
            # The live story, not a preview's draft: what it shows of other rows is
            # remembered with the generations of those rows.
            self.remember_labels()
            context["related_stories"] = SimpleLazyObject(self.remembered_related_stories)
        else:
            context["related_stories"] = SimpleLazyObject(self.related_stories)
        return context

    def remember_labels(self):
        """sector_list and risk_type_list from what this process remembers of the story's
        labels (a change to them publishes the story; to a label's name, moves SITE)."""
        tags = (page_tag(self.pk), SITE, ALL)
        for name, relation in (("sector_list", "sectors"), ("risk_type_list", "risk_types")):
            # Default arguments: each lambda keeps its own relation.
            def read(relation=relation):
                return list(getattr(self, relation).all())

            def copies(name=name, read=read):
                return [copy_of(term) for term in remembered((name, self.pk), tags, read)]

            self.__dict__[name] = SimpleLazyObject(copies)

    def remembered_related_stories(self):
        # Any story's publication, labels or headline moves STORIES; this story's own
        # picks and labels move its tag.
        stories = remembered(
            ("related-stories", self.pk),
            (page_tag(self.pk), STORIES, ALL),
            self.related_stories,
        )
        return [copy_of(story) for story in stories]

    @property
    def body_link_listings(self):
        """The listings whose changes can move a link in the body or an author's biography
        (a rich-text link to a story or an episode shows that page's address), for the
        {% remember %} of the parts showing them; links to other pages move with SITE."""

        def read():
            texts = [item["value"] for item in self.body.raw_data if item["type"] == "paragraph"]
            texts += [author.bio for author in self.authors]
            if any('linktype="page"' in text for text in texts if isinstance(text, str)):
                return (STORIES, EPISODES)
            return ()

        return remembered(("body-link-listings", self.pk), (page_tag(self.pk), SITE, ALL), read)

    def related_episodes(self):
        """Live episodes an editor linked to this story. Most stories link none: the link
        rows alone are a much cheaper query than the episodes joined to them."""
        links = list(self.episode_links.all())
        if not links:
            return []
        links = self.episode_links.select_related("episode", "episode__artwork", "episode__audio")
        return [link.episode for link in links if link.episode.live]

    def linked_item_ids(self):
        """(incident ids, episode ids) this story links, live or not: the page cache stores
        the story against each of them, so that a retitled incident or an unpublished episode
        shows at once. The links change only with the story's own tag."""

        def read():
            return (
                [link.incident_id for link in self.incident_links.all()],
                [link.episode_id for link in self.episode_links.all()],
            )

        return remembered(("linked-item-ids", self.pk), (page_tag(self.pk), ALL), read)

    def tracked_incidents(self):
        """Incidents this story reports that readers may see (link rows first, as above)."""
        links = list(self.incident_links.all())
        if not links:
            return []
        links = self.incident_links.select_related("incident")
        return [link.incident for link in links if link.incident.is_public]

    @cached_property
    def reading_minutes(self):
        return reading_minutes([self.standfirst, *self.body_texts()])

    def body_texts(self):
        return self.body.stream_block.get_searchable_content(self.body)

    def attach_images_with_renditions(self):
        """Load the hero and social images with their renditions in one go, so that the
        picture, the social card and the JSON-LD do not each look renditions up. Done
        once, by the first of them to render (cirsite.base.seo.social_image)."""
        if self.__dict__.get("_images_attached"):
            return
        self.__dict__["_images_attached"] = True
        ids = {pk for pk in (self.hero_image_id, self.social_image_id) if pk}
        if not ids:
            return
        Image = get_image_model()
        images = {
            image.pk: image
            for image in Image.objects.filter(pk__in=ids).prefetch_related("renditions")
        }
        if self.hero_image_id in images:
            self.hero_image = images[self.hero_image_id]
        if self.social_image_id in images:
            self.social_image = images[self.social_image_id]

    @cached_property
    def authors(self):
        """The bylines in order, photos and their renditions fetched in one go."""
        if self.pk is None or "article_authors" in getattr(self, "_prefetched_objects_cache", {}):
            links = self.article_authors.all()
        else:
            links = self.article_authors.select_related("author__photo").prefetch_related(
                "author__photo__renditions"
            )
        return [link.author for link in links if link.author_id]

    @cached_property
    def sector_list(self):
        return list(self.sectors.all())

    @cached_property
    def risk_type_list(self):
        return list(self.risk_types.all())

    @cached_property
    def tag_list(self):
        return list(self.tags.all())

    @property
    def byline(self):
        return ", ".join(author.name for author in self.authors)

    @property
    def was_revised(self):
        """True when the story was republished well after it first went out."""
        first, last = self.first_published_at, self.last_published_at
        return bool(first and last and (last - first).total_seconds() > 3600)

    @property
    def feed_guid(self):
        """An id for feed readers that survives retitling, moving and re-slugging."""
        return f"urn:uuid:{self.translation_key}"

    def share_links(self, request=None):
        return share_links(page_absolute_url(self, request) or "", self.title, self.standfirst)

    # What a related-story card shows (headline, standfirst, date, link): the body and the
    # rest of the row stay in the database.
    CARD_FIELDS = ("title", "standfirst", "first_published_at", "url_path", "locale_id")

    def related_stories(self, limit=4):
        """Editor-picked related stories if any are live, else the stories sharing most
        sectors and risk types with this one (headline, standfirst and date only)."""
        candidates = ArticlePage.objects.live().public().exclude(pk=self.pk).only(*self.CARD_FIELDS)
        picked_ids = [link.story_id for link in self.related_links.all() if link.story_id]
        if picked_ids:
            by_id = {story.pk: story for story in candidates.filter(pk__in=picked_ids)}
            picked = [by_id[pk] for pk in picked_ids if pk in by_id]
            if picked:
                return picked[:limit]
        sector_ids = [s.pk for s in self.sector_list]
        risk_ids = [r.pk for r in self.risk_type_list]
        if not sector_ids and not risk_ids:
            return []
        if any_view_restrictions():
            ranked = self.stories_sharing_labels_by_orm(candidates, sector_ids, risk_ids, limit)
        else:
            ranked = self.stories_sharing_labels(sector_ids, risk_ids, limit)
            # Already live and not this story: the rows themselves are all that is left.
            candidates = ArticlePage.objects.only(*self.CARD_FIELDS)
        by_id = {story.pk: story for story in candidates.filter(pk__in=ranked)}
        return [by_id[pk] for pk in ranked if pk in by_id]

    def stories_sharing_labels(self, sector_ids, risk_ids, limit):
        """Ids of the live stories sharing most labels with this one, newest first among
        equals: one aggregate over the two label tables, in plain SQL because the ORM's
        version (two filtered distinct counts over a four-way join) costs more to compile
        than to run. A story has each label at most once, so counting rows counts labels."""
        sectors = ArticlePage.sectors.through._meta
        risks = ArticlePage.risk_types.through._meta
        page = Page._meta
        label_rows = []
        params = []
        for table, ids in ((sectors, sector_ids), (risks, risk_ids)):
            if ids:
                story_column = table.get_field("articlepage").column
                label_column = table.get_field("sector" if table is sectors else "risktype").column
                # Names come from the models' metadata; every value is a parameter.
                label_rows.append(
                    f"SELECT {story_column} AS story_id FROM {table.db_table} "  # noqa: S608
                    f"WHERE {label_column} IN ({', '.join(['%s'] * len(ids))})"
                )
                params += ids
        sql = (
            f"SELECT shared.story_id FROM ({' UNION ALL '.join(label_rows)}) shared "  # noqa: S608
            f"INNER JOIN {page.db_table} page ON page.id = shared.story_id "
            "WHERE page.live = %s AND page.id <> %s "
            "GROUP BY shared.story_id, page.first_published_at "
            "ORDER BY COUNT(*) DESC, page.first_published_at DESC, shared.story_id DESC "
            "LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, True, self.pk, limit])
            return [row[0] for row in cursor.fetchall()]

    def stories_sharing_labels_by_orm(self, candidates, sector_ids, risk_ids, limit):
        """The same ranking through the ORM, when some pages are private (``.public()``)."""
        return list(
            candidates.filter(models.Q(sectors__in=sector_ids) | models.Q(risk_types__in=risk_ids))
            .annotate(
                shared_labels=models.Count(
                    "sectors", filter=models.Q(sectors__in=sector_ids), distinct=True
                )
                + models.Count(
                    "risk_types", filter=models.Q(risk_types__in=risk_ids), distinct=True
                )
            )
            .order_by("-shared_labels", "-first_published_at", "-pk")
            .values_list("pk", flat=True)[:limit]
        )


class ArticlePageAuthor(Orderable):
    page = ParentalKey(ArticlePage, related_name="article_authors", on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("author")]


class RelatedStory(Orderable):
    page = ParentalKey(ArticlePage, related_name="related_links", on_delete=models.CASCADE)
    story = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", verbose_name="story"
    )

    panels = [FieldPanel("story")]


class AuthorIndexPage(RoutablePageMixin, BasePage):
    """/authors/: every author, and each author's page and feed as routes of this page.

    Authors are snippets (one record used by stories and shows); routes give each one a
    page of its own without a second, hand-synchronised page tree."""

    introduction = models.CharField(max_length=255, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["site.HomePage"]
    subpage_types = []
    max_count = 1
    template = "articles/author_index_page.html"

    class Meta:
        verbose_name = "author index"

    @property
    def meta_description(self):
        return self.search_description or self.introduction

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        base = urls[0]["location"]
        for author in Author.objects.all():
            urls.append({"location": f"{base}{author.slug}/"})
        return urls

    def serve(self, request, *args, **kwargs):
        return self.shared_response(request, super().serve(request, *args, **kwargs))

    @path("")
    def author_list(self, request):
        return self.render(
            request,
            context_overrides={
                "authors": Author.objects.select_related("photo").prefetch_related(
                    "photo__renditions"
                )
            },
        )

    @path("<slug:slug>/")
    def author_page(self, request, slug):
        author = Author.with_slug(slug) if is_remembering(request) else None
        if author is None:
            author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
        # The page's parts are remembered ({% remember %}): the stories and episodes are read
        # only when theirs renders.
        stories = paginate_remembered(
            request,
            lambda: author.stories().prefetch_related(None),
            ("author-story-count", author.pk),
            (STORIES, SITE, ALL),
            prepare=lambda stories: with_card_data(stories, request, with_image=True),
        )
        author_url = page_absolute_url(self, request) + f"{author.slug}/"
        person = {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": author.name,
            "url": author_url,
            "jobTitle": author.role or None,
            "sameAs": [url for label, url in author.links if label != "Email"] or None,
        }
        return self.render(
            request,
            template="articles/author_page.html",
            context_overrides={
                "author": author,
                "stories": stories,
                "episodes": SimpleLazyObject(
                    lambda: author.episodes()[:6] if stories.number == 1 else []
                ),
                "author_url": author_url,
                "person_json_ld": mark_safe(
                    json_ld({key: value for key, value in person.items() if value})
                ),
                "meta": {
                    "title": author.name,
                    "description": f"{author.name}, {author.role}. Stories and podcast episodes."
                    if author.role
                    else f"Stories and podcast episodes by {author.name}.",
                },
            },
        )


def forget_author_index_path(**kwargs):
    cache.delete(AUTHOR_INDEX_PATH_KEY)


# Author links are built from the index page's path: any change to that page clears it.
for signal in (page_published, page_unpublished, post_delete):
    signal.connect(forget_author_index_path, sender=AuthorIndexPage, weak=False)
post_page_move.connect(forget_author_index_path, weak=False)
