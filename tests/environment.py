"""Loaded by pytest before Django (``-p tests.environment`` in pyproject.toml): the settings
module reads only the environment, so the test defaults are set here."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("BASE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("INGEST_TASK_BACKEND", "immediate")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="cirsite-test-media-"))
os.environ.setdefault("CIRSITE_VAR_DIR", tempfile.mkdtemp(prefix="cirsite-test-var-"))
# whitenoise looks for STATIC_ROOT at start-up; collectstatic is not run for the tests.
os.makedirs(os.path.join(os.environ["CIRSITE_VAR_DIR"], "static"), exist_ok=True)
