"""Fixtures for the tagging tests: the tagger built from the seeded vocabulary, the gold
set, and admin users."""

import json
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent.parent / "fixtures" / "tagging_gold.jsonl"


@pytest.fixture
def tagger(db):
    from ingest.tagging import get_tagger

    return get_tagger()


@pytest.fixture(scope="session")
def gold_rows():
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def editor(db):
    """A newsroom editor: may use the admin and edit the vocabulary."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    user = get_user_model().objects.create_user(
        username="editor", email="editor@example.com", password="correct horse battery"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="cirsite",
            codename__in=["change_sector", "change_risktype", "view_sector", "view_risktype"],
        )
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
