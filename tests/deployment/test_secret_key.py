"""Management commands work in a set-up checkout without extra environment: the key that
`make run` generated in var/secret_key is found. A deployment with neither SECRET_KEY nor the
file still refuses to start."""

import os
import shutil
import subprocess
import sys

from tests.deployment.whole_site import PROJECT


def environment_without_key(var_dir):
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(
        CIRSITE_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        STATIC_ROOT=str(var_dir / "static"),
        DEBUG="0",
        DATABASE_URL=f"sqlite:///{var_dir / 'cirsite.sqlite3'}",
    )
    env.pop("REDIS_URL", None)
    return env


def manage(env, *arguments):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def sources_command(env):
    """The feed-sources command: `sources` once ingest is restructured, `feeds` before."""
    listed = manage(env, "help", "--commands").stdout.split()
    return "sources" if "sources" in listed else "feeds"


def test_after_make_run_a_management_command_needs_no_extra_environment(tmp_path, demo_site_dir):
    var_dir = tmp_path / "var"
    shutil.copytree(demo_site_dir, var_dir)
    # What `make run` leaves behind: a key readable by its owner only.
    key_file = var_dir / "secret_key"
    key_file.write_text("a-key-generated-by-make-run-0123456789-abcdefghij-klmnop\n")
    key_file.chmod(0o600)
    env = environment_without_key(var_dir)

    listed = manage(env, sources_command(env), "list")

    assert listed.returncode == 0, listed.stderr
    assert "SECRET_KEY" not in listed.stderr
    assert listed.stdout.strip(), "the sources list printed nothing"

    key = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
    )
    assert key.stdout.strip() == "a-key-generated-by-make-run-0123456789-abcdefghij-klmnop"


def test_an_explicit_secret_key_wins_over_the_file(tmp_path):
    (tmp_path / "secret_key").write_text("the-file-key\n")
    env = environment_without_key(tmp_path)
    env["SECRET_KEY"] = "the-environment-key"

    key = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
    )

    assert key.stdout.strip() == "the-environment-key"


def test_a_deployment_without_a_key_or_key_file_refuses_to_start(tmp_path):
    env = environment_without_key(tmp_path)
    assert not (tmp_path / "secret_key").exists()

    checked = manage(env, "check")

    assert checked.returncode != 0
    assert "SECRET_KEY is not set" in checked.stderr
