"""Stored pages are answered at the WSGI layer, before Django builds a request; anything
that might be personal or conditional goes through to Django."""

import io

import pytest

from cirsite.site.page_cache import PageCacheApplication
from tests.articles.stories import publish_story


class Django:
    """Stands in for Django's WSGI handler to show whether a request reached it."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"rendered by Django"]


def environ(path, **extra):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "HTTP_HOST": "testserver",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        **extra,
    }


def call(application, env):
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(application(env, start_response))
    return answer


@pytest.fixture
def stored_story(client, news_index, reporter, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    # A due read of other processes' generations sends a request to Django; not under test.
    settings.PAGE_CACHE_POLL_SECONDS = 3600
    story = publish_story(news_index, "Grid operator isolates billing", authors=[reporter])
    stored = client.get(story.url)
    assert stored["X-Page-Cache"] == "miss"
    return story, stored


def test_a_stored_page_is_answered_without_django(stored_story):
    story, stored = stored_story
    django = Django()
    answer = call(PageCacheApplication(django), environ(story.url, QUERY_STRING="utm_source=x"))
    assert django.calls == 0
    assert answer["status"] == "200 OK"
    assert answer["headers"]["X-Page-Cache"] == "hit"
    assert answer["body"] == stored.content


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=editor-session"},
        {"HTTP_AUTHORIZATION": "Basic ZWRpdG9yOnNlY3JldA=="},
        {"HTTP_IF_NONE_MATCH": '"abc"'},
        {"REQUEST_METHOD": "POST"},
        {"HTTP_HOST": "evil.example"},
    ],
)
def test_personal_conditional_or_foreign_requests_go_to_django(stored_story, extra):
    story, _ = stored_story
    django = Django()
    answer = call(PageCacheApplication(django), environ(story.url, **extra))
    assert django.calls == 1
    assert answer["body"] == b"rendered by Django"


def test_a_change_makes_the_fast_path_step_aside(stored_story):
    story, _ = stored_story
    story.title = "Grid operator restores billing"
    story.save_revision().publish()
    django = Django()
    call(PageCacheApplication(django), environ(story.url))
    assert django.calls == 1
