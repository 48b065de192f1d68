"""Tagging incidents, stories and episodes with sectors and risk types.

- ``engine``: the rule tagger, a plain library (spaCy, no Django);
- ``rules``: its context rules, as data;
- ``vocabulary``: the tagger built from the vocabulary in the database, cached per process;
- ``admin``: the vocabulary snippets and the editors' "suggest tags" action.
"""


def __getattr__(name):
    # ``from ingest.tagging import get_tagger`` works, while importing the engine alone (a
    # script, a benchmark) needs neither Django nor a database.
    if name == "get_tagger":
        from ingest.tagging.vocabulary import get_tagger

        return get_tagger
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
