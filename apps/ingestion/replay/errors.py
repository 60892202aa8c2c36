"""Intake refusals. Every one becomes ``{"error": {"code", "message"}}`` with its status."""


class IntakeError(Exception):
    def __init__(self, status: int, code: str, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
