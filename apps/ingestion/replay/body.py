"""Reading the request body within limits, and gunzipping it without trusting its size.

The compressed body is refused from its Content-Length before anything is read, and the read is
capped as well. Decompression is streamed in 1 MiB steps and stops as soon as the output passes
the decompressed limit, so a decompression bomb costs at most that limit in memory.
"""

import zlib

from . import conf
from .errors import IntakeError

GZIP_MAGIC = b"\x1f\x8b"
READ_CHUNK = 64 * 1024
INFLATE_STEP = 1024 * 1024
ACCEPTED_TYPES = ("application/json", "text/plain")


def check_content_type(content_type: str) -> None:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise IntakeError(
            415,
            "unsupported_media_type",
            f"Content-Type must be application/json or text/plain, not {media_type or 'missing'}.",
        )


def read_body(request) -> bytes:
    limit = conf.get("REPLAY_MAX_BODY_BYTES")
    raw_length = request.META.get("CONTENT_LENGTH") or ""
    try:
        length = int(raw_length) if raw_length else None
    except ValueError:
        raise IntakeError(
            400, "invalid_content_length", "Content-Length is not a number."
        ) from None
    if length is None:
        raise IntakeError(411, "length_required", "Send the batch with a Content-Length.")
    if length > limit:
        raise _too_large(limit, "compressed")
    body = bytearray()
    while len(body) <= limit:
        chunk = request.read(min(READ_CHUNK, limit + 1 - len(body)))
        if not chunk:
            break
        body += chunk
    if len(body) > limit:
        raise _too_large(limit, "compressed")
    if not body:
        raise IntakeError(400, "empty_body", "The request body is empty.")
    return bytes(body)


def decode_body(body: bytes, content_encoding: str) -> bytes | bytearray:
    encoding = content_encoding.strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip"):
        raise IntakeError(
            415, "unsupported_encoding", f"Content-Encoding {encoding} is not supported; use gzip."
        )
    if body.startswith(GZIP_MAGIC) or encoding in ("gzip", "x-gzip"):
        return gunzip(body, conf.get("REPLAY_MAX_DECOMPRESSED_BYTES"))
    if len(body) > conf.get("REPLAY_MAX_DECOMPRESSED_BYTES"):
        raise _too_large(conf.get("REPLAY_MAX_DECOMPRESSED_BYTES"), "decompressed")
    return body


def gunzip(data: bytes, limit: int) -> bytearray:
    out = bytearray()
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    pending = data
    try:
        while True:
            before = len(pending)
            chunk = inflater.decompress(pending, INFLATE_STEP)
            pending = inflater.unconsumed_tail
            if chunk:
                if len(out) + len(chunk) > limit:
                    raise _too_large(limit, "decompressed")
                out += chunk
            if inflater.eof:
                rest = inflater.unused_data
                if not rest.strip(b"\x00"):
                    return out
                if not rest.startswith(GZIP_MAGIC):
                    raise IntakeError(400, "invalid_gzip", "Trailing data after the gzip stream.")
                # Concatenated gzip members are one valid gzip stream.
                inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
                pending = rest
                continue
            if not chunk and (not pending or len(pending) == before):
                raise IntakeError(400, "invalid_gzip", "The gzip stream is truncated.")
    except zlib.error as exc:
        raise IntakeError(400, "invalid_gzip", f"The body is not valid gzip ({exc}).") from None


def _too_large(limit: int, what: str) -> IntakeError:
    return IntakeError(
        413,
        "payload_too_large",
        f"The batch is over the {limit // (1024 * 1024)} MiB {what} limit; send smaller batches.",
    )
