"""The tagging vocabulary: sectors and risk types.

Slugs are the stable identifiers used in URLs, feeds and the tagger's output; they are set
by the seed migration and never change. Names, definitions and vocabulary are editorial.

``TOPIC_KINDS`` is the one description of the two kinds of topic that every listing, feed,
filter and topic page reads.
"""

from dataclasses import dataclass

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cirsite.base.process_memo import ALL, SITE, copy_of, remembered


def split_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class TaxonomyTerm(index.Indexed, models.Model):
    slug = models.SlugField(unique=True, editable=False)
    name = models.CharField(max_length=80)
    definition = models.TextField(help_text="What the label means; the tagger's rules follow it.")
    keywords = models.TextField(
        blank=True,
        help_text="Trigger words and phrases, one per line. Matching ignores case and word "
        'form ("hospital" also finds "hospitals").',
    )
    organisations = models.TextField(
        blank=True,
        help_text="Names of organisations or groups that imply this label, one per line "
        '(for example "NHS trust" or "LockBit").',
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)
    # The shipped keyword and organisation text this row was last brought up to (None: never
    # synced). Comparing it with the shipped files tells a shipped change from an editor's.
    shipped_keywords = models.TextField(null=True, editable=False)
    shipped_organisations = models.TextField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("definition"),
        FieldPanel("keywords"),
        FieldPanel("organisations"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The topic page. Its address is fixed: the topic index pages refuse any other slug
        (see cirsite.site.models.TopicIndexPage), so the base layer can name it."""
        return f"/{self.topic_kind.path}/{self.slug}/"

    @classmethod
    def remembered_terms(cls):
        """Every term, in order, as remembered between requests (a change to a term moves
        the SITE generation); only copies leave this class."""
        key = (cls._meta.label, "listed")
        return remembered(key, (SITE, ALL), lambda: list(cls.objects.all()))

    @classmethod
    def listed(cls):
        """Every term, in order: what menus, filters and the front page show."""
        return [copy_of(term) for term in cls.remembered_terms()]

    @classmethod
    def with_slug(cls, slug):
        """The term with this slug, or None."""
        term = next((term for term in cls.remembered_terms() if term.slug == slug), None)
        return copy_of(term) if term is not None else None

    @property
    def topic_kind(self):
        return TOPIC_KINDS[self.kind_key]

    @property
    def keyword_list(self):
        return split_lines(self.keywords)

    @property
    def organisation_list(self):
        return split_lines(self.organisations)


class Sector(TaxonomyTerm):
    """The victim's or subject's industry."""

    kind_key = "sector"

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "sector"


class RiskType(TaxonomyTerm):
    """What happened; an item can have several."""

    kind_key = "risk"

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "risk type"


@dataclass(frozen=True)
class TopicKind:
    """One kind of topic: its model, how readers name it, the field that tags stories,
    episodes and incidents with it, and the path segment of its pages and feeds."""

    key: str
    model: type
    label: str
    plural: str
    field: str
    path: str

    def get(self, slug):
        return self.model.with_slug(slug)


TOPIC_KINDS = {
    "sector": TopicKind("sector", Sector, "Sector", "Sectors", "sectors", "sectors"),
    "risk": TopicKind("risk", RiskType, "Risk type", "Risk types", "risk_types", "risks"),
}
