"""One Redis connection per process for usage counters, in ``CLIENT REPLY OFF`` mode.

A counter increment is written to the socket and not waited for: the hot path costs one
``sendall``, not a round trip (on a busy machine a round trip is a context switch and a wait
for the CPU). Redis runs one connection's commands in order, so reads sent on this same
connection (with replies switched on for them) see every earlier increment of the process;
``barrier()`` gives the same guarantee to reads made elsewhere (the flush).

Bytes handed to the kernel reach Redis even if the process is killed right after: a count is
lost only if Redis itself goes away at that moment, when its unflushed counters would be lost
anyway. If the socket write fails, the caller writes the count to PostgreSQL instead.
"""

import os
import threading

import redis
from django.conf import settings

REPLY_OFF = ("CLIENT", "REPLY", "OFF")
REPLY_ON = ("CLIENT", "REPLY", "ON")


class Channel:
    def __init__(self, url: str):
        # No health checks: a PING's reply would never come in REPLY OFF mode.
        self._pool = redis.ConnectionPool.from_url(
            url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=0
        )
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None

    def _ready(self):
        if self._pid != os.getpid():  # a forked child never shares its parent's socket
            self._connection, self._pid = None, os.getpid()
        if self._connection is None or self._connection._sock is None:
            connection = self._pool.make_connection()
            connection.connect()
            connection.send_packed_command(connection.pack_command(*REPLY_OFF))
            self._connection = connection
        return self._connection

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.disconnect()
        self._connection = None

    def write(self, commands: list[tuple]) -> None:
        """Send without waiting for any reply; raises redis.RedisError if the write fails."""
        with self._lock:
            try:
                connection = self._ready()
                connection.send_packed_command(connection.pack_commands(commands))
            except (redis.RedisError, OSError) as exc:
                self._drop()
                raise redis.ConnectionError(str(exc)) from exc

    def read(self, commands: list[tuple]) -> list:
        """Send ``commands`` with replies switched on and return their replies, in order."""
        with self._lock:
            try:
                connection = self._ready()
                connection.send_packed_command(
                    connection.pack_commands([REPLY_ON, *commands, REPLY_OFF])
                )
                connection.read_response()  # the OK of CLIENT REPLY ON
                return [connection.read_response() for _ in commands]
            except BaseException:
                # A reply left unread would be taken for the next one: start afresh.
                self._drop()
                raise

    def barrier(self) -> None:
        """Return once Redis has run every command this process sent before."""
        self.read([("PING",)])


_channels: dict[str, Channel] = {}
_create_lock = threading.Lock()


def channel() -> Channel | None:
    url = settings.REDIS_URL
    if not url:
        return None
    found = _channels.get(url)
    if found is None:
        with _create_lock:
            found = _channels.setdefault(url, Channel(url))
    return found
