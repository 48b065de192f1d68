"""Models of the ingest app."""
