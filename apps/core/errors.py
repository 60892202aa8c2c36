"""Domain errors raised by services; views turn them into form errors or JSON 4xx replies."""


class DomainError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class AuthenticationFailed(DomainError):
    code = "authentication_failed"
    status = 401


class Unstorable(DomainError):
    """The client's data cannot be stored as sent (say, an event nested deeper than the
    serialiser allows): final, so a client must not send it again."""

    code = "unstorable"
    status = 400


class RateLimited(DomainError):
    """Asked again too soon: answer 429 and say when to come back (``Retry-After``)."""

    code = "throttled"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
