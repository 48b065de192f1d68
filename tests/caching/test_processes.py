"""Every reader sees a change made by any process: two web servers share one SQLite site (as
`make run`'s workers do), and a third process (a `manage.py` command) changes it."""

import re
import time
import urllib.error
import urllib.request

import pytest

from tests.running_site import (
    PROJECT,
    copy_site,
    free_port,
    manage,
    site_environment,
    start_gunicorn,
    wait_for_gunicorn,
)

POLL_SECONDS = 0.5
STORY = "/news/jaguar-land-rover-cyberattack-stops-production/"
UNRELATED_STORY = "/news/kido-nursery-data-stolen-by-extortion-group/"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, demo_site_dir):
    """Two gunicorn processes, one worker each, serving the same demo site; and the
    environment a third process needs to change that site."""
    var_dir = copy_site(demo_site_dir, tmp_path_factory.mktemp("shared-site"))
    env = site_environment(var_dir, 8000, PAGE_CACHE_POLL_SECONDS=str(POLL_SECONDS))
    servers, logs, urls = [], [], []
    for _ in range(2):
        port = free_port()
        server_env = {**env, "BASE_URL": f"http://127.0.0.1:{port}"}
        log = open(var_dir / f"gunicorn-{port}.log", "wb")  # noqa: SIM115 - closed below
        servers.append(start_gunicorn(server_env, port, log, workers=1))
        logs.append(log)
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, server in zip(urls, servers, strict=True):
            wait_for_gunicorn(url, server, var_dir / f"gunicorn-{url.rsplit(':', 1)[1]}.log")
        yield urls, env
    finally:
        for server, log in zip(servers, logs, strict=True):
            server.terminate()
            server.wait(timeout=15)
            log.close()


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("X-Page-Cache"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache"), error.read().decode()


def stored_everywhere(urls, path):
    for url in urls:
        fetch(url + path)
        status, source, _ = fetch(url + path)
        assert (status, source) == (200, "hit"), (url, path)


def after_the_poll_interval():
    """Every serving process reads the moved generations on its first request after this."""
    time.sleep(POLL_SECONDS + 0.1)


def test_an_edit_published_from_another_process_reaches_both_servers(two_servers):
    urls, env = two_servers
    for path in (STORY, "/news/", "/"):
        stored_everywhere(urls, path)

    manage(
        env,
        "shell",
        "-c",
        "from articles.models import ArticlePage\n"
        f"story = ArticlePage.objects.get(url_path__endswith='{STORY[5:]}')\n"
        "story.title = 'Jaguar Land Rover restarts production'\n"
        "story.save_revision().publish()\n",
    )
    after_the_poll_interval()

    for url in urls:
        for path in (STORY, "/news/", "/"):
            status, source, body = fetch(url + path)
            assert status == 200
            assert source == "miss", (url, path)
            assert "Jaguar Land Rover restarts production" in body, (url, path)
        # The edit does not touch a story that does not show it.
        assert fetch(url + UNRELATED_STORY)[1] in ("hit", "miss")


def test_a_scheduled_unpublish_reaches_both_servers(two_servers):
    urls, env = two_servers
    stored_everywhere(urls, UNRELATED_STORY)
    stored_everywhere(urls, "/news/")

    # The expiry is set without signals, so the change readers see is publish_scheduled's.
    manage(
        env,
        "shell",
        "-c",
        "from django.utils import timezone\n"
        "from articles.models import ArticlePage\n"
        f"ArticlePage.objects.filter(url_path__endswith='{UNRELATED_STORY[5:]}')"
        ".update(expire_at=timezone.now())\n",
    )
    for url in urls:
        assert fetch(url + UNRELATED_STORY)[:2] == (200, "hit")
    manage(env, "publish_scheduled")
    after_the_poll_interval()

    for url in urls:
        assert fetch(url + UNRELATED_STORY)[0] == 404
        assert "Nursery chain" not in fetch(url + "/news/")[2]


def test_an_ingest_run_reaches_both_servers_and_leaves_story_pages_stored(two_servers):
    urls, env = two_servers
    for path in ("/incidents/", STORY):
        stored_everywhere(urls, path)

    manage(env, "ingest", "--file", str(PROJECT / "tests/fixtures/feeds/incident-watch.rss"))
    after_the_poll_interval()

    for url in urls:
        status, source, _body = fetch(url + "/incidents/")
        assert (status, source) == (200, "miss")
        # The demo holds 60+ incidents; the ingested one is found under its sector.
        filtered = fetch(url + "/incidents/?sector=professional-services")[2]
        assert "Capita confirms customer data was taken" in filtered
        assert fetch(url + STORY)[1] == "hit", "an ingest run does not re-render stories"


def canonical(body):
    return re.search(r'<link rel="canonical" href="([^"]*)"', body).group(1)


def test_a_client_sent_script_name_cannot_poison_stored_pages(two_servers):
    """`SCRIPT_NAME: /podcasts` on a request for /podcasts/ would, unguarded, make Django
    prefix every link with /podcasts/ and store that page for every later reader."""
    urls, _ = two_servers
    for url in urls:
        for _ in range(3):
            fetch(url + "/podcasts/?x=1", headers={"SCRIPT_NAME": "/podcasts"})
            fetch(url + "/podcasts/", headers={"SCRIPT_NAME": "/podcasts"})
    prefixed = re.compile(r'(href|src)="/podcasts/(feeds|news|static|sectors|risks|incidents)/')
    for url in urls:
        status, _, body = fetch(url + "/podcasts/")
        assert status == 200
        assert canonical(body) == url + "/podcasts/"
        assert not prefixed.search(body)
        status, _, body = fetch(url + "/")
        assert canonical(body) == url + "/"
        assert not prefixed.search(body)
