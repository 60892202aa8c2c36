"""Qorrelate's WSGI application plus one benchmark-only endpoint, ``POST /bench/floor``: it goes
through the same middleware and URL routing as the intake and reads the same body, then answers
a fixed JSON reply. That is the framework's floor the intake is compared with; /healthz (a
probe answered by the first middleware) is reported too, as the server's own floor.

    gunicorn -c deploy/gunicorn.conf.py benchmarks.ingest_floor_app:application
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorrelate.settings")

import django  # noqa: E402

django.setup()

from django.http import JsonResponse  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

import qorrelate.urls  # noqa: E402


@csrf_exempt
def floor(request):
    body = request.read()
    return JsonResponse({"ok": True, "bytes": len(body)})


qorrelate.urls.urlpatterns.insert(0, path("bench/floor", floor))
clear_url_caches()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
