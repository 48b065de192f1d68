"""How a feed fails to arrive, in words an editor can act on: every failure of the fetch
stage (the address guard's refusal included) is a FetchError, and the health stage writes
its message on the source."""


class FetchError(Exception):
    """A feed could not be fetched. ``message`` is a sentence an editor can act on;
    ``status`` is the HTTP status when there was one, ``retry_after`` the seconds the server
    asked us to wait (the health stage decides how much of that to honour) and ``gone`` says
    the server answered 410."""

    def __init__(self, message, *, status=None, retry_after=None, gone=False):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.gone = gone


def unexpected_error_message(error):
    """For a failure that is a bug, not the feed's fault: the run carries on without it."""
    return (
        f"The feed could not be read because of an unexpected error ({type(error).__name__}). "
        "It will be tried again; if this keeps happening, report it to the developers."
    )
