"""A new superuser's first log-in in a real browser: the enrolment page with its QR code, a
code from the key, the dashboard; the next log-in asks for a code. On the served demo site."""

import re
import subprocess
import sys
import time

import pytest

from tests.running_site import PROJECT, site_environment
from tests.second_factor import BROWSER_KEYS, code_from_secret, fresh_code

pytestmark = pytest.mark.browser

PASSWORD = "a long browser-test password 7"


@pytest.fixture
def new_superuser(running_site):
    env = site_environment(running_site.var_dir, 0)
    env["DJANGO_SUPERUSER_PASSWORD"] = PASSWORD
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            "chief2fa",
            "--email",
            "chief2fa@example.org",
        ],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return "chief2fa"


def submit_password(page, url, username):
    page.goto(url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()


def test_a_new_superuser_enrols_on_first_log_in_and_gives_a_code_on_the_next(
    new_tab, running_site, new_superuser
):
    page = new_tab(viewport={"width": 1280, "height": 900})
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    submit_password(page, running_site.url, new_superuser)
    page.wait_for_url(re.compile(r"/admin/two-factor/setup/"))
    qr = page.locator(".cirsite-two-factor-qr svg")
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["height"] >= 150
    secret = page.locator("#two-factor-secret").inner_text()
    BROWSER_KEYS[(running_site.url, new_superuser)] = secret

    # The menus lead nowhere until a code is given.
    page.goto(running_site.url + "/admin/pages/")
    assert "/admin/two-factor/setup/" in page.url

    page.fill("input[name=code]", fresh_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url(re.compile(r"/admin/pages/$"))
    assert "Two-factor authentication is on" in page.content()
    assert blocked == []

    page.context.clear_cookies()
    submit_password(page, running_site.url, new_superuser)
    page.wait_for_url(re.compile(r"/admin/two-factor/verify/"))
    # The code the app shows next (a code is good once; the site allows a phone's clock to
    # run one step ahead), so the test need not wait for the clock.
    page.fill("input[name=code]", code_from_secret(secret, at=time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "/admin/two-factor/" not in page.url
