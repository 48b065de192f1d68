import pytest

from articles.models import AuthorIndexPage
from tests.articles.stories import news_index, reporter  # noqa: F401
from tests.podcasts.conftest import add_episode, artwork, show  # noqa: F401


@pytest.fixture
def author_index(site_root):
    index = AuthorIndexPage(title="Authors", slug="authors")
    site_root.add_child(instance=index)
    index.save_revision().publish()
    return index
