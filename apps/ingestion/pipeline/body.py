"""The intakes' one body reader: the bytes on the wire within a limit, gunzipped within
another, never trusting a declared size.

A body is refused from its Content-Length before anything is read, and the read itself stops
one chunk past the limit (a server or proxy may pass more than it declared). A chunked request
(no Content-Length; OTLP exporters send them) is read from the server's input stream, which
ends where the request does. Gzip is recognised by ``Content-Encoding`` or by its magic bytes
(the browser recorder never sets the header; neither JSON nor protobuf can start with them)
and inflated in steps that stop as soon as the output passes the decompressed limit, so a
decompression bomb costs at most that limit in memory.
"""

import itertools
import zlib
from collections.abc import Iterator

from .errors import IntakeError, too_large
from .limits import Limits

GZIP_MAGIC = b"\x1f\x8b"
GZIP_WBITS = 16 + zlib.MAX_WBITS
READ_CHUNK = 64 * 1024
INFLATE_STEP = 1024 * 1024


def content_encoding(request) -> str:
    """'' or 'gzip'; IntakeError 415 for anything else."""
    encoding = request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    if encoding in ("", "identity"):
        return ""
    if encoding in ("gzip", "x-gzip"):
        return "gzip"
    raise IntakeError(
        415, "unsupported_encoding", f"Content-Encoding {encoding:.40} is not supported; use gzip."
    )


def read_body(request, *, limits: Limits, noun: str) -> bytes:
    """The request's body, decompressed. Raises IntakeError (400, 413, 415)."""
    encoding = content_encoding(request)
    chunks = _raw_chunks(request, limits.max_body_bytes, noun)
    first = next(chunks, b"")
    if encoding == "gzip" or first.startswith(GZIP_MAGIC):
        return _gunzip(itertools.chain((first,), chunks), limits.max_decompressed_bytes, noun)
    rest = b"".join(chunks)
    body = first + rest if rest else first
    if len(body) > limits.max_decompressed_bytes:
        raise too_large(limits.max_decompressed_bytes, "decompressed", noun)
    return body


def _raw_chunks(request, limit: int, noun: str) -> Iterator[bytes]:
    raw_length = request.META.get("CONTENT_LENGTH") or ""
    if raw_length:
        try:
            length = int(raw_length)
        except ValueError:
            raise IntakeError(
                400, "invalid_content_length", "Content-Length is not a number."
            ) from None
        if length > limit:
            raise too_large(limit, "compressed", noun)
        stream = request
    elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        # Django reads nothing without a Content-Length; the server's input stream still ends
        # where the chunked request does.
        stream = request.META["wsgi.input"]
    else:
        return iter(())  # no Content-Length and not chunked: HTTP/1.1 says there is no body
    return _chunks(stream, limit, noun)


def _chunks(stream, limit: int, noun: str) -> Iterator[bytes]:
    received = 0
    while True:
        chunk = stream.read(min(READ_CHUNK, limit + 1 - received))
        if not chunk:
            return
        received += len(chunk)
        if received > limit:
            raise too_large(limit, "compressed", noun)
        yield chunk


def _gunzip(chunks: Iterator[bytes], limit: int, noun: str) -> bytes:
    out = bytearray()
    inflater = zlib.decompressobj(GZIP_WBITS)
    try:
        for chunk in chunks:
            data = chunk
            while data:
                step = inflater.decompress(data, min(INFLATE_STEP, limit + 1 - len(out)))
                out += step
                if len(out) > limit:
                    raise too_large(limit, "decompressed", noun)
                data = inflater.unconsumed_tail
                if inflater.eof:
                    rest = inflater.unused_data + data
                    if not rest.strip(b"\x00"):
                        data = b""  # NUL padding after the stream
                    elif rest.startswith(GZIP_MAGIC[:1]):
                        # Concatenated gzip members are one gzip stream (RFC 1952).
                        inflater = zlib.decompressobj(GZIP_WBITS)
                        data = rest
                    else:
                        raise IntakeError(
                            400, "invalid_gzip", "Trailing data after the gzip stream."
                        )
                elif not step and not data:
                    break  # the inflater wants the next chunk
    except zlib.error as exc:
        raise IntakeError(400, "invalid_gzip", f"The body is not valid gzip ({exc}).") from None
    if not inflater.eof:
        raise IntakeError(400, "invalid_gzip", "The gzip stream is truncated.")
    return bytes(out)
