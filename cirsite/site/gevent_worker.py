"""The web server's worker class: gunicorn's gevent worker, which also closes a client's
database connections when the client goes.

Django keeps database connections per thread, and under gevent per greenlet: each client
connection gets its own, kept between its requests (``DATABASE_CONN_MAX_AGE``). When the client
went, nothing closed it: the connection was only freed by a full garbage collection, which a
busy worker rarely runs. Measured under load, a worker held twice as many SQLite files open as
it had clients, and grew by about 1.5 MB for every 30 clients that came and went (each
connection keeps its own page cache; with PostgreSQL each is a server backend too).
"""

import sys

from gunicorn.workers.ggevent import GeventWorker


class Worker(GeventWorker):
    def handle(self, listener, client, addr):
        try:
            super().handle(listener, client, addr)
        finally:
            # This greenlet's connections only; an app without Django (the bench's bare
            # app) has none.
            db = sys.modules.get("django.db")
            if db is not None:
                db.connections.close_all()
