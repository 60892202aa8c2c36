"""Gunicorn settings for Qorrelate in production: the image's command and the production test
both start ``gunicorn -c deploy/gunicorn.conf.py qorrelate.wsgi:application``.

Command-line flags and ``GUNICORN_CMD_ARGS`` override anything here. ``WEB_CONCURRENCY`` and
``FORWARDED_ALLOW_IPS`` keep their gunicorn meaning; docs/deployment.md lists them all.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Containers report the host's CPU count, so the process count is set, not derived.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads overlap the I/O of one request (PostgreSQL, Redis, S3) with the work of another.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# OTLP bodies may reach 20 MiB and replay batches 10 MiB: leave slow uploads time to arrive.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Longer than a cloud load balancer's idle timeout (60 s), so it never reuses a closed socket.
keepalive = 75
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file lives in memory: an overlay file system can stall it and kill workers.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's documented choice for worker_tmp_dir
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM
# Only the proxy reaches this port; it sets X-Forwarded-Proto and X-Forwarded-For.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
# gunicorn ≥ 25.1 opens a control socket under $HOME; the image's user has no writable home.
control_socket_disable = True

# Django writes one JSON access line per request with its request id (ACCESS_LOG), so gunicorn's
# own access log stays off; its error log becomes JSON too when the app logs JSON.
accesslog = None
errorlog = "-"
_production = os.environ.get("QORRELATE_ENV") == "production"
if os.environ.get("LOG_FORMAT", "json" if _production else "text") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "qorrelate.logging.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }
