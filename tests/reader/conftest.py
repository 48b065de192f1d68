from tests.articles.stories import news_index, reporter, second_reporter  # noqa: F401
from tests.podcasts.conftest import add_episode, artwork, show  # noqa: F401
