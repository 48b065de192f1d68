"""Editors build the site from a page tree that only accepts what belongs where: the home
page at the top; under it the news section, the podcast show and the two topic pages;
stories only in the news section and episodes only in a show."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from articles.models import ArticleIndexPage, ArticlePage
from cirsite.site.models import HomePage, TopicIndexPage
from podcasts.models import EpisodePage, PodcastIndexPage


class PageTreeTests(WagtailPageTestCase):
    def test_the_home_page_sits_at_the_root_and_holds_the_sections(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {ArticleIndexPage, PodcastIndexPage, TopicIndexPage}
        )

    def test_stories_live_only_in_the_news_section(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(PodcastIndexPage, ArticlePage)

    def test_episodes_live_only_in_a_show(self):
        self.assertAllowedParentPageTypes(PodcastIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(PodcastIndexPage, {EpisodePage})
        self.assertAllowedParentPageTypes(EpisodePage, {PodcastIndexPage})
        self.assertAllowedSubpageTypes(EpisodePage, set())
        self.assertCanNotCreateAt(ArticleIndexPage, EpisodePage)

    def test_topic_pages_hang_off_the_home_page_and_hold_nothing(self):
        self.assertAllowedParentPageTypes(TopicIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TopicIndexPage, set())
        self.assertCanNotCreateAt(ArticleIndexPage, TopicIndexPage)

    def test_no_page_type_is_left_unconstrained(self):
        for model in (
            HomePage,
            ArticleIndexPage,
            ArticlePage,
            PodcastIndexPage,
            EpisodePage,
            TopicIndexPage,
        ):
            with self.subTest(model=model.__name__):
                self.assertIn("parent_page_types", vars(model))
                self.assertIn("subpage_types", vars(model))
