"""Bulk operations on replay blobs that ``apps.replay.storage.blobs`` does not offer: deleting
many keys at once (one S3 DeleteObjects request per 1000 keys) and listing a prefix with each
blob's age, for the orphan sweep. Works on ``storages["replay"]`` (S3 or file system)."""

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.files.storage import storages

S3_DELETE_MAX = 1000


class BlobDeleteError(RuntimeError):
    """Some keys could not be deleted (the message names how many, never their content)."""


@dataclass(frozen=True)
class StoredBlob:
    key: str
    size: int
    modified_at: datetime


def _storage():
    return storages["replay"]


def _is_s3(storage) -> bool:
    return hasattr(storage, "bucket") and hasattr(storage, "bucket_name")


def _s3_name(storage, key: str) -> str:
    return storage._normalize_name(key)


def delete_keys(keys: Iterable[str]) -> int:
    """Delete every key (absent keys count as deleted); returns how many were asked for."""
    keys = sorted(set(keys))
    if not keys:
        return 0
    storage = _storage()
    if _is_s3(storage):
        failed = 0
        for start in range(0, len(keys), S3_DELETE_MAX):
            chunk = keys[start : start + S3_DELETE_MAX]
            response = storage.bucket.delete_objects(
                Delete={"Objects": [{"Key": _s3_name(storage, k)} for k in chunk], "Quiet": True}
            )
            failed += len(response.get("Errors") or [])
        if failed:
            raise BlobDeleteError(f"{failed} of {len(keys)} blobs could not be deleted")
        return len(keys)
    for key in keys:
        with contextlib.suppress(FileNotFoundError):
            storage.delete(key)
    return len(keys)


def list_prefix(prefix: str) -> Iterator[StoredBlob]:
    """Every blob whose key starts with ``prefix`` (a folder-like prefix ending in '/')."""
    storage = _storage()
    if _is_s3(storage):
        location = storage.location.strip("/")
        name = _s3_name(storage, prefix)
        for obj in storage.bucket.objects.filter(Prefix=name):
            key = obj.key[len(location) + 1 :] if location else obj.key
            yield StoredBlob(key, obj.size, obj.last_modified.astimezone(UTC))
        return
    root = storage.location
    folder = os.path.join(root, prefix)
    for current, _dirs, files in os.walk(folder):
        for filename in files:
            path = os.path.join(current, filename)
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                continue
            key = os.path.relpath(path, root).replace(os.sep, "/")
            yield StoredBlob(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, tz=UTC))


def exists(key: str) -> bool:
    return _storage().exists(key)
