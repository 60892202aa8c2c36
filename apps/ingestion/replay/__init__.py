"""The browser recorder's intake: ``POST /ingest/v1/replay?org=<data-org-id>``
(docs/recorder-protocol.md). The view is thin; each step lives in its own module."""
