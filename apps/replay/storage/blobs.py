"""Reading and writing zstd-compressed blobs through ``storages["replay"]``.

With file storage a write is fsynced before it returns: a 2xx promises the batch survives a
crash of the machine, not only of the process, the same promise PostgreSQL's commit makes.
"""

import contextlib
import logging
import os
import threading

import zstandard
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

logger = logging.getLogger(__name__)

ZSTD_LEVEL = 3
MAX_BLOB_RAW_BYTES = 512 * 1024 * 1024
_local = threading.local()


def storage():
    return storages["replay"]


def _compressor() -> zstandard.ZstdCompressor:
    # zstandard (de)compressors are not safe to share between threads.
    if not hasattr(_local, "compressor"):
        _local.compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
        _local.decompressor = zstandard.ZstdDecompressor()
    return _local.compressor


def compress(raw: bytes) -> bytes:
    return _compressor().compress(raw)


def decompress(blob: bytes) -> bytes:
    _compressor()
    return _local.decompressor.decompress(blob, max_output_size=MAX_BLOB_RAW_BYTES)


def put(key: str, blob: bytes) -> str:
    """Store ``blob`` (already compressed) under ``key``; returns the name actually stored."""
    target = storage()
    if _plain_files(target):
        _write_file(target.path(key), blob)
        return key
    name = target.save(key, ContentFile(blob))
    if name != key:
        # Overwrites are allowed (a retried write replaces its own partial blob); a renamed key
        # would mean the storage is misconfigured and the row would point at the wrong object.
        raise RuntimeError(f"replay storage renamed {key!r} to {name!r}; enable overwrites")
    _fsync_if_local(target, name)
    return name


def _plain_files(target) -> bool:
    # File storage without custom permissions: the blob is written and fsynced through one file
    # descriptor at the storage's own path for the key, instead of Storage.save's write, lock
    # and close followed by a second open for the fsync.
    return (
        isinstance(target, FileSystemStorage)
        and target.file_permissions_mode is None
        and target.directory_permissions_mode is None
    )


def _write_file(path: str, blob: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    _fsync_directory(os.path.dirname(path))


def _fsync_if_local(target, name: str) -> None:
    try:
        path = target.path(name)
    except NotImplementedError:  # object stores acknowledge a PUT only once it is durable
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    _fsync_directory(os.path.dirname(path))


def _fsync_directory(directory: str) -> None:
    # The new file's directory entry is durable only once its directory is fsynced too.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def get(key: str) -> bytes:
    """The decompressed content of ``key``; raises FileNotFoundError when it is absent."""
    with storage().open(key, "rb") as handle:
        return decompress(handle.read())


def delete(key: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        storage().delete(key)
