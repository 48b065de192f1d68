"""Hostile servers, each a real HTTP server on loopback: the fetch must end with a clear
error, memory bounded, and no request reaching an internal address (canary servers on
other loopback addresses count every hit they get)."""

import tracemalloc

import pytest

from ingest.pipeline.address_guard import BlockedAddress
from ingest.pipeline.errors import FetchError
from ingest.pipeline.fetch import fetch_feed
from tests.ingest.local_servers import (
    claimed_length,
    endless,
    gzip_bomb,
    redirect,
    respond,
    trickle,
)

MB = 1024 * 1024


class PeakMemory:
    """Peak Python allocations while the block runs."""

    def __enter__(self):
        tracemalloc.start()
        return self

    def __exit__(self, *exc):
        self.peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def test_a_20_mb_feed_is_refused_before_it_is_read(feed_server):
    url = feed_server.add("/big.xml", respond(b"<rss>" + b" " * (20 * MB) + b"</rss>"))
    with PeakMemory() as memory, pytest.raises(FetchError) as failed:
        fetch_feed(url)
    assert "larger than the 10 MB limit (the server says 20,971,531 bytes)" in (
        failed.value.message
    )
    assert memory.peak < 2 * MB


def test_a_20_mb_feed_without_a_length_stops_at_the_limit(feed_server):
    url = feed_server.add(
        "/big.xml", respond(b"<rss>" + b" " * (20 * MB) + b"</rss>", length=False)
    )
    with PeakMemory() as memory, pytest.raises(FetchError) as failed:
        fetch_feed(url)
    assert "larger than the 10 MB limit" in failed.value.message
    assert memory.peak < 25 * MB


def test_an_endless_body_stops_at_the_limit(feed_server):
    url = feed_server.add("/endless.xml", endless())
    with PeakMemory() as memory, pytest.raises(FetchError) as failed:
        fetch_feed(url, max_bytes=2 * MB)
    assert "larger than the 2 MB limit" in failed.value.message
    assert memory.peak < 6 * MB


def test_a_content_length_of_50_gb_is_refused_up_front(feed_server):
    url = feed_server.add("/huge.xml", claimed_length(50 * 10**9))
    with pytest.raises(FetchError) as failed:
        fetch_feed(url)
    assert "the server says 50,000,000,000 bytes" in failed.value.message


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compression_bomb_stops_at_the_limit_after_decompression(feed_server, encoding):
    url = feed_server.add("/bomb.xml", gzip_bomb(inflated_size=2 * 1024 * MB, encoding=encoding))
    with PeakMemory() as memory, pytest.raises(FetchError) as failed:
        fetch_feed(url, max_bytes=4 * MB)
    assert "larger than the 4 MB limit" in failed.value.message
    assert memory.peak < 12 * MB


def test_a_server_trickling_one_byte_a_second_is_cut_off_at_the_deadline(feed_server):
    url = feed_server.add("/slow.xml", trickle(b"<rss version='2.0'><channel></channel></rss>"))
    with pytest.raises(FetchError) as failed:
        fetch_feed(url, timeout=5, deadline=1.5)
    assert "did not finish downloading within 1.5 seconds" in failed.value.message


def test_a_server_trickling_its_headers_is_cut_off_at_the_deadline(feed_server):
    url = feed_server.add("/slow-head.xml", trickle(b"", in_headers=True, every=0.2))
    with pytest.raises(FetchError) as failed:
        fetch_feed(url, timeout=5, deadline=1.5)
    assert "did not finish downloading within 1.5 seconds" in failed.value.message


def test_garbage_instead_of_http_is_a_clear_error(feed_server):
    def garbage(handler):
        handler.wfile.write(b"\x00\xff" * 100 + b"\r\n\r\n")

    url = feed_server.add("/garbage", garbage)
    with pytest.raises(FetchError) as failed:
        fetch_feed(url)
    assert "did not answer with valid HTTP" in failed.value.message


def test_a_connection_closed_mid_body_is_a_clear_error(feed_server):
    def cut(handler):
        handler.send_response_only(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b"<rss>")

    url = feed_server.add("/cut", cut)
    with pytest.raises(FetchError) as failed:
        fetch_feed(url)
    assert "closed the connection before the whole feed arrived" in failed.value.message


