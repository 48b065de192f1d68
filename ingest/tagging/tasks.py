"""Retraining the tagger in the background, by a tasks-framework worker."""

from django.db import transaction
from django_tasks import task

from ingest.tagging.examples import retraining_due


@task(backend="ingest")
def retrain_tagger(force=False):
    """Train a new model when enough new examples have arrived (or when forced); returns
    the new model's number, or None."""
    if not force and not retraining_due():
        return None
    # Imported here: training loads spaCy, which a web process that only queues this task
    # (an editor confirming incidents) must not pay for.
    from ingest.tagging.training import train_model

    return train_model().number


def retrain_when_due():
    """Queue a retraining once the examples just saved are committed, if enough are new."""
    transaction.on_commit(lambda: retraining_due() and retrain_tagger.enqueue())
