from django.urls import path

from . import rss, sitemaps

urlpatterns = [
    path("feeds/stories/", rss.story_feed, name="story_feed"),
    path(
        "feeds/sectors/<slug:slug>/",
        rss.story_feed,
        {"kind": "sector"},
        name="sector_story_feed",
    ),
    path(
        "feeds/risks/<slug:slug>/",
        rss.story_feed,
        {"kind": "risk"},
        name="risk_story_feed",
    ),
    path(
        "feeds/authors/<slug:slug>/",
        rss.story_feed,
        {"kind": "author"},
        name="author_story_feed",
    ),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
]
