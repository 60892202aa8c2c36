"""OTLP/HTTP intake: POST /v1/traces and /v1/logs (protobuf or JSON, optionally gzip).

``views`` speaks HTTP (auth, limits, status codes, replies in the request's encoding);
``pipeline`` decodes, converts and stores one request body and is what the benchmark drives.
"""
