"""A podcast app (or Apple's checker) fetches episode audio from the default deployment:
byte ranges, HEAD, validators, and nothing outside MEDIA_ROOT."""

import socket
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from wagtail.models import Collection

from .conftest import AUDIO

AUDIO_BYTES = (AUDIO / "spoken-test.mp3").read_bytes()
SIZE = len(AUDIO_BYTES)


@pytest.fixture
def episode_audio(add_episode):
    """Audio of a published episode: what /media/ serves to anyone."""
    return add_episode("Served audio", audio="spoken-test.mp3").audio


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_head_describes_the_file_without_sending_it(client, episode_audio):
    response = client.head(episode_audio.url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Type"] == "audio/mpeg"
    assert response["ETag"] and response["Last-Modified"]
    assert response.content == b""


def test_whole_file_is_streamed_with_range_support_advertised(client, episode_audio):
    response = client.get(episode_audio.url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE)
    assert body_of(response) == AUDIO_BYTES


def test_apple_probe_gets_exactly_two_bytes(client, episode_audio):
    response = get(client, episode_audio.url, Range="bytes=0-1")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{SIZE}"
    assert response["Content-Length"] == "2"
    assert body_of(response) == AUDIO_BYTES[:2]


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=1000-", 1000, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        ("bytes=100-199", 100, 199),
        (f"bytes=100-{SIZE * 10}", 100, SIZE - 1),
        (f"bytes=-{SIZE * 2}", 0, SIZE - 1),
    ],
)
def test_open_suffix_and_closed_ranges(client, episode_audio, header, start, end):
    response = get(client, episode_audio.url, Range=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body_of(response) == AUDIO_BYTES[start : end + 1]


def test_head_with_a_range_reports_the_part(client, episode_audio):
    response = client.head(episode_audio.url, headers={"Range": "bytes=-500"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {SIZE - 500}-{SIZE - 1}/{SIZE}"
    assert response["Content-Length"] == "500"


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_unsatisfiable_range_is_416_with_the_size(client, episode_audio, header):
    response = get(client, episode_audio.url, Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize("header", ["bytes=0-1,4-5", "bytes=abc", "items=0-1", "bytes=5-2"])
def test_ranges_it_does_not_serve_get_the_whole_file(client, episode_audio, header):
    response = get(client, episode_audio.url, Range=header)
    assert response.status_code == 200
    assert body_of(response) == AUDIO_BYTES


def test_if_range_resumes_only_while_the_file_is_unchanged(client, episode_audio):
    etag = client.head(episode_audio.url)["ETag"]
    same = get(client, episode_audio.url, Range="bytes=10-19", **{"If-Range": etag})
    assert same.status_code == 206
    assert body_of(same) == AUDIO_BYTES[10:20]
    stale = get(client, episode_audio.url, Range="bytes=10-19", **{"If-Range": '"other"'})
    assert stale.status_code == 200
    assert body_of(stale) == AUDIO_BYTES


def test_revalidation_answers_304(client, episode_audio):
    first = client.head(episode_audio.url)
    by_etag = get(client, episode_audio.url, **{"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304
    by_date = get(client, episode_audio.url, **{"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304
    assert "immutable" in first["Cache-Control"]


def test_nothing_outside_media_root_can_be_fetched(client, episode_audio, tmp_path):
    media_root = Path(settings.MEDIA_ROOT)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for readers")
    link = media_root / "linked-secret.txt"
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    try:
        for url in [
            "/media/../cirsite/settings.py",
            "/media/%2e%2e/%2e%2e/etc/passwd",
            "/media/..%2f..%2fetc%2fpasswd",
            "/media//etc/passwd",
            "/media/linked-secret.txt",
            "/media/podcast-audio/",
            "/media/no-such-file.mp3",
        ]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"not for readers" not in response.content
    finally:
        link.unlink()


def test_only_reading_methods_are_allowed(client, episode_audio):
    assert client.post(episode_audio.url).status_code == 405


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def raw_exchange(port, request_text):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request_text.encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return head.decode("latin-1"), body


# Committed, not inside the test's transaction: the server thread looks the episode up itself
@pytest.fixture
def root_collection(transactional_db):
    """Wagtail's root collection, which a migration creates and an earlier transactional
    test's flush removes."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.mark.django_db(transaction=True)
def test_a_real_wsgi_server_sends_exactly_the_requested_bytes(root_collection, episode_audio):
    # wsgiref's file wrapper reads to end of file; the partial response must stop anyway.
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=WSGIServer, handler_class=QuietHandler
    )
    port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = episode_audio.url
        head, body = raw_exchange(
            port,
            f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-1\r\n"
            "Connection: close\r\n\r\n",
        )
        assert head.startswith("HTTP/1.0 206") or head.startswith("HTTP/1.1 206"), head
        assert f"Content-Range: bytes 0-1/{SIZE}" in head
        assert body == AUDIO_BYTES[:2]

        head, body = raw_exchange(
            port, f"HEAD {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        assert " 200 " in head.splitlines()[0]
        assert f"Content-Length: {SIZE}" in head
        assert body == b""

        head, body = raw_exchange(
            port, f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        assert body == AUDIO_BYTES
    finally:
        server.shutdown()
        server.server_close()
