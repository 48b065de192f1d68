"""The fetch stage: a source's address (FetchJob) becomes the bytes it serves (Fetched, holding
a FeedDocument) or a sentence saying why not. Feeds come from strangers' servers, so every
request is bounded in every direction.

Every hop of a request goes through ``address_guard.check_url`` and the connection
is made to the address it checked, with the URL's host name only in the ``Host`` header and
in TLS (SNI and certificate check). Bounds: a connect/read timeout per socket operation, a
total deadline per feed enforced by a watchdog that shuts the socket (a server trickling one
byte a second, even inside its headers, is cut off), at most ``max_redirects`` redirects,
and ``max_bytes`` of body counted *after* decompression, read in chunks so memory stays
bounded whatever the server claims or sends.
"""

import contextlib
import http.client
import logging
import socket
import ssl
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import certifi
from django.conf import settings

from ingest.pipeline.address_guard import check_url
from ingest.pipeline.errors import FetchError, unexpected_error_message

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
MAX_URL_LENGTH = 1000
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECT_STATUSES = {301, 308}
# Retry-After is reported as the server sent it; how much of it is honoured is the health
# stage's policy (``health.MAX_RETRY_AFTER``). A number this long already means "forever".
RETRY_AFTER_DIGITS = 12
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)

_tls_context = None


@dataclass
class FetchJob:
    """What the fetch stage needs to know about a source; plain values, because fetching
    runs in threads that never touch the database."""

    source_id: int
    url: str
    etag: str = ""
    last_modified: str = ""


@dataclass
class FeedDocument:
    """Bytes to be read as a feed, with the address its relative links resolve against."""

    body: bytes
    base_url: str
    content_type: str = ""


@dataclass
class Fetched:
    """The fetch stage's answer for one source: a document, "not modified", or an error."""

    source_id: int
    status: int | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    permanent_redirect_to: str = ""
    document: FeedDocument | None = None
    error: str = ""
    retry_after: float | None = None
    gone: bool = False
    seconds: float = 0.0


def fetch_source(job: FetchJob, *, timeout, deadline) -> Fetched:
    """The stage. Never raises: every failure becomes a sentence on the result, which is
    what the editor will read on the source."""
    started = time.monotonic()
    try:
        result = fetch_feed(
            job.url,
            etag=job.etag or None,
            last_modified=job.last_modified or None,
            timeout=timeout,
            deadline=deadline,
        )
    except FetchError as error:
        return Fetched(
            source_id=job.source_id,
            status=error.status,
            error=error.message,
            retry_after=error.retry_after,
            gone=bool(error.gone),
            seconds=time.monotonic() - started,
        )
    except Exception as error:  # a bug on one feed must not end the run
        logger.exception("Unexpected failure fetching %s", job.url)
        return Fetched(
            source_id=job.source_id,
            error=unexpected_error_message(error),
            seconds=time.monotonic() - started,
        )
    document = None
    if not result.not_modified:
        document = FeedDocument(
            body=result.body or b"",
            base_url=result.url or job.url,
            content_type=result.content_type or "",
        )
    return Fetched(
        source_id=job.source_id,
        status=result.status,
        not_modified=result.not_modified,
        etag=result.etag,
        last_modified=result.last_modified,
        permanent_redirect_to=result.permanent_redirect_to or "",
        document=document,
        seconds=time.monotonic() - started,
    )


