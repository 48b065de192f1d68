"""A client cannot pass itself off as the site's reverse proxy: the web server `make run` starts
takes no forwarding header from anyone. A forged SCRIPT_NAME would otherwise cut a prefix off
the path (a CDN storing the home page as /news/), and a forged X-Forwarded-Proto would turn
the request into https for Django. Against the real server, as the supervisor starts it."""

import re
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.deployment.whole_site import whole_site


def fetch(url, headers=None, data=None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_forwarding_headers_from_a_client_are_ignored(tmp_path, demo_site_dir):
    with whole_site(tmp_path, prepared=demo_site_dir, workers=1) as (url, _env, _process):
        news = title(fetch(url + "/news/")[2])
        home = title(fetch(url + "/")[2])
        assert news != home

        status, _headers, forged = fetch(url + "/news/", {"SCRIPT_NAME": "/news"})
        assert status == 200
        assert title(forged) == news

        # The log-in form over plain http, claiming https: were the claim believed, Django's
        # CSRF check would demand an https Referer and answer 403.
        _status, headers, _body = fetch(url + "/admin/login/")
        cookie = SimpleCookie(headers["Set-Cookie"])["csrftoken"].value
        status, _headers, body = fetch(
            url + "/admin/login/",
            {"X-Forwarded-Proto": "https", "Cookie": f"csrftoken={cookie}"},
            urlencode(
                {"csrfmiddlewaretoken": cookie, "username": "nobody", "password": "wrong"}
            ).encode(),
        )
        assert status == 200, body[:500]
