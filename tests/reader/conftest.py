from tests.articles.stories import news_index, reporter, second_reporter  # noqa: F401
