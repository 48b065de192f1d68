"""The ingest tasks' old address. They live in ``ingest.pipeline.tasks``; django-tasks records
a task by its import path, so runs queued before the move (``ingest.tasks.ingest_due_sources``)
must still find them here."""

from ingest.pipeline.tasks import ingest_due_sources, ingest_source

__all__ = ["ingest_due_sources", "ingest_source"]
