"""Reading and writing zstd-compressed blobs through ``storages["replay"]``.

With file storage a write is fsynced before it returns: a 2xx promises the batch survives a
crash of the machine, not only of the process, the same promise PostgreSQL's commit makes.
"""

import contextlib
import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

import zstandard
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.utils._os import safe_makedirs

logger = logging.getLogger(__name__)

ZSTD_LEVEL = 3
MAX_BLOB_RAW_BYTES = 512 * 1024 * 1024
_local = threading.local()
# Blobs written at once per process: more than the web server's threads per process.
WRITER_THREADS = 8
_writer_pool: tuple[int, ThreadPoolExecutor] | None = None
_writer_lock = threading.Lock()


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
    if isinstance(target, FileSystemStorage):
        _write_file(target, target.path(key), blob)
        return key
    name = target.save(key, ContentFile(blob))
    if name != key:
        # Overwrites are allowed (a retried write replaces its own partial blob); a renamed key
        # would mean the storage is misconfigured and the row would point at the wrong object.
        raise RuntimeError(f"replay storage renamed {key!r} to {name!r}; enable overwrites")
    _fsync_if_local(target, name)
    return name


def put_soon(key: str, blob: bytes) -> Future:
    """``put`` on a writer thread, so the caller can do other work meanwhile (the intake reads
    and locks the session row); ``result()`` returns once the blob is durable, or raises."""
    return _writer().submit(put, key, blob)


def settle(pending: Future) -> None:
    """Wait for a ``put_soon`` whatever its outcome (before deleting its key)."""
    with contextlib.suppress(Exception):
        pending.result()


def _writer() -> ThreadPoolExecutor:
    # One pool per process, made in the process that uses it (gunicorn forks its workers).
    global _writer_pool
    pid = os.getpid()
    if _writer_pool is None or _writer_pool[0] != pid:
        with _writer_lock:
            if _writer_pool is None or _writer_pool[0] != pid:
                pool = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="replay-blob")
                _writer_pool = (pid, pool)
    return _writer_pool[1]


def _write_file(target: FileSystemStorage, path: str, blob: bytes) -> None:
    # What FileSystemStorage.save does (directories, overwrite, permissions), through one file
    # descriptor that is also the one fsynced: save's lock, close and the second open for the
    # fsync were a fifth of the blob write. The path is the storage's own for the key.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileNotFoundError:
        directory, mode = os.path.dirname(path), target.directory_permissions_mode
        if mode is not None:
            safe_makedirs(directory, mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view) :]
        if target.file_permissions_mode is not None:
            os.fchmod(fd, target.file_permissions_mode)
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