def test_a_corrupt_gzip_body_is_a_clear_error(feed_server):
    url = feed_server.add(
        "/bad.gz", respond(b"\x1f\x8bnot really gzip", headers=[("Content-Encoding", "gzip")])
    )
    with pytest.raises(FetchError) as failed:
        fetch_feed(url)
    assert "compression is corrupt" in failed.value.message


# -- redirects to internal addresses -------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:{port}/",
        "http://2130706433:{port}/",
        "http://0177.0.0.1:{port}/",
        "http://0x7f.1:{port}/",
        "http://127.1:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://[::ffff:7f00:1]:{port}/",
    ],
)
def test_a_redirect_to_loopback_in_any_spelling_never_reaches_it(
    feed_server, canary_server, target
):
    url = feed_server.add("/feed.xml", redirect(target.format(port=canary_server.port)))
    with pytest.raises(BlockedAddress) as refused:
        fetch_feed(url)
    assert "Refused to fetch from" in refused.value.message
    assert feed_server.hits["/feed.xml"] == 1
    assert canary_server.total_hits == 0


def test_a_redirect_to_127_0_0_2_never_reaches_it(feed_server, canary_server_127_0_0_2):
    target = canary_server_127_0_0_2.url("/")
    url = feed_server.add("/feed.xml", redirect(target, status=301))
    with pytest.raises(BlockedAddress) as refused:
        fetch_feed(url)
    assert "127.0.0.2: it is a loopback address" in refused.value.message
    assert canary_server_127_0_0_2.total_hits == 0


def test_a_redirect_to_ipv6_loopback_never_reaches_it(feed_server, canary_server_ipv6):
    url = feed_server.add("/feed.xml", redirect(canary_server_ipv6.url("/")))
    with pytest.raises(BlockedAddress) as refused:
        fetch_feed(url)
    assert "::1: it is a loopback address" in refused.value.message
    assert canary_server_ipv6.total_hits == 0


def test_a_redirect_to_the_exempt_server_spelt_differently_is_refused(feed_server):
    """Only ``127.0.0.1:<port>`` is exempt; the same server as ``2130706433`` is not."""
    feed_server.add("/secret", respond(b"internal"))
    url = feed_server.add(
        "/feed.xml", redirect(f"http://2130706433:{feed_server.port}/secret", status=307)
    )
    with pytest.raises(BlockedAddress):
        fetch_feed(url)
    assert feed_server.hits["/secret"] == 0


@pytest.mark.parametrize(
    "target, says",
    [
        ("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254: it is a link-local"),
        ("http://10.0.0.1/admin", "10.0.0.1: it is a private address"),
        ("http://192.168.0.1/", "192.168.0.1: it is a private address"),
        ("http://[fd00::1]/", "fd00::1: it is a private address"),
        ("http://metadata.test/latest", "metadata.test (which resolves to 169.254.169.254)"),
        ("http://ten.test/", "ten.test (which resolves to 10.0.0.1)"),
        ("http://lan.test/", "lan.test (which resolves to 192.168.0.1)"),
        ("http://ula.test/", "ula.test (which resolves to fd00::1)"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("ftp://public.test/feed", "only http:// and https://"),
    ],
)
def test_a_redirect_to_an_internal_network_address_is_refused_before_connecting(
    feed_server, test_resolver, target, says
):
    """These addresses are off loopback: were the guard to let one through, the tests'
    loopback-only fixture would fail the connection before a packet left."""
    url = feed_server.add("/feed.xml", redirect(target))
    with pytest.raises(BlockedAddress) as refused:
        fetch_feed(url, resolver=test_resolver)
    assert says in refused.value.message


@pytest.mark.parametrize("host", ["metadata.test", "ten.test", "lan.test", "ula.test"])
def test_a_feed_on_a_name_resolving_to_an_internal_address_is_refused(test_resolver, host):
    with pytest.raises(BlockedAddress) as refused:
        fetch_feed(f"https://{host}/feed.xml", resolver=test_resolver)
    assert f"{host} (which resolves to" in refused.value.message
