from tests.recorder.conftest import replay_js, site  # noqa: F401  (real replay.js, local site)
from tests.replay.fixtures import post_batch  # noqa: F401
