"""OTLP/HTTP intake: POST /v1/traces and /v1/logs (protobuf or JSON, optionally gzip).

``intake`` holds its pipeline stages (``apps.ingestion.pipeline`` runs them); ``decode``,
``spans``, ``logs`` and ``values`` turn a body into rows; ``responses`` writes OTLP replies.
"""
