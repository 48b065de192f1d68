from tests.articles.stories import news_index, reporter  # noqa: F401
