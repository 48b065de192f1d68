from django.urls import path

from . import views

urlpatterns = [
    path(
        "podcast-transcripts/<int:page_id>.<str:kind>",
        views.episode_transcript,
        name="podcast_transcript",
    ),
]
