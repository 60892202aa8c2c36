"""The browser recorder's intake: ``POST /ingest/v1/replay?org=<data-org-id>``
(docs/recorder-protocol.md). ``intake.py`` holds its pipeline stages; ``views.py`` is thin."""
