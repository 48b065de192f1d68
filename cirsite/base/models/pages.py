from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from cirsite.base.http_caching import patch_shared_cache
from cirsite.base.process_memo import ALL, remembered


def any_view_restrictions():
    """Whether any page is private. Usually none is, and then neither a listing's
    ``.public()`` nor serving a page needs to ask which (a query each, on every render)."""
    return remembered(("any-view-restrictions",), (ALL,), PageViewRestriction.objects.exists)


class BasePageQuerySet(PageQuerySet):
    def private_q(self):
        if not any_view_restrictions():
            return models.Q(pk__in=[])  # what Wagtail returns when no section is private
        return super().private_q()


BasePageManager = PageManager.from_queryset(BasePageQuerySet)


class BasePage(Page):
    """Every public page: search-engine and social-sharing fields that all reach the HTML
    (see templates/includes/head_meta.html), and cache headers for the CDN."""

    social_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media (at least 1200×630).",
    )
    social_text = models.CharField(
        max_length=255,
        blank=True,
        help_text="Description shown when shared; defaults to the meta description.",
    )
    noindex = models.BooleanField(
        "Hide from search engines",
        default=False,
        help_text="Adds noindex to the page and leaves it out of the sitemap.",
    )

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("show_in_menus"),
            ],
            heading="For search engines",
        ),
        MultiFieldPanel(
            [FieldPanel("social_image"), FieldPanel("social_text"), FieldPanel("noindex")],
            heading="Sharing and indexing",
        ),
    ]

    objects = BasePageManager()

    class Meta:
        abstract = True

    @property
    def meta_description(self):
        return self.search_description or getattr(self, "standfirst", "") or ""

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_sitemap_urls(self, request=None):
        if self.noindex:
            return []
        return super().get_sitemap_urls(request)

    def serve(self, request, *args, **kwargs):
        return self.shared_response(request, super().serve(request, *args, **kwargs))

    def shared_response(self, request, response):
        """A reader's answer may be kept by shared caches (and the site's page cache); an
        editor's never. Pages with routes call this from their own serve(), which does not
        come through this class's."""
        if request.method in ("GET", "HEAD") and not request.user.is_authenticated:
            patch_shared_cache(response)
        if self.noindex:
            response["X-Robots-Tag"] = "noindex"
        return response
