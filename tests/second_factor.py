"""Logging a test client into the admin the way an editor gets there: password, then a code
from their authenticator. Tests that are not about two-factor use `log_in_with_second_factor`
(or the `admin_client` fixture) and still pass through the real middleware; the two-factor
tests themselves go through the pages (tests/deployment/test_two_factor.py)."""

import re
import time
from base64 import b32decode

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_for(user):
    """The user's confirmed authenticator, enrolled now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    return device


def log_in_with_second_factor(client, user):
    """``client`` logged in as ``user`` in a session that has given a right code, as the
    verify page leaves it (django_otp.login stores the device's id in the session)."""
    device = authenticator_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def code_from_secret(secret_base32, at=None):
    """What an authenticator app shows for a secret typed in from the enrolment page."""
    key = b32decode("".join(secret_base32.split()))
    return code_from_key(key, at)


def code_from_key(key, at=None):
    totp = TOTP(key, step=30, t0=0, digits=6)
    # A time-based code is a function of the clock: this reads the clock to compute the code
    # an authenticator app would show, and nothing here measures or asserts a duration.
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


# Browser log-ins to a served site (tests/running_site.py): the key each user enrolled with,
# and the time steps whose codes were used, since a code is accepted once only.
BROWSER_KEYS = {}
USED_STEPS = set()


def fresh_code(secret, step_seconds=30):
    """The current code, waiting for the next one if this one was already used (only when two
    log-ins fall within the same 30 seconds)."""
    # Not a timing check: django-otp refuses a code a second time (replay protection, which
    # the tests rely on), so a second log-in in the same 30 s step must wait for the next code.
    while (secret, step := int(time.time()) // step_seconds) in USED_STEPS:
        time.sleep((step + 1) * step_seconds - time.time() + 0.2)
    USED_STEPS.add((secret, step))
    return code_from_secret(secret, at=step * step_seconds)


def log_in_in_browser(page, site_url, username, password):
    """Logs ``page`` into the admin as an editor does: the password, then enrolment (first
    time: the key read off the page, as typed into an app) or a code. Ends on the dashboard."""
    page.goto(site_url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/(two-factor/(setup|verify)/\?.*)?$"))
    if "/admin/two-factor/setup/" in page.url:
        BROWSER_KEYS[(site_url, username)] = page.locator("#two-factor-secret").inner_text()
    if "/admin/two-factor/" in page.url:
        page.fill("input[name=code]", fresh_code(BROWSER_KEYS[(site_url, username)]))
        page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url("**/admin/")
