from tests.articles.stories import news_index, reporter  # noqa: F401
from tests.podcasts.conftest import add_episode, artwork, show  # noqa: F401
