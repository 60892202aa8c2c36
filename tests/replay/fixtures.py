"""Fixtures shared by the replay and ingestion tests (imported by both conftest modules)."""

import gzip as gzip_module
import os

import orjson
import pytest
from django.core.files.storage import storages

INTAKE = "/ingest/v1/replay"


def stored_keys() -> list[str]:
    """Every blob key in the replay storage (file system or S3)."""
    storage = storages["replay"]
    if hasattr(storage, "bucket"):
        return sorted(obj.key for obj in storage.bucket.objects.all())
    root = storage.location
    keys = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            keys.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return sorted(keys)


@pytest.fixture
def post_batch(client):
    """``post_batch(org, payload, gzip=True, content_type=..., origin=None, headers=None)``
    posts one batch to the intake through the whole Django stack."""

    def post(
        organization,
        payload,
        *,
        gzip=True,
        content_type="application/json",
        origin=None,
        headers=None,
        query=None,
    ):
        data = payload if isinstance(payload, bytes) else orjson.dumps(payload)
        if gzip:
            data = gzip_module.compress(data)
        all_headers = dict(headers or {})
        if origin:
            all_headers["Origin"] = origin
        org_query = f"?org={organization.public_id}" if query is None else query
        return client.generic(
            "POST", INTAKE + org_query, data=data, content_type=content_type, headers=all_headers
        )

    return post
