"""Media storage chosen by environment: local files by default, an S3-compatible bucket
through django-storages when AWS_STORAGE_BUCKET_NAME is set. Only the selection is tested;
nothing here contacts a storage service."""

import json
import os
import subprocess
import sys

from tests.running_site import PROJECT, copy_site

SHOW = (
    "import json; from django.conf import settings; "
    "from django.core.files.storage import storages; default_storage = storages['default']; "
    "from django.test import Client; "
    "csp = Client().get('/robots.txt').get('Content-Security-Policy', ''); "
    "print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'], "
    "'storage': type(default_storage).__module__ + '.' + type(default_storage).__name__, "
    "'url': default_storage.url('images/front.jpg'), "
    "'csp': csp}))"
)


def settings_under(tmp_path, demo_site_dir, **env_changes):
    """What a process of the site chooses, run in a copy of the demo site (a request reads
    the site and the page cache's generations from its database)."""
    copy_site(demo_site_dir, tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_")
        and key not in {"MEDIA_ORIGIN", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(CIRSITE_VAR_DIR=str(tmp_path), ALLOWED_HOSTS="testserver", **env_changes)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_media_are_local_files_by_default(tmp_path, demo_site_dir):
    chosen = settings_under(tmp_path, demo_site_dir)
    assert chosen["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert chosen["url"] == "/media/images/front.jpg"


def test_a_bucket_name_selects_s3_compatible_storage_behind_its_own_domain(tmp_path, demo_site_dir):
    chosen = settings_under(
        tmp_path,
        demo_site_dir,
        AWS_STORAGE_BUCKET_NAME="cirsite-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.net",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
        AWS_ACCESS_KEY_ID="test-key-id",
        AWS_SECRET_ACCESS_KEY="test-secret",
    )
    assert chosen["backend"] == "storages.backends.s3.S3Storage"
    assert chosen["storage"] == "storages.backends.s3.S3Storage"
    # Unsigned, stable addresses on the media domain, which the page policy allows.
    assert chosen["url"] == "https://media.example.org/images/front.jpg"
    assert "img-src 'self' https://media.example.org" in chosen["csp"]
    assert "media-src 'self' https://media.example.org" in chosen["csp"]
