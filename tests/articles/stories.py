"""Building the newsroom's content for tests the way editors do: real image files from
tests/articles/fixtures, pages added under the news section and published through revisions.

Imported by the conftest of tests/articles and tests/site."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from articles.models import ArticleIndexPage, ArticlePage, ArticlePageAuthor, Author, RelatedStory
from cirsite.base.models import CustomImage, RiskType, Sector

FIXTURES = Path(__file__).parent / "fixtures"
EMBED_URL = "https://www.youtube.com/watch?v=cirsite-demo"


def fixture_image(filename="server-room.jpg", title="Server room", alt_text="", credit=""):
    """A library image from tests/articles/fixtures (or a path under tests/fixtures)."""
    path = FIXTURES / filename
    if not path.exists():
        path = FIXTURES.parents[1] / "fixtures" / filename
    filename = path.name
    with open(path, "rb") as handle:
        image = CustomImage(title=title, alt_text=alt_text, credit=credit)
        image.file.save(filename, ImageFile(handle, name=filename), save=False)
        image.save()
    return image


def make_author(name, role="Reporter", bio="", photo=None):
    slug = name.lower().replace(" ", "-")
    return Author.objects.create(
        name=name,
        slug=slug,
        role=role,
        bio=bio or f"<p>{name} writes about cyber risk.</p>",
        photo=photo,
    )


def ensure_news_index(home):
    index = ArticleIndexPage.objects.child_of(home).filter(slug="news").first()
    if index is None:
        index = ArticleIndexPage(title="News", slug="news", introduction="All our stories.")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def publish_story(
    index,
    title,
    *,
    authors=(),
    sectors=(),
    risk_types=(),
    tags=(),
    body=None,
    published_at=None,
    related=(),
    publish=True,
    **fields,
):
    """Add a story under ``index`` and publish it, dated ``published_at`` (default now)."""
    slug = fields.pop("slug", None) or title.lower().replace(" ", "-")[:50]
    story = ArticlePage(
        title=title,
        slug=slug,
        standfirst=fields.pop("standfirst", f"What happened: {title}."),
        body=body if body is not None else [paragraph(f"The full story of {title}.")],
        live=False,
        **fields,
    )
    story.article_authors = [
        ArticlePageAuthor(author=author, sort_order=order) for order, author in enumerate(authors)
    ]
    story.sectors = [Sector.objects.get(slug=slug) for slug in sectors]
    story.risk_types = [RiskType.objects.get(slug=slug) for slug in risk_types]
    story.related_links = [
        RelatedStory(story=other, sort_order=order) for order, other in enumerate(related)
    ]
    if tags:
        story.tags.add(*tags)
    index.add_child(instance=story)
    revision = story.save_revision()
    if publish:
        revision.publish()
        if published_at is not None:
            ArticlePage.objects.filter(pk=story.pk).update(
                first_published_at=published_at, last_published_at=published_at
            )
        story.refresh_from_db()
    return story


def seed_stories(index, count, authors, *, start=None, tags_per_story=3, first_number=0, images=()):
    """``count`` published stories an hour apart, newest last, spread over the taxonomy."""
    sectors = list(Sector.objects.values_list("slug", flat=True))
    risks = list(RiskType.objects.values_list("slug", flat=True))
    start = start or timezone.now() - timedelta(hours=count + 1)
    stories = []
    for number in range(first_number, first_number + count):
        stories.append(
            publish_story(
                index,
                f"Seeded story {number:04d}",
                slug=f"seeded-story-{number:04d}",
                authors=[authors[number % len(authors)], authors[(number + 1) % len(authors)]],
                sectors=[sectors[number % len(sectors)]],
                risk_types=[risks[number % len(risks)], risks[(number + 3) % len(risks)]],
                tags=[f"tag-{(number + k) % 40}" for k in range(tags_per_story)],
                published_at=start + timedelta(hours=number - first_number),
                hero_image=images[number % len(images)] if images else None,
                body=[
                    paragraph(f"Body of seeded story {number}."),
                    *(
                        {
                            "type": "image",
                            "value": {"image": image.pk, "alt_text": "", "caption": "Seeded"},
                        }
                        for image in images[:2]
                    ),
                ],
            )
        )
    return stories


def cache_embed(url=EMBED_URL, html='<iframe title="Briefing video" src="about:blank"></iframe>'):
    """An embed already in Wagtail's cache, so that rendering never calls an oEmbed provider."""
    Embed.objects.get_or_create(
        hash=get_embed_hash(url),
        defaults={
            "url": url,
            "type": "video",
            "html": html,
            "title": "Briefing video",
            "provider_name": "YouTube",
            "width": 640,
            "height": 360,
        },
    )


@pytest.fixture
def news_index(site_root):
    return ensure_news_index(site_root)


@pytest.fixture
def reporter(db):
    return make_author(
        "Hannah Okafor",
        role="News editor",
        bio="<p>Hannah covers <b>cyber incidents</b> and resilience.</p>",
        photo=fixture_image("author-portrait.jpg", "Hannah Okafor", alt_text="Hannah Okafor"),
    )


@pytest.fixture
def second_reporter(db):
    return make_author("Daniel Mercer", role="Risk correspondent")


def add_stories_in_bulk(index, count, authors, *, first_number=0, start=None, images=()):
    """``count`` live stories added straight into the page tree (no revisions, as an import
    would): a few hundred in seconds, for tests about how pages scale with content."""
    sectors, risks = list(Sector.objects.all()), list(RiskType.objects.all())
    start = start or timezone.now() - timedelta(days=60)
    for number in range(first_number, first_number + count):
        when = start + timedelta(minutes=number)
        story = ArticlePage(
            title=f"Bulk story {number:04d}",
            slug=f"bulk-story-{number:04d}",
            standfirst="A supplier's outage became its customers' outage.",
            body=[paragraph(f"Body of bulk story {number}.")],
            hero_image=images[number % len(images)] if images else None,
            live=True,
            first_published_at=when,
            last_published_at=when,
        )
        story.article_authors = [
            ArticlePageAuthor(author=authors[(number + k) % len(authors)], sort_order=k)
            for k in range(2)
        ]
        story.sectors = [sectors[number % len(sectors)]]
        story.risk_types = [risks[number % len(risks)], risks[(number + 5) % len(risks)]]
        story.tags.add(*[f"bulk-tag-{(number + k) % 40}" for k in range(3)])
        index.add_child(instance=story)
