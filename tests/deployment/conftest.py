import pytest


@pytest.fixture(scope="session")
def demo_site_dir(tmp_path_factory):
    """A var folder with the demo site migrated, loaded and its static files collected, made
    once per session; tests that run the site start from a copy of it."""
    from tests.deployment.whole_site import prepare_site

    return prepare_site(tmp_path_factory.mktemp("demo-site"))
