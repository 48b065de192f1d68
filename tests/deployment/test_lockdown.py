"""The site locked down for the open internet: a Content-Security-Policy and Permissions-Policy
on what readers get, nothing cached from an editor's session, throttled logins, private
documents that stay private, bounded anonymous bodies and image sizes, no avatar service."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from wagtail.models import Collection

PASSWORD = "correct horse battery staple 42"


def parse_csp(header):
    policy = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("editor", "editor@example.org", PASSWORD)
    user.is_staff = True
    user.save()
    group, _ = Group.objects.get_or_create(name="Moderators")
    user.groups.add(group)
    return user


@pytest.mark.parametrize("path", ["/", "/news/", "/search/?q=breach", "/no-such-page/"])
def test_every_public_response_has_a_strict_script_policy(client, demo_site, path):
    response = client.get(path)
    policy = parse_csp(response["Content-Security-Policy"])

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "path", ["/feeds/stories/", "/podcasts/feed/", "/incidents/feed/", "/sitemap.xml"]
)
def test_feeds_and_sitemaps_let_nothing_run_and_carry_no_document_headers(client, demo_site, path):
    response = client.get(path)

    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"]) == {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
        "frame-ancestors": ["'none'"],
    }
    assert response["X-Content-Type-Options"] == "nosniff"
    for name in ("Permissions-Policy", "Cross-Origin-Opener-Policy", "Referrer-Policy"):
        assert name not in response, name


def test_pages_keep_their_document_headers(client, demo_site):
    response = client.get("/")

    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_admin_has_its_own_looser_policy(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")

    policy = parse_csp(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_responses_to_a_logged_in_editor_are_never_stored(client, demo_site, editor):
    client.force_login(editor)
    for path in ("/", "/news/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path

    client.logout()
    assert "public" in client.get("/")["Cache-Control"]


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_twelve_wrong_passwords_lock_the_account_with_a_clear_message(client, editor, settings):
    answers = [log_in(client, "editor", f"guess {n}") for n in range(12)]

    # The form with its error until the limit; the attempt that reaches it is refused.
    limit = settings.AXES_FAILURE_LIMIT
    assert limit < 12
    assert [a.status_code for a in answers[: limit - 1]] == [200] * (limit - 1)
    for locked in answers[limit - 1 :]:
        assert locked.status_code == 429
        text = locked.content.decode()
        assert "Too many failed log-in attempts" in text
        assert f"Try again in {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in text

    # While locked, even the right password is refused, from another address too.
    refused = log_in(client, "editor", PASSWORD, address="198.51.100.20")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_admin_unlock_lets_the_editor_back_in(client, editor):
    for n in range(11):
        log_in(client, "editor", f"guess {n}")
    assert log_in(client, "editor", PASSWORD).status_code == 429

    call_command("axes_reset_username", "editor")

    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_lock_lifts_after_the_cool_off(client, editor, settings):
    for n in range(11):
        log_in(client, "editor", f"guess {n}")
    assert log_in(client, "editor", PASSWORD).status_code == 429

    # The cool-off has passed: the attempts are as old as the stated time.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )

    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_locked_too(client, editor):
    for n in range(11):
        log_in(client, f"someone-{n}", "guess", address="192.0.2.50")

    refused = log_in(client, "editor", PASSWORD, address="192.0.2.50")
    assert refused.status_code == 429
    # The editor elsewhere is not affected by that address's guessing.
    assert log_in(client, "editor", PASSWORD, address="192.0.2.99").status_code == 302


def test_a_restricted_document_is_never_served_to_an_anonymous_reader(client, board_minutes):
    name = board_minutes.file.name  # e.g. documents/board-minutes.txt
    assert name.startswith("documents/")
    via_view = client.get(board_minutes.url)
    assert via_view.status_code == 302
    assert "/login/" in via_view["Location"]

    for url in [
        f"/media/{name}",
        f"/media//{name}",
        f"/media/./{name}",
        f"/media/original_images/../{name}",
        f"/media/images/..%2f{name}",
        f"/media/{name.upper()}",
        "/media/documents/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Confidential" not in body, url


def test_an_editor_reads_the_restricted_document_through_wagtail(client, board_minutes, editor):
    client.force_login(editor)
    response = client.get(board_minutes.url)
    assert response.status_code == 200
    assert b"Confidential" in b"".join(response.streaming_content)
    assert client.get(f"/media/{board_minutes.file.name}").status_code == 404


def test_a_large_anonymous_body_is_refused_before_it_is_read(client, settings, db):
    too_big = b"x" * (settings.ANONYMOUS_MAX_BODY_BYTES + 1)
    response = client.post("/admin/login/", data=too_big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert b"Request body too large" in response.content

    small = log_in(client, "nobody", "wrong")
    assert small.status_code == 200


def test_an_editor_may_upload_more_than_a_reader_may_send(client, editor, settings):
    client.force_login(editor)
    response = client.post(
        "/admin/login/",
        data=b"x" * (settings.ANONYMOUS_MAX_BODY_BYTES * 4),
        content_type="application/octet-stream",
    )
    assert response.status_code != 413


def test_an_image_too_large_to_decode_safely_is_refused_at_upload(client, editor, settings):
    client.force_login(editor)
    # 11,000 x 11,000 pixels in a few hundred kilobytes: cheap to send, costly to decode.
    buffer = io.BytesIO()
    Image.new("1", (11_000, 11_000)).save(buffer, format="PNG")
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS < 11_000 * 11_000

    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Huge",
            "file": ContentFile(buffer.getvalue(), name="huge.png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 200
    assert "pixels" in response.content.decode()
    from wagtail.images import get_image_model

    assert not get_image_model().objects.filter(title="Huge").exists()


def test_the_admin_calls_no_avatar_service(client, editor):
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert "gravatar" not in page.lower()
