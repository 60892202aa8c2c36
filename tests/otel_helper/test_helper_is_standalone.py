"""The helper ships to customers: it must import without Qorrelate's apps or Django settings."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import qorrelate_otel, qorrelate_otel.asgi, qorrelate_otel.wsgi
assert not [m for m in sys.modules if m.split(".")[0] in ("apps", "qorrelate", "django")], \
    sorted(m for m in sys.modules if m.split(".")[0] in ("apps", "qorrelate", "django"))
import qorrelate_otel.django
assert "django.conf" not in sys.modules or not sys.modules["django.conf"].settings.configured
assert not [m for m in sys.modules if m.split(".")[0] in ("apps", "qorrelate")]
print("ok")
"""


def test_the_helper_imports_nothing_from_qorrelate_or_django_settings():
    env = {"PATH": "/usr/bin:/bin"}  # no DJANGO_SETTINGS_MODULE
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
