"""The default deployment, as `make run` starts it: gunicorn and whitenoise, DEBUG off, on a
loopback port, with static files fingerprinted and compressed."""

import re
import urllib.error
import urllib.request

import pytest


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def served_site(running_site):
    return running_site.url


def test_front_page_is_served_by_gunicorn_with_debug_off(served_site):
    status, headers, body = fetch(served_site + "/")
    assert status == 200
    assert b"Jaguar Land Rover cyberattack stops car production for weeks" in body
    assert "s-maxage" in headers["Cache-Control"]


def test_stylesheet_is_fingerprinted_compressed_and_cached_for_a_year(served_site):
    _, _, body = fetch(served_site + "/")
    match = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert match, "the page does not link a fingerprinted stylesheet"
    status, headers, compressed = fetch(
        served_site + match.group(1).decode(), headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert compressed[:2] == b"\x1f\x8b"
    assert "max-age=31536000" in headers["Cache-Control"]


def test_unknown_page_is_the_sites_404(served_site):
    with pytest.raises(urllib.error.HTTPError) as error:
        fetch(served_site + "/definitely/not/here/")
    assert error.value.code == 404
    assert b"Page not found" in error.value.read()
