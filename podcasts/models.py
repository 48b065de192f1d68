"""Models of the podcasts app."""
