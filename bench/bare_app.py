"""The stack's own limit: a WSGI app that answers every request with the same 35 KB page,
served by the same server command as the site (see bench/load.py)."""

BODY = (
    b"<!doctype html><html lang=en><head><meta charset=utf-8><title>Bare</title></head><body>"
    + b"<p>"
    + b"The provider isolated its hosting environment while it investigated. " * 500
)[: 35 * 1024 - 14] + b"</body></html>"
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
