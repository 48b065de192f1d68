"""The default deployment, as `make run` starts it: gunicorn and whitenoise, DEBUG off, on a
loopback port, with static files fingerprinted and compressed."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "CIRSITE_VAR_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
        "STATIC_ROOT": str(var / "static"),
        "CIRSITE_PLAIN_STATIC": "0",
        "DEBUG": "0",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=PROJECT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    server = subprocess.Popen(
        [str(GUNICORN), "cirsite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            fetch(base + "/robots.txt")
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail("gunicorn exited: " + server.stderr.read().decode())
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


def test_front_page_is_served_by_gunicorn_with_debug_off(served_site):
    status, headers, body = fetch(served_site + "/")
    assert status == 200
    assert b"NHS 111 service software hit by cyberattack" in body
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
