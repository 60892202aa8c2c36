from tests.replay.fixtures import post_batch  # noqa: F401
