"""Keeping the search index in step with what readers see.

Wagtail indexes a page from its ``post_save`` signal, which fires inside ``save()`` before
modelcluster commits the page's child relations and parental many-to-many fields: with the
immediate task backend the index would hold the sectors, risk types, bylines and incident
links of the *previous* publication. Publishing is finished by ``page_published``, so the
page is indexed again there. A show's hosts and an author's name reach the index of the
episodes and stories that carry them.
"""

from django.db.models.signals import post_save
from wagtail.search import index
from wagtail.signals import page_published

from articles.models import ArticlePage, Author
from podcasts.models import EpisodePage, PodcastIndexPage

SEARCHED_PAGE_TYPES = (ArticlePage, EpisodePage)


def reindex_published_page(sender, instance, **kwargs):
    index.insert_or_update_object(instance)


def reindex_episodes_of(sender, instance, **kwargs):
    """Episodes are found by their show's hosts, who are set on the show."""
    for episode in EpisodePage.objects.child_of(instance).live():
        index.insert_or_update_object(episode)


def reindex_stories_by(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    for story in ArticlePage.objects.live().filter(article_authors__author=instance).distinct():
        index.insert_or_update_object(story)


def connect_signals():
    for page_type in SEARCHED_PAGE_TYPES:
        page_published.connect(
            reindex_published_page,
            sender=page_type,
            dispatch_uid=f"search-reindex-{page_type._meta.label_lower}",
        )
    page_published.connect(
        reindex_episodes_of, sender=PodcastIndexPage, dispatch_uid="search-reindex-show"
    )
    post_save.connect(reindex_stories_by, sender=Author, dispatch_uid="search-reindex-author")
