"""The intakes' one error type. Every refusal is an ``IntakeError``; each intake writes it in its
own wire format (``Intake.refuse``), always with the status, the code and the message here."""

MIB = 1024 * 1024


class IntakeError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.headers = headers or {}

    def reply_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.retry_after is not None:
            headers["Retry-After"] = str(max(1, int(self.retry_after)))
        return headers


def size_text(size: int) -> str:
    """``10 MiB``, ``512 KiB``, ``900 bytes``: sizes in messages people read."""
    if size >= MIB and size % MIB == 0:
        return f"{size // MIB} MiB"
    if size >= MIB:
        return f"{size / MIB:.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size} bytes"


def too_large(limit: int, what: str, noun: str) -> IntakeError:
    return IntakeError(
        413,
        "payload_too_large",
        f"The body is over the {size_text(limit)} {what} limit; send smaller {noun}.",
    )
