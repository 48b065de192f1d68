"""Serving uploaded media (images, audio) from MEDIA_ROOT when no CDN or web server does.

Only what readers may see is served here: image originals and renditions, and the audio of
published, public episodes. Documents never are: their collections may be private, so they go
only through Wagtail's document view (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which
checks; anything else under MEDIA_ROOT is a 404.

In production a CDN or object store usually serves media; the embedded default has only
gunicorn, so the site serves them itself: read-only, confined to MEDIA_ROOT, streamed from
disk in blocks, and with byte ranges, because podcast apps seek and resume with Range
requests and Apple refuses audio hosts that answer ``Range: bytes=0-1`` with the whole file.
"""

import mimetypes
import re
import stat
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from podcasts.models import EpisodePage

BLOCK_SIZE = 64 * 1024

# The types podcast apps expect; the platform's mimetypes table varies between systems.
CONTENT_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/x-m4a", ".vtt": "text/vtt"}

RANGE_SPEC = re.compile(r"^bytes=(\d{0,18})-(\d{0,18})$")

# Wagtail's folders for image originals and renditions; episode audio has its own.
IMAGE_FOLDERS = ("original_images/", "images/")
AUDIO_FOLDER = "podcast-audio/"


def may_see(request, path):
    if path.startswith(IMAGE_FOLDERS):
        return True
    if path.startswith(AUDIO_FOLDER):
        # Editors play audio in the admin before its episode is out.
        if request.user.has_perm("wagtailadmin.access_admin"):
            return True
        return EpisodePage.objects.live().public().filter(audio__file=path).exists()
    return False


class BoundedReader:
    """A file read from ``start`` for ``length`` bytes and no further: WSGI file wrappers
    (wsgiref's among them) read until end of file, which would overrun a partial response.
    It has no fileno() on purpose, so servers never hand the whole file to sendfile()."""

    def __init__(self, handle, start, length):
        self.handle = handle
        self.remaining = length
        handle.seek(start)

    def read(self, size=-1):
        if self.remaining <= 0:
            return b""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        chunk = self.handle.read(size)
        self.remaining -= len(chunk)
        return chunk

    def close(self):
        self.handle.close()


def resolve_media_file(path):
    """The file under MEDIA_ROOT that ``path`` names, or Http404; symlinks and ``..`` that
    lead outside MEDIA_ROOT count as not found."""
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        candidate = Path(safe_join(root, path)).resolve()
    except (SuspiciousFileOperation, ValueError, OSError):
        raise Http404("No such file.") from None
    if not candidate.is_relative_to(root) or candidate == root:
        raise Http404("No such file.")
    try:
        info = candidate.stat()
    except OSError:
        raise Http404("No such file.") from None
    if not stat.S_ISREG(info.st_mode):
        raise Http404("No such file.")
    return candidate, info


def parse_range(header, size):
    """(start, end) inclusive for a single satisfiable byte range; "unsatisfiable"; or None
    when the header is absent, malformed or asks for several ranges (then the whole file is
    sent, as RFC 9110 allows)."""
    if not header:
        return None
    match = RANGE_SPEC.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        suffix = int(last)
        if suffix == 0:
            return "unsatisfiable"
        return max(size - suffix, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def if_range_allows(request, etag, mtime):
    """A Range request carrying If-Range gets a range only if the validator still matches."""
    validator = request.headers.get("If-Range")
    if not validator:
        return True
    validator = validator.strip()
    if validator.startswith(('"', 'W/"')):
        return validator == etag
    since = parse_http_date_safe(validator)
    return since is not None and int(mtime) <= since


def serve_media(request, path):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    file_path, info = resolve_media_file(path)
    # Judged on where the path really leads, after "..", doubled slashes and symlinks.
    if not may_see(request, file_path.relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()):
        raise Http404("No such file.")
    size, mtime = info.st_size, info.st_mtime
    etag = f'"{info.st_mtime_ns:x}-{size:x}"'
    content_type = (
        CONTENT_TYPES.get(file_path.suffix.lower())
        or mimetypes.guess_type(file_path.name)[0]
        or "application/octet-stream"
    )

    not_modified = get_conditional_response(request, etag=etag, last_modified=int(mtime))
    if not_modified is not None:
        return with_media_headers(not_modified, etag, mtime)

    requested = None
    if if_range_allows(request, etag, mtime):
        requested = parse_range(request.headers.get("Range"), size)

    if requested == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Content-Length"] = "0"
        return with_media_headers(response, etag, mtime)

    if requested is None:
        start, length, status = 0, size, 200
    else:
        start, end = requested
        length, status = end - start + 1, 206

    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    else:
        handle = open(file_path, "rb")  # noqa: SIM115 - FileResponse closes it
        if status == 200:
            # The open file itself: gunicorn can hand it to sendfile().
            response = FileResponse(handle, content_type=content_type)
        else:
            response = FileResponse(
                BoundedReader(handle, start, length), status=206, content_type=content_type
            )
        response.block_size = BLOCK_SIZE
    response["Content-Length"] = str(length)
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{start + length - 1}/{size}"
    return with_media_headers(response, etag, mtime)


def with_media_headers(response, etag, mtime):
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(mtime)
    # Uploads get a fresh name each time (a new file, a new URL), so a URL's bytes never change.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    # Web players on other origins (directories' episode previews) fetch the audio directly.
    response["Access-Control-Allow-Origin"] = "*"
    return response
