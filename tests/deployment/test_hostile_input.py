"""No 500 from input: hostile query strings, headers and paths sent to every public URL
pattern of the running site (as `make run` serves it, on loopback) are answered 2xx-4xx.

Every public pattern is reached the way a reader reaches it: by following links from the
home page (plus the addresses no page links to: feeds, sitemap, robots, health)."""

import http.client
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.deployment.whole_site import whole_site

NINES = "9" * 5000

HOSTILE_QUERIES = [
    "q=%22",
    "q=a%22b",
    "q=a%00b",
    "q=%22%22%22",
    "q=a%27b%27%27",
    "q=" + "x" * 5000,
    "q=*&kind=%3Cscript%3E",
    "q=NEAR(a%20b)%20AND%20OR%20NOT",
    "q=%F0%9F%92%A5%ED%A0%80",
    "page=-1",
    "page=0",
    "page=" + NINES,
    "page=abc",
    "page=1e9",
    "sector=%00&risk=..%2F..%2F&period=" + NINES,
    "period=-1&year=99999&month=13",
    "%FF=%FE&a=1&a=2",
    "q[]=a&page[]=1",
    "q=%E2%80%AE%00%0D%0AX-Injected:%201",
]

HOSTILE_HEADERS = [
    {"Range": f"bytes={NINES}-"},
    {"Range": f"bytes=-{NINES}"},
    {"Range": "bytes=5-1,0-,-0,abc"},
    {"If-Range": "not a date or etag"},
    {"If-Modified-Since": "Tue, 99 Foo 99999 99:99:99 GMT"},
    {"If-None-Match": '"' + "a" * 4000 + '"'},
    {"Accept-Language": "xx-" + "y" * 500 + ";q=abc"},
    {"Cookie": "sessionid=../../etc/passwd; csrftoken=" + "z" * 300},
    {"X-Forwarded-For": "not-an-ip, 999.1.1.1"},
    {"X-Forwarded-Proto": "gopher"},
    {"Accept": "*/*;q=" + NINES},
    {"Content-Type": "multipart/form-data; boundary="},
]

HOSTILE_SUFFIXES = ["%00", "%FF", "..%2F..%2Fsettings.py", "x" * 300 + "/", "%2e%2e/", "//"]

SKIP = re.compile(r"^/(admin|static)/")


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.links.append(value)


def fetch(port, path, headers=None, method="GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def pattern_of(path):
    """A rough URL pattern: digits and slugs below the first segment collapse to one shape."""
    parts = [part for part in path.split("/") if part]
    shape = parts[:1] + ["<n>" if part.isdigit() else "<slug>" for part in parts[1:]]
    return "/" + "/".join(shape)


def crawl(port, per_shape=3):
    """Every public path linked from the home page (plus the addresses no page links to),
    and one sample path per URL shape. Pages of a shape already seen ``per_shape`` times are
    not fetched again: their links lead to shapes the first ones showed."""
    seen, queue, fetched, samples = set(), ["/"], {}, {}
    queue += ["/feeds/stories/", "/sitemap.xml", "/robots.txt", "/healthz", "/search/"]
    while queue:
        path = queue.pop(0)
        shape = pattern_of(path)
        if path in seen or fetched.get(shape, 0) >= per_shape:
            seen.add(path)
            continue
        seen.add(path)
        fetched[shape] = fetched.get(shape, 0) + 1
        status, body = fetch(port, path)
        assert status < 500, f"{path} answered {status} with no hostile input at all"
        samples.setdefault(shape, path)
        if b"<html" not in body[:500].lower():
            continue
        collector = LinkCollector()
        collector.feed(body.decode("utf-8", "replace"))
        for link in collector.links:
            parts = urlsplit(link)
            if parts.netloc and parts.netloc != f"127.0.0.1:{port}":
                continue
            if parts.path.startswith("/") and not SKIP.match(parts.path):
                queue.append(parts.path)
    return sorted(samples.values()), seen


@pytest.fixture(scope="module")
def served_site(tmp_path_factory, demo_site_dir):
    with whole_site(tmp_path_factory.mktemp("hostile"), prepared=demo_site_dir) as (url, *_):
        port = urlsplit(url).port
        samples, seen = crawl(port)
        yield port, samples, seen


def test_the_requests_from_the_issue_are_answered_without_a_server_error(served_site):
    port, _samples, seen = served_site
    for query in ("q=%22", "q=a%22b", "q=a%00b"):
        status, _ = fetch(port, f"/search/?{query}")
        assert status == 200, query

    audio = sorted(path for path in seen if path.startswith("/media/podcast-audio/"))
    assert audio, "the demo site links no episode audio"
    status, _ = fetch(port, audio[0], {"Range": f"bytes={NINES}-"})
    assert status in (200, 206, 416)


def test_hostile_input_to_every_public_url_pattern_never_causes_a_server_error(served_site):
    port, paths, _seen = served_site
    shapes = {pattern_of(path) for path in paths}
    # Every kind of public page is among them.
    for expected in ("/news/<slug>", "/podcasts/<slug>", "/incidents", "/sectors/<slug>"):
        assert any(shape.startswith(expected) for shape in shapes), (expected, shapes)

    failures = []
    sent = 0
    for path in paths:
        for query in HOSTILE_QUERIES:
            status, _ = fetch(port, f"{path}?{query}")
            sent += 1
            if status >= 500:
                failures.append(f"{status} {path}?{query[:60]}")
        for headers in HOSTILE_HEADERS:
            status, _ = fetch(port, path, headers)
            sent += 1
            if status >= 500:
                failures.append(f"{status} {path} {next(iter(headers))}")
        for suffix in HOSTILE_SUFFIXES:
            status, _ = fetch(port, path.rstrip("/") + "/" + suffix)
            sent += 1
            if status >= 500:
                failures.append(f"{status} {path}/{suffix[:40]}")
        status, _ = fetch(port, path, method="POST")
        sent += 1
        if status >= 500:
            failures.append(f"{status} POST {path}")

    print(f"{sent} hostile requests to {len(paths)} public URL patterns")
    assert failures == []
