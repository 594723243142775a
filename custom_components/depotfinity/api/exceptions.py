"""Exceptions raised by the DepotFinity API client."""

from __future__ import annotations

from typing import TypedDict, Unpack


class ErrorDetails(TypedDict, total=False):
    """What every :class:`DepotFinityError` may carry besides its text (see there)."""

    status: int | None
    body: str | None
    message: str | None


class DepotFinityError(Exception):
    """Base class of every error raised by the client.

    ``status`` is the HTTP status (``None`` when no response arrived), ``body`` the raw
    response text (with the request's secrets removed) and ``message`` the server's
    ``message`` / ``response.message`` when the body has one.
    """

    def __init__(
        self,
        text: str,
        *,
        status: int | None = None,
        body: str | None = None,
        message: str | None = None,
    ) -> None:
        """Initialise the error."""
        super().__init__(text)
        self.status = status
        self.body = body
        self.message = message


class DepotFinityConnectionError(DepotFinityError):
    """The API could not be reached."""


class DepotFinityTimeoutError(DepotFinityConnectionError):
    """The request timed out."""


class DepotFinityAuthenticationError(DepotFinityError):
    """The token endpoint refused the credentials: only new credentials (reauth) help."""


class DepotFinityPackageError(DepotFinityError):
    """403 on an API call: the API is not part of the subscribed package."""

    def __init__(
        self, text: str, *, api: str | None = None, **details: Unpack[ErrorDetails]
    ) -> None:
        """Initialise the error; ``api`` names the API group (e.g. ``Remote Commands``)."""
        super().__init__(text, **details)
        self.api = api


class DepotFinityAccessError(DepotFinityPackageError):
    """401 on an API call that a fresh token did not cure: this API refuses access.

    The credentials themselves are fine (the token endpoint issued a token), so this is
    handled like a 403: the API is switched off, no reauthentication is started.
    """


class DepotFinityNotFoundError(DepotFinityError):
    """404: unknown charger, connector, tag, reservation, ..."""


class DepotFinityValidationError(DepotFinityError):
    """400: the request was invalid."""


class DepotFinityCommandRejectedError(DepotFinityValidationError):
    """400 with ``response.status == "Rejected"``: the charger rejected the command."""


class DepotFinityConflictError(DepotFinityError):
    """409: the request conflicts with the current state."""


class _RetryAfterError(DepotFinityError):
    """An error that tells when to try again."""

    def __init__(
        self, text: str, *, retry_after: float | None = None, **details: Unpack[ErrorDetails]
    ) -> None:
        """Initialise the error; ``retry_after`` is in seconds."""
        super().__init__(text, **details)
        self.retry_after = retry_after


class DepotFinityRateLimitError(_RetryAfterError):
    """429 from the server, or the local request limiter has no free slot."""


class DepotFinityUnavailableError(_RetryAfterError):
    """503/504: overloaded or in maintenance (about 90 s)."""


class DepotFinityServerError(DepotFinityError):
    """Any other 5xx."""


class DepotFinityResponseError(DepotFinityError):
    """The response body was malformed or had an unexpected shape."""


class DepotFinityCommandUncertainError(DepotFinityResponseError):
    """A command or write was answered 2xx with a body the client cannot read.

    The request may or may not have reached the charger: re-read the state, do not retry
    blindly.
    """
