from django.urls import path

from . import feeds, views

app_name = "ingest"

urlpatterns = [
    path("incidents/", views.tracker, name="tracker"),
    path("incidents/feed/", feeds.incident_feed, name="feed"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
]