@dataclass
class FetchResult:
    """One GET as the server answered it (``fetch_feed``)."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    permanent_redirect_to: str | None
    not_modified: bool


def _default_tls_context():
    global _tls_context
    if _tls_context is None:
        _tls_context = ssl.create_default_context(cafile=certifi.where())
    return _tls_context


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to the address the guard checked; ``host`` is used only for the
    ``Host`` header, so no second DNS lookup can send the request elsewhere."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address
        self.raw_socket = None

    def _open_socket(self):
        self.raw_socket = socket.create_connection((self.pinned_address, self.port), self.timeout)
        return self.raw_socket

    def connect(self):
        self.sock = self._open_socket()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443

    def __init__(self, host, port, *, address, timeout, context):
        super().__init__(host, port, address=address, timeout=timeout)
        self.tls_context = context

    def connect(self):
        # SNI and certificate verification use the URL's host name, not the pinned address.
        self.sock = self.tls_context.wrap_socket(self._open_socket(), server_hostname=self.host)


class _Watchdog:
    """Shuts the current connection's socket when the feed's deadline passes: socket
    timeouts bound each read, but only this bounds a server that keeps sending a byte at a
    time (in its TLS handshake, its headers or its body)."""

    def __init__(self, seconds):
        self.fired = False
        self._connection = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, connection):
        with self._lock:
            self._connection = connection
        if self.fired:
            self._fire()

    def _fire(self):
        with self._lock:
            self.fired = True
            raw = self._connection.raw_socket if self._connection else None
        if raw is not None:
            with contextlib.suppress(OSError):
                raw.shutdown(socket.SHUT_RDWR)

    def stop(self):
        self._timer.cancel()


class _BoundedDecoder:
    """Undoes Content-Encoding, never producing more than it is asked for, so a gzip bomb
    inflates at most one chunk past the limit."""

    def __init__(self, encoding):
        self.encoding = encoding
        if encoding in ("gzip", "x-gzip"):
            self._new = lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._new = lambda: zlib.decompressobj(zlib.MAX_WBITS)
        else:
            self._new = None
        self._inflater = self._new() if self._new else None
        self._started = False

    def decode(self, data, limit):
        if self._inflater is None:
            return data
        output = bytearray()
        while data and len(output) < limit:
            try:
                output += self._inflater.decompress(data, limit - len(output))
            except zlib.error:
                if self.encoding == "deflate" and not self._started:
                    # Some servers send raw deflate without the zlib wrapper.
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._started = True
                    continue
                raise
            self._started = True
            if self._inflater.unconsumed_tail:
                data = self._inflater.unconsumed_tail
            elif self._inflater.eof and self._inflater.unused_data[:2] == b"\x1f\x8b":
                # Another gzip member follows (concatenated gzip is valid).
                data = self._inflater.unused_data
                self._inflater = self._new()
            else:
                data = b""
        return bytes(output)


def _clean_header(response, name, limit):
    value = response.getheader(name)
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > limit or not value.isprintable() or not value.isascii():
        return None
    return value


def _retry_after_seconds(value):
    """Retry-After as whole seconds from now (a number or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        if len(value) > RETRY_AFTER_DIGITS:
            return 10**RETRY_AFTER_DIGITS - 1
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(max((when - datetime.now(UTC)).total_seconds(), 0))


def _status_phrase(status):
    # The server's own reason phrase is untrusted text; ours is not.
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _error_for_status(status, url, response):
    phrase = _status_phrase(status)
    if status == 410:
        return FetchError(
            f"The feed is gone ({phrase}): the server says it was removed for good. The "
            "source has been switched off; find the feed's new address or delete the source.",
            status=status,
            gone=True,
        )
    if status in (429, 503):
        retry_after = _retry_after_seconds(response.getheader("Retry-After"))
        when = f" It asked us to wait {retry_after} seconds." if retry_after is not None else ""
        what = "is rate-limiting us" if status == 429 else "is temporarily unavailable"
        return FetchError(
            f"The feed's server {what} ({phrase}).{when} It will be tried again later.",
            status=status,
            retry_after=retry_after,
        )
    if status == 404:
        message = (
            f"There is no feed at {url} ({phrase}). Check the feed address; the site may "
            "have moved its feed."
        )
    elif status in (401, 403):
        message = (
            f"The server refused to give us the feed ({phrase}). It may need a login or "
            "block automated readers; ask the publisher or remove the source."
        )
    elif 500 <= status < 600:
        message = f"The feed's server had an error ({phrase}); it will be tried again later."
    elif status in REDIRECT_STATUSES or 300 <= status < 400:
        message = f"The server answered with a redirect ({phrase}) but gave no valid address."
    else:
        message = f"The server answered {phrase} instead of the feed."
    return FetchError(message, status=status)


def _request_target(url):
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + urllib.parse.quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return parts.scheme.lower(), parts.hostname, path


def _connect(url, addresses, timeout, watchdog):
    """Open a connection to the first checked address that answers."""
    scheme, host, _ = _request_target(url)
    host = host.encode("idna").decode("ascii") if not host.isascii() else host
    last_error = None
    for address, port in addresses:
        if scheme == "https":
            connection = _PinnedHTTPSConnection(
                host, port, address=address, timeout=timeout, context=_default_tls_context()
            )
        else:
            connection = _PinnedHTTPConnection(host, port, address=address, timeout=timeout)
        watchdog.attach(connection)
        try:
            connection.connect()
            if watchdog.fired:
                raise TimeoutError
            return connection
        except OSError as error:
            connection.close()
            last_error = error
    raise last_error


def _describe_network_error(error, url, timeout):
    host = urllib.parse.urlsplit(url).hostname
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            f"The HTTPS certificate of {host} could not be verified "
            f"({error.verify_message}). The site's certificate is wrong or expired."
        )
    if isinstance(error, ssl.SSLError):
        return f"The secure connection to {host} failed ({error.reason or error})."
    if isinstance(error, TimeoutError):
        return f"The server at {host} did not answer within {timeout:g} seconds."
    if isinstance(error, ConnectionRefusedError):
        return f"The server at {host} refused the connection; it may be down."
    if isinstance(error, http.client.RemoteDisconnected):
        return f"The server at {host} closed the connection without answering."
    if isinstance(error, http.client.IncompleteRead):
        return (
            f"The server at {host} closed the connection before the whole feed arrived "
            f"({len(error.partial):,} bytes received)."
        )
    if isinstance(error, http.client.HTTPException):
        return f"The server at {host} did not answer with valid HTTP ({type(error).__name__})."
    return f"Could not read the feed from {host} ({error.strerror or error})."


