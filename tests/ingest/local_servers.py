"""Real HTTP servers on loopback for ingest tests: a feed server whose routes misbehave on
purpose, and canaries that only count the requests that reach them.

Usage::

    with LocalServer() as server:
        server.add("/feed.xml", respond(b"<rss .../>"))
        server.add("/moved", redirect("/feed.xml", status=301))
        fetch_feed(server.url("/moved"))
        assert server.hits["/feed.xml"] == 1

A responder is a function taking the request handler; the factories below cover the
hostile cases (trickling, endless, lying lengths, gzip bombs, silent servers). Every server
binds a random port on a loopback address, so nothing here can leave the machine.
"""

import collections
import contextlib
import gzip
import http.server
import socket
import threading
import time
import urllib.parse

FEED_TYPE = "application/rss+xml; charset=utf-8"


class _Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.0: a body without Content-Length ends when the connection closes.
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        server = self.server.owner
        path = urllib.parse.urlsplit(self.path).path
        with server.lock:
            server.hits[path] += 1
            server.requests.append(
                {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}
            )
        responder = server.routes.get(path, server.default)
        # The client hanging up is what most hostile cases expect of it.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            responder(self)

    def log_message(self, format, *args):
        pass


class _ThreadingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _ThreadingServer6(_ThreadingServer):
    address_family = socket.AF_INET6


class LocalServer:
    """A threaded HTTP server on ``host`` (any loopback address) and a random port."""

    def __init__(self, host="127.0.0.1", default=None, *, tls_certfile=None):
        self.host = host
        self.routes = {}
        self.default = default or respond(b"not found", status=404, content_type="text/plain")
        self.hits = collections.Counter()
        self.requests = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        server_class = _ThreadingServer6 if ":" in host else _ThreadingServer
        self._server = server_class((host, 0), _Handler)
        self._server.owner = self
        self.sni_names = []
        self.scheme = "http"
        if tls_certfile:
            self._serve_tls(tls_certfile)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _serve_tls(self, certfile):
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile)

        def remember_sni(tls_socket, server_name, _context):
            self.sni_names.append(server_name)

        context.sni_callback = remember_sni
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https"

    @property
    def host_port(self):
        """The ``host:port`` entry that exempts this server in INGEST_ALLOWED_PRIVATE_HOSTS."""
        return f"{self.host}:{self.port}"

    @property
    def total_hits(self):
        return sum(self.hits.values())

    def url(self, path="/"):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{path}"

    def add(self, path, responder):
        self.routes[path] = responder
        return self.url(path)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def canary(host="127.0.0.1"):
    """A server that answers everything with a tiny feed and counts each request: a test
    asserts its ``total_hits`` stayed 0."""
    return LocalServer(host, default=respond(b"<rss version='2.0'><channel/></rss>"))


# -- responders -----------------------------------------------------------------------------


def _send_head(handler, status, headers):
    handler.send_response_only(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()


def respond(body, *, status=200, content_type=FEED_TYPE, headers=(), length=True):
    """A fixed answer. ``length=False`` leaves out Content-Length (the body then ends when
    the connection closes)."""
    body = body.encode() if isinstance(body, str) else body

    def responder(handler):
        head = [("Content-Type", content_type), *headers]
        if length:
            head.append(("Content-Length", str(len(body))))
        _send_head(handler, status, head)
        handler.wfile.write(body)

    return responder


def redirect(location, *, status=302):
    def responder(handler):
        _send_head(handler, status, [("Location", location), ("Content-Length", "0")])

    return responder


def conditional(body, *, etag, last_modified):
    """A feed that answers 304 when the request carries its ETag or Last-Modified."""
    body = body.encode() if isinstance(body, str) else body

    def responder(handler):
        if handler.headers.get("If-None-Match") == etag or (
            handler.headers.get("If-Modified-Since") == last_modified
        ):
            _send_head(handler, 304, [("ETag", etag)])
            return
        _send_head(
            handler,
            200,
            [
                ("Content-Type", FEED_TYPE),
                ("Content-Length", str(len(body))),
                ("ETag", etag),
                ("Last-Modified", last_modified),
            ],
        )
        handler.wfile.write(body)

    return responder


def trickle(body, *, every=1.0, in_headers=False):
    """One byte every ``every`` seconds, in the body or (``in_headers``) already in the
    header block, until the client hangs up or the server stops."""
    body = body.encode() if isinstance(body, str) else body

    def responder(handler):
        stopping = handler.server.owner.stopping
        if in_headers:
            data = b"HTTP/1.0 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: "
            data += b"a" * 10_000
        else:
            _send_head(handler, 200, [("Content-Type", FEED_TYPE)])
            data = body
        for byte in data:
            if stopping.wait(every):
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()

    return responder


def endless(*, chunk=b"<item><title>again</title></item>\n" * 100, content_type=FEED_TYPE):
    """A body that never ends (no Content-Length), until the client hangs up."""

    def responder(handler):
        stopping = handler.server.owner.stopping
        _send_head(handler, 200, [("Content-Type", content_type)])
        handler.wfile.write(b"<rss version='2.0'><channel>")
        while not stopping.is_set():
            handler.wfile.write(chunk)

    return responder


def claimed_length(length, *, body=b"<rss version='2.0'><channel>"):
    """Claims a Content-Length of ``length`` bytes, then sends a little and waits."""

    def responder(handler):
        stopping = handler.server.owner.stopping
        _send_head(handler, 200, [("Content-Type", FEED_TYPE), ("Content-Length", str(length))])
        handler.wfile.write(body)
        handler.wfile.flush()
        stopping.wait(5)

    return responder


def gzip_bomb(*, inflated_size=2 * 1024**3, encoding="gzip"):
    """A gzip stream of zeros that inflates to ``inflated_size`` bytes, compressed on the
    fly so the test never holds it: the client should stop after its body limit."""
    import zlib

    def responder(handler):
        stopping = handler.server.owner.stopping
        _send_head(handler, 200, [("Content-Type", FEED_TYPE), ("Content-Encoding", encoding)])
        wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
        zeros = bytes(1024 * 1024)
        handler.wfile.write(compressor.compress(b"<rss version='2.0'><channel><title>"))
        for _ in range(inflated_size // len(zeros)):
            if stopping.is_set():
                return
            handler.wfile.write(compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH))
        handler.wfile.write(compressor.flush())

    return responder


def gzipped(body, *, content_type=FEED_TYPE):
    """A normal feed, gzip-compressed as most servers send it."""
    body = body.encode() if isinstance(body, str) else body
    return respond(
        gzip.compress(body), content_type=content_type, headers=[("Content-Encoding", "gzip")]
    )


def silent():
    """Accepts the connection and never answers (until the server stops)."""

    def responder(handler):
        handler.server.owner.stopping.wait(30)

    return responder


def slow_start(body, *, delay):
    """Answers normally after ``delay`` seconds."""
    body = body.encode() if isinstance(body, str) else body

    def responder(handler):
        if handler.server.owner.stopping.wait(delay):
            return
        respond(body)(handler)

    return responder


def wait_for_hits(server, path, count, timeout=2.0):
    """Requests land on the server's threads; a test that asserts on hits waits for them."""
    end = time.monotonic() + timeout
    while server.hits[path] < count and time.monotonic() < end:
        time.sleep(0.01)
    return server.hits[path]
