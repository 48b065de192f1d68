import pytest

from tests.articles.stories import news_index, publish_story, reporter  # noqa: F401
from tests.podcasts.conftest import add_episode, artwork, show  # noqa: F401


@pytest.fixture
def no_page_cache(settings):
    """Every request renders: what the tests see is what a process remembers."""
    settings.CACHE_PAGE_SECONDS = 0


@pytest.fixture
def story(news_index, reporter):  # noqa: F811 - news_index and reporter are fixtures
    return publish_story(
        news_index,
        "Ferry operator's bookings halted by ransomware",
        slug="ferry-bookings-halted",
        authors=[reporter],
        sectors=["transport-logistics"],
        risk_types=["ransomware"],
    )