def _read_body(response, decoder, max_bytes, watchdog):
    body = bytearray()
    received = 0
    while True:
        if watchdog.fired:
            raise TimeoutError
        # Never read past the limit: max_bytes + 1 proves the body is too big.
        want = min(CHUNK_SIZE, max_bytes + 1 - received)
        if want <= 0:
            return None
        chunk = response.read1(want)
        if not chunk:
            if watchdog.fired:
                raise TimeoutError
            if response.length:
                # read1 does not check the promised length; a short body is a cut transfer.
                raise http.client.IncompleteRead(bytes(body), response.length)
            return bytes(body)
        received += len(chunk)
        body += decoder.decode(chunk, max_bytes + 1 - len(body))
        if len(body) > max_bytes:
            return None


def _too_big(max_bytes, size=None):
    limit = f"{max_bytes / 1024 / 1024:g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
    said = f" (the server says {size:,} bytes)" if size is not None else ""
    return FetchError(
        f"The feed is larger than the {limit} limit{said}, so it was not processed. A feed this "
        "big is probably not a feed, or the publisher should offer a shorter one."
    )


def fetch_feed(
    url,
    *,
    etag=None,
    last_modified=None,
    timeout=10,
    deadline=30,
    max_bytes=10 * 1024 * 1024,
    max_redirects=5,
    resolver=None,
):
    """GET a feed within every bound above; a FetchResult, or FetchError with a message
    an editor can act on (BlockedAddress when the guard refused an address)."""
    headers = {
        "User-Agent": settings.INGEST_USER_AGENT,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified)):
        if value and value.isprintable() and value.isascii():
            headers[name] = value
    request = _Request(headers, etag, last_modified, timeout, deadline, max_bytes, resolver)
    watchdog = _Watchdog(deadline)
    try:
        return _follow_redirects(url, request, max_redirects, watchdog)
    finally:
        watchdog.stop()


@dataclass
class _Request:
    headers: dict
    etag: str | None
    last_modified: str | None
    timeout: float
    deadline: float
    max_bytes: int
    resolver: object

    def __post_init__(self):
        self.expires_at = time.monotonic() + self.deadline


