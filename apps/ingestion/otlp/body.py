"""Read a request body within a size limit, decompressing gzip as it streams.

The limit applies to the bytes on the wire and again to the decompressed bytes, so a small gzip
bomb is cut off at the limit instead of being inflated in memory.
"""

import zlib

CHUNK = 64 * 1024
GZIP_WBITS = 16 + zlib.MAX_WBITS


class BodyError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def too_large(limit: int) -> BodyError:
    return BodyError(413, "payload_too_large", f"The body is larger than {limit} bytes.")


def _content_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _raw_chunks(request, limit: int):
    length = _content_length(request)
    if length is not None and length > limit:
        raise too_large(limit)
    if length is not None:
        stream = request
    elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        # Django reads nothing without a Content-Length; the server's input stream still ends
        # where the chunked request does.
        stream = request.META.get("wsgi.input")
    else:
        stream = None
    if stream is None:
        return
    received = 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        received += len(chunk)
        if received > limit:
            raise too_large(limit)
        yield chunk


def _gunzip(chunks, limit: int) -> bytes:
    out = bytearray()
    inflater = zlib.decompressobj(GZIP_WBITS)
    try:
        for chunk in chunks:
            data = chunk
            while data:
                out += inflater.decompress(data, limit + 1 - len(out))
                if len(out) > limit:
                    raise too_large(limit)
                data = inflater.unconsumed_tail
                if inflater.eof and inflater.unused_data:
                    # Concatenated gzip members form one stream (RFC 1952).
                    data = inflater.unused_data + data
                    inflater = zlib.decompressobj(GZIP_WBITS)
        out += inflater.flush()
    except zlib.error as exc:
        raise BodyError(400, "bad_gzip", f"The gzip body could not be decompressed: {exc}") from exc
    if not inflater.eof:
        raise BodyError(400, "bad_gzip", "The gzip body is truncated.")
    if len(out) > limit:
        raise too_large(limit)
    return bytes(out)


def read_body(request, *, limit: int) -> bytes:
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return b"".join(_raw_chunks(request, limit))
    if encoding in ("gzip", "x-gzip"):
        return _gunzip(_raw_chunks(request, limit), limit)
    raise BodyError(
        415, "unsupported_encoding", f"Content-Encoding {encoding!r} is not supported; use gzip."
    )
