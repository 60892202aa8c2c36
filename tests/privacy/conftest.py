from tests.lifecycle.live import s3_worker  # noqa: F401