@dataclass
class _Redirect:
    status: int
    location: str


def _follow_redirects(url, request, max_redirects, watchdog):
    current = url
    visited = [url]
    permanent_redirect_to = None
    still_permanent = True
    for _hop in range(max_redirects + 1):
        outcome = _get_once(current, request, watchdog)
        if not isinstance(outcome, _Redirect):
            outcome.permanent_redirect_to = permanent_redirect_to
            return outcome
        following = urllib.parse.urljoin(current, outcome.location)
        # Only an unbroken run of permanent redirects from the feed's address moves it.
        if outcome.status in PERMANENT_REDIRECT_STATUSES and still_permanent:
            # Longer than a feed URL may be stored: follow it, but do not offer it as a move.
            permanent_redirect_to = following if len(following) <= MAX_URL_LENGTH else None
        else:
            still_permanent = False
        if following in visited:
            raise FetchError(
                f"The feed redirects in a loop ({current} sends us back to {following}). "
                "The publisher's server is misconfigured.",
                status=outcome.status,
            )
        visited.append(following)
        current = following
    raise FetchError(
        f"The feed redirected more than {max_redirects} times (last to {current}); "
        "the publisher's server is misconfigured."
    )


def _get_once(url, request, watchdog):
    """One GET of ``url`` after the guard has checked it: a FetchResult or a _Redirect."""
    remaining = request.expires_at - time.monotonic()
    if remaining <= 0:
        raise FetchError(_deadline_message(request.deadline))
    timeout = min(request.timeout, remaining)
    addresses = check_url(url, request.resolver, timeout=timeout)
    connection = None
    try:
        connection = _connect(url, addresses, timeout, watchdog)
        _scheme, _, target = _request_target(url)
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in request.headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return _read_response(url, response, request, watchdog)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        if watchdog.fired or time.monotonic() >= request.expires_at:
            raise FetchError(_deadline_message(request.deadline)) from None
        if isinstance(error, ValueError) and not isinstance(error, (OSError, UnicodeError)):
            raise FetchError(f"The feed address {url!r} cannot be requested.") from None
        raise FetchError(_describe_network_error(error, url, request.timeout)) from None
    finally:
        if connection is not None:
            connection.close()


def _read_response(url, response, request, watchdog):
    status = response.status
    location = response.getheader("Location")
    if status in REDIRECT_STATUSES and location and location.strip():
        return _Redirect(status, location.strip())
    if status == 304:
        return FetchResult(
            url=url,
            status=304,
            body=b"",
            content_type=_clean_header(response, "Content-Type", 200) or "",
            etag=_clean_header(response, "ETag", 500) or request.etag,
            last_modified=_clean_header(response, "Last-Modified", 100) or request.last_modified,
            permanent_redirect_to=None,
            not_modified=True,
        )
    if not 200 <= status < 300:
        raise _error_for_status(status, url, response)

    max_bytes = request.max_bytes
    if response.length is not None and response.length > max_bytes:
        raise _too_big(max_bytes, response.length)
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(
            f"The server sent the feed in an encoding we did not ask for ({encoding[:40]!r})."
        )
    try:
        body = _read_body(response, _BoundedDecoder(encoding), max_bytes, watchdog)
    except zlib.error:
        raise FetchError(
            f"The feed's {encoding} compression is corrupt; it could not be read."
        ) from None
    if body is None:
        raise _too_big(max_bytes)
    return FetchResult(
        url=url,
        status=status,
        body=body,
        content_type=_clean_header(response, "Content-Type", 200) or "",
        etag=_clean_header(response, "ETag", 500),
        last_modified=_clean_header(response, "Last-Modified", 100),
        permanent_redirect_to=None,
        not_modified=False,
    )


def _deadline_message(deadline):
    return (
        f"The feed did not finish downloading within {deadline:g} seconds; the server is too "
        "slow or keeps the connection open. It will be tried again later."
    )
