"""Two-factor authentication for the admin: a superuser must enrol an authenticator app before
the admin opens, and from then on gives a code after the password at every log-in; wrong codes
are refused and throttled; a lost phone is reset by another superuser or from the shell; an
ordinary editor may enrol, and is then held to it, unless the site requires it of everyone."""

import io
import subprocess
import sys
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time
from wagtail.models import PageViewRestriction

from cirsite.site.newsroom import EDITORS, setup_newsroom
from tests.second_factor import (
    authenticator_for,
    code_from_key,
    code_from_secret,
    log_in_with_second_factor,
)

PASSWORD = "correct horse battery staple 42"
SETUP = "/admin/two-factor/setup/"
VERIFY = "/admin/two-factor/verify/"
NOW = "2026-11-28 09:00:00"


@pytest.fixture
def chief(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.org", PASSWORD)


@pytest.fixture
def editor(site_root):
    """A newsroom editor (the Editors group), not a superuser."""
    setup_newsroom()
    user = get_user_model().objects.create_user("ruth", "ruth@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def clock():
    with freeze_time(NOW) as frozen:
        yield frozen


def log_in(client, user):
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return response


def enter_code(client, code, page=VERIFY, next_url="/admin/"):
    return client.post(page, {"code": code, "next": next_url})


def wrong_code(right):
    return "000000" if right != "000000" else "111111"


def messages_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").split())


def enrol(client):
    """Does what an editor does on the enrolment page: reads the key, lets the app make a
    code and types it in. Returns the key as the page shows it."""
    page = client.get(SETUP)
    assert page.status_code == 200
    secret = BeautifulSoup(page.content, "html.parser").select_one("#two-factor-secret").text
    done = enter_code(client, code_from_secret(secret), page=SETUP)
    assert done.status_code == 302, messages_of(done)
    return secret


def test_a_superuser_without_an_authenticator_must_enrol_before_the_admin_opens(client, chief):
    log_in(client, chief)

    for path in ("/admin/", "/admin/pages/", "/admin/users/", "/admin/account/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP + "?next="), path

    # Not even a form post gets through; it is sent to enrol, and nothing is changed.
    post = client.post("/admin/account/", {"name_email-first_name": "Mallory"})
    assert post["Location"] == SETUP
    chief.refresh_from_db()
    assert chief.first_name == ""

    page = client.get(SETUP)
    assert page.status_code == 200
    text = messages_of(page)
    assert "Set up two-factor authentication" in text
    assert "Your account must use a second factor" in text


def test_the_enrolment_page_shows_the_key_and_an_inline_qr_code_and_nothing_external(client, chief):
    log_in(client, chief)
    page = client.get(SETUP)

    soup = BeautifulSoup(page.content, "html.parser")
    qr = soup.select_one(".cirsite-two-factor-qr svg")
    assert qr is not None and qr["role"] == "img"
    secret = soup.select_one("#two-factor-secret").text
    assert len(secret.replace(" ", "")) == 32  # 20 random bytes in base32
    assert not soup.select("img[src^=http], script[src^=http]")
    # The admin's policy covers the page; the code is drawn in the page, nothing is fetched.
    assert "script-src 'self'" in page["Content-Security-Policy"]
    # A reload shows the same key, so a code from an app that already scanned it still works.
    again = BeautifulSoup(client.get(SETUP).content, "html.parser")
    assert again.select_one("#two-factor-secret").text == secret


def test_enrolment_with_a_code_from_the_key_opens_the_admin(client, chief, clock):
    log_in(client, chief)
    page = BeautifulSoup(client.get(SETUP).content, "html.parser")
    secret = page.select_one("#two-factor-secret").text

    wrong = enter_code(client, wrong_code(code_from_secret(secret)), page=SETUP)
    assert wrong.status_code == 200
    assert "That code is not right" in messages_of(wrong)
    assert not TOTPDevice.objects.filter(user=chief, confirmed=True).exists()

    clock.tick(2)
    done = enter_code(client, code_from_secret(secret), page=SETUP, next_url="/admin/pages/")
    assert done.status_code == 302
    assert done["Location"] == "/admin/pages/"
    assert TOTPDevice.objects.get(user=chief).confirmed

    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "Two-factor authentication is on" in messages_of(dashboard)


def test_the_next_log_in_asks_for_a_code_and_a_right_one_opens_the_admin(client, chief, clock):
    log_in(client, chief)
    secret = enrol(client)
    client.post("/admin/logout/")

    clock.tick(60)
    log_in(client, chief)
    asked = client.get("/admin/pages/")
    assert asked.status_code == 302
    assert asked["Location"] == VERIFY + "?next=%2Fadmin%2Fpages%2F"
    assert client.get("/admin/").status_code == 302

    page = client.get(asked["Location"])
    assert "Enter your code" in messages_of(page)
    # Having a device, the user cannot enrol another one in its place from a half-open session.
    assert client.get(SETUP)["Location"].startswith(VERIFY)

    half_open_session = client.cookies["sessionid"].value
    done = enter_code(client, code_from_secret(secret), next_url="/admin/pages/")
    assert done["Location"] == "/admin/pages/"
    assert client.cookies["sessionid"].value != half_open_session
    assert client.get("/admin/pages/").status_code == 200

    # The same code cannot be used twice, even in a new session.
    client.post("/admin/logout/")
    log_in(client, chief)
    replay = enter_code(client, code_from_secret(secret))
    assert "That code is not right" in messages_of(replay)


def test_wrong_codes_are_refused_with_a_message_and_throttled(client, chief, clock):
    device = log_in_with_second_factor(client, chief)
    client.post("/admin/logout/")
    log_in(client, chief)
    right = code_from_key(device.bin_key)
    wrong = wrong_code(right)

    first = enter_code(client, wrong)
    assert first.status_code == 200
    assert "That code is not right" in messages_of(first)
    assert "try again in 1 second" in messages_of(first)

    # Straight after a wrong code even the right one is not checked: the device waits.
    hurried = enter_code(client, right)
    assert hurried.status_code == 429
    assert "Too many wrong codes. Wait 1 second" in messages_of(hurried)
    assert client.get("/admin/")["Location"].startswith(VERIFY)

    # Each wrong code in a row doubles the wait: 1, 2, 4, 8, 16 seconds.
    waits = []
    for _ in range(4):
        clock.tick(timedelta(hours=1))
        answer = enter_code(client, wrong)
        text = messages_of(answer)
        waits.append(int(text.split("try again in ")[1].split(" second")[0]))
    assert waits == [2, 4, 8, 16]
    device.refresh_from_db()
    assert device.throttling_failure_count == 5

    clock.tick(16)
    done = enter_code(client, code_from_key(device.bin_key))
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_code_that_is_not_six_digits_is_refused_without_costing_a_try(client, chief):
    device = log_in_with_second_factor(client, chief)
    client.post("/admin/logout/")
    log_in(client, chief)

    answer = enter_code(client, "12ab56")
    assert "Enter the 6 digits" in messages_of(answer)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_reset_command_removes_a_lost_authenticator(client, chief, clock):
    log_in_with_second_factor(client, chief)
    assert client.get("/admin/").status_code == 200

    out = io.StringIO()
    call_command("two_factor_reset", "chief", stdout=out)

    assert "Removed the two-factor authenticator of chief" in out.getvalue()
    assert "must set up a new one" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=chief).exists()
    # The session that was verified with it is no longer: the superuser must enrol again.
    assert client.get("/admin/")["Location"].startswith(SETUP)

    again = io.StringIO()
    call_command("two_factor_reset", "chief", stdout=again)
    assert "nothing to reset" in again.getvalue()
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("two_factor_reset", "nobody")


def test_a_superuser_resets_another_editors_authenticator_in_the_admin(client, chief, editor):
    chiefs = authenticator_for(chief)
    # An editor may not see the overview or reset anyone (Wagtail sends them to the dashboard).
    lost = log_in_with_second_factor(client, editor)
    assert client.get("/admin/two-factor/users/")["Location"] == "/admin/"
    assert client.post(f"/admin/two-factor/users/{chief.pk}/reset/")["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(pk=chiefs.pk).exists()
    client.post("/admin/logout/")

    log_in_with_second_factor(client, chief)
    overview = messages_of(client.get("/admin/two-factor/users/"))
    assert "ruth" in overview and "chief" in overview

    response = client.post(f"/admin/two-factor/users/{editor.pk}/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert "was reset" in messages_of(client.get("/admin/two-factor/users/"))


def test_an_editor_without_an_authenticator_gets_in_unless_the_site_requires_it(
    client, editor, settings
):
    log_in(client, editor)
    assert client.get("/admin/").status_code == 200

    settings.TWO_FACTOR_REQUIRED_FOR = "editors"
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_an_editor_who_enrols_of_their_own_accord_is_held_to_it(client, editor, clock):
    log_in(client, editor)
    account = client.get("/admin/account/")
    assert "/admin/two-factor/" in account.text
    own = client.get("/admin/two-factor/")
    assert "Two-factor authentication is off" in messages_of(own)

    secret = enrol(client)
    client.post("/admin/logout/")
    clock.tick(60)
    log_in(client, editor)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    enter_code(client, code_from_secret(secret))
    assert client.get("/admin/").status_code == 200

    # Removing it from their own page turns it off again.
    removed = client.post("/admin/two-factor/")
    assert removed["Location"] == "/admin/two-factor/"
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert client.get("/admin/").status_code == 200


def test_a_superuser_who_removes_their_authenticator_must_set_up_a_new_one(client, chief):
    log_in_with_second_factor(client, chief)
    response = client.post("/admin/two-factor/")
    assert response["Location"] == SETUP
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_the_code_page_sends_nobody_to_another_site(client, chief, clock):
    device = log_in_with_second_factor(client, chief)
    client.post("/admin/logout/")
    log_in(client, chief)
    done = enter_code(client, code_from_key(device.bin_key), next_url="https://evil.example/")
    assert done["Location"] == "/admin/"


def test_a_half_logged_in_user_can_log_out(client, chief):
    log_in(client, chief)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def file_of(response):
    return b"".join(response.streaming_content)


def test_a_password_without_the_code_opens_no_private_document(client, chief, board_minutes, clock):
    device = authenticator_for(chief)
    log_in(client, chief)

    # Outside the admin the half-logged-in session is a reader like any other: sent to log in.
    refused = client.get(board_minutes.url)
    assert refused.status_code == 302
    login = refused["Location"]
    assert login.startswith("/_util/login/?next=")
    assert refused["Cache-Control"] == "private, no-store"
    # The log-in page sends it on to the code it owes rather than asking for the password again.
    asked = client.get(login)
    assert asked["Location"] == VERIFY + "?" + urlencode({"next": board_minutes.url})
    assert b"Confidential" not in client.get(f"/media/{board_minutes.file.name}").content

    done = enter_code(client, code_from_key(device.bin_key), next_url=board_minutes.url)
    assert done["Location"] == board_minutes.url
    served = client.get(board_minutes.url)
    assert served.status_code == 200
    assert file_of(served) == b"Confidential: the board met."
    assert served["Cache-Control"] == "private, no-store"


def test_a_password_without_enrolment_opens_no_page_kept_for_logged_in_users(
    client, chief, site_root
):
    PageViewRestriction.objects.create(page=site_root, restriction_type=PageViewRestriction.LOGIN)
    log_in(client, chief)  # a superuser who has not enrolled yet

    refused = client.get("/")
    assert refused.status_code == 302
    assert refused["Location"] == "/_util/login/?next=/"
    assert client.get(refused["Location"])["Location"] == SETUP + "?next=%2F"
    # In the admin nothing changes: the enrolment page is where the session stands.
    assert client.get("/admin/")["Location"].startswith(SETUP)

    enrol(client)
    opened = client.get("/")
    assert opened.status_code == 200
    assert opened["Cache-Control"] == "private, no-store"


def test_an_editor_the_site_does_not_hold_to_a_code_reads_private_documents(
    client, editor, board_minutes
):
    log_in(client, editor)
    assert file_of(client.get(board_minutes.url)) == b"Confidential: the board met."


def test_the_requirement_setting_accepts_only_known_values(monkeypatch):
    monkeypatch.setenv("TWO_FACTOR_REQUIRED_FOR", "nobody")
    monkeypatch.setenv("SECRET_KEY", "x")
    result = subprocess.run(
        [sys.executable, "-c", "import cirsite.settings"], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "TWO_FACTOR_REQUIRED_FOR must be superusers or editors" in result.stderr


def test_the_fixture_other_admin_tests_use_passes_the_real_middleware(client, chief):
    """A session marked with the device's id is what the verify page leaves behind."""
    log_in_with_second_factor(client, chief)
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    log_in(client, chief)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
