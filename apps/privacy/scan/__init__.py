"""Finding sensitive data in recorded events: detectors (patterns with checksums), a walker
that knows rrweb's DOM structures, CSS selector paths and redacted excerpts. Pure code: no
database, no storage, and never a log line with a scanned value in it."""
