from django.urls import path

from ingest.incidents import rss, views

app_name = "ingest"

urlpatterns = [
    path("incidents/", views.tracker, name="tracker"),
    path("incidents/feed/", rss.incident_feed, name="feed"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
]
