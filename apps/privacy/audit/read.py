"""Reading a chunk in one request. ``blobs.get`` goes through Django storage, which costs S3 a
HEAD and a GET per blob; an audit reads every chunk once, so it asks S3 for the object
directly (one GET) and decompresses with the replay domain's own function."""

from botocore.exceptions import ClientError
from django.core.files.storage import storages

from apps.replay.storage import blobs


def chunk_read(key: str) -> bytes:
    """The decompressed content of ``key``; FileNotFoundError when it is gone."""
    storage = storages["replay"]
    if not hasattr(storage, "bucket"):
        return blobs.get(key)
    try:
        response = storage.bucket.Object(storage._normalize_name(key)).get()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise FileNotFoundError(key) from None
        raise
    return blobs.decompress(response["Body"].read())
