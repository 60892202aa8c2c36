"""Replay blobs: their keys, their framing, and reading/writing them through Django storage."""
