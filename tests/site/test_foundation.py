"""A newcomer's first contact: the demo site renders, the admin is there, settings refuse to
start insecurely, and the demo loader can run on every `make run`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from articles.models import ArticlePage

PROJECT = Path(__file__).resolve().parents[2]


def run_python(code, **env_overrides):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_reader_sees_front_page_news_story_and_admin_login(client, demo_site):
    front = client.get("/")
    assert front.status_code == 200
    assert b"Cyber risk news" in front.content

    story = ArticlePage.objects.get(slug="nhs-111-software-supplier-hit-by-cyberattack")
    response = client.get(story.url)
    assert response.status_code == 200
    assert "NHS 111 service software hit by cyberattack" in response.text
    assert "Adastra" in response.text

    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert 'name="password"' in login.text


def test_demo_has_what_the_brief_promises(demo_site):
    stories = ArticlePage.objects.live()
    assert stories.count() >= 8
    assert {s.slug for story in stories for s in story.sectors.all()} >= {
        "healthcare",
        "public-sector",
        "transport-logistics",
    }
    assert apps.get_model("articles", "Author").objects.count() == 4
    EpisodePage = apps.get_model("podcasts", "EpisodePage")
    assert EpisodePage.objects.live().count() >= 2
    FeedSource = apps.get_model("ingest", "FeedSource")
    assert FeedSource.objects.count() >= 3


def demo_counts():
    counted = [
        ("wagtailcore", "Page"),
        ("wagtailcore", "Revision"),
        ("articles", "Author"),
        ("articles", "ArticlePage"),
        ("podcasts", "EpisodePage"),
        ("ingest", "FeedSource"),
        ("ingest", "Incident"),
        ("cirsite", "CustomImage"),
        ("taggit", "Tag"),
    ]
    return {f"{app}.{model}": apps.get_model(app, model).objects.count() for app, model in counted}


def test_load_demo_twice_adds_nothing_twice(demo_site):
    first = demo_counts()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert demo_counts() == first


def test_unknown_address_gets_the_sites_own_not_found_page(client, demo_site):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="site-header"' in response.text


def test_bad_page_number_is_not_an_error(client, demo_site):
    assert client.get("/news/?page=abc").status_code == 200
    assert client.get("/news/?page=99999").status_code == 200


def test_start_up_without_secret_key_says_what_to_set():
    result = run_python("import django; django.setup()", DJANGO_SETTINGS_MODULE="cirsite.settings")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_https_deployment_passes_djangos_deploy_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "k9#Tq2!vX7@pL4$wZ8^mN3&rB6*yH1(cF5)dJ0_gS2+eU7=aQ4",
            "ALLOWED_HOSTS": "example.org",
            "BASE_URL": "https://example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_base_does_not_force_https(settings):
    # make run serves http://127.0.0.1:8000; a redirect to https there would lock readers out.
    assert settings.BASE_URL.startswith("http://")
    assert not getattr(settings, "SECURE_SSL_REDIRECT", False)


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_flag_is_refused_with_its_name(value):
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="cirsite.settings",
        SECRET_KEY="x" * 50,
        DEBUG=value,
    )
    assert result.returncode != 0
    assert "DEBUG must be" in result.stderr


def test_static_files_are_fingerprinted_and_compressed(tmp_path):
    env = {**os.environ, "STATIC_ROOT": str(tmp_path), "DJANGO_SETTINGS_MODULE": "cirsite.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT,
        env=env,
        check=True,
        timeout=300,
    )
    css = list((tmp_path / "css").glob("site.*.css"))
    assert css, "site.css has no fingerprinted copy"
    assert Path(f"{css[0]}.gz").exists()
    assert (tmp_path / "staticfiles.json").exists()
