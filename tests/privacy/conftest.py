from tests.lifecycle.live import s3_worker  # noqa: F401
from tests.replay.fixtures import post_batch  # noqa: F401
