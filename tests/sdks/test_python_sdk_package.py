"""``qorrelate-otel`` as customers get it: a wheel and an sdist built from sdks/python, installed
with pip into a clean virtualenv that has no Django, used by a FastAPI and a Flask app that export
to a live Qorrelate, where the spans and logs are found on the browser's session."""

import email
import json
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
import requests

from apps.orgs.snippets import PYTHON_INSTALL, PYTHON_PACKAGE
from tests.sdks.packages import (
    build_python_sdk,
    clean_env,
    clean_virtualenv,
    run,
    tarball_names,
)
from tests.support.live import free_port, stop_process, wait_for_port

APPS = Path(__file__).parent / "apps"
HELPER_DEPENDENCIES = {
    "opentelemetry-api",
    "opentelemetry-sdk",
    "opentelemetry-exporter-otlp-proto-http",
    "opentelemetry-processor-baggage",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_python_sdk(tmp_path_factory.mktemp("python-sdk"))


@pytest.fixture(scope="module")
def customer_python(built, tmp_path_factory):
    wheel, _sdist = built
    # The onboarding page's pip line, with the freshly built wheel for the package name.
    assert f'pip install "{PYTHON_PACKAGE}[django]"' == PYTHON_INSTALL
    return clean_virtualenv(
        tmp_path_factory.mktemp("customer") / "venv",
        f"{wheel}[django,fastapi,flask]",
        "fastapi",
        "uvicorn",
        "flask",
    )


def _requirement_names(metadata) -> tuple[set[str], set[str]]:
    plain, extras = set(), set()
    for requirement in metadata.get_all("Requires-Dist"):
        name = requirement.split(";")[0].split(">")[0].split("=")[0].split("<")[0].strip()
        (extras if "extra ==" in requirement else plain).add(name)
    return plain, extras


def test_the_wheel_holds_the_helper_alone_and_needs_only_opentelemetry(built):
    wheel, _sdist = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = email.message_from_bytes(
            archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        )

    modules = {n for n in names if not n.startswith("qorrelate_otel-")}
    assert {
        "qorrelate_otel/__init__.py",
        "qorrelate_otel/asgi.py",
        "qorrelate_otel/wsgi.py",
        "qorrelate_otel/django.py",
        "qorrelate_otel/conventions.py",
        "qorrelate_otel/py.typed",
    } <= modules
    assert all(n.startswith("qorrelate_otel/") for n in modules), modules
    assert metadata["Name"] == PYTHON_PACKAGE
    assert metadata["Version"] == "0.1.0"
    plain, extras = _requirement_names(metadata)
    assert plain == HELPER_DEPENDENCIES
    assert extras == {
        "opentelemetry-instrumentation-django",
        "opentelemetry-instrumentation-fastapi",
        "opentelemetry-instrumentation-flask",
    }
    assert set(metadata.get_all("Provides-Extra")) == {"django", "fastapi", "flask"}


def test_the_sdist_has_the_sources_readme_and_changelog(built):
    _wheel, sdist = built
    names = {n.split("/", 1)[1] for n in tarball_names(sdist) if "/" in n}

    assert {
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "PKG-INFO",
        "src/qorrelate_otel/__init__.py",
        "src/qorrelate_otel/request.py",
    } <= names


def test_the_clean_virtualenv_has_the_helper_and_no_django(customer_python):
    check = (
        "import importlib.util, json, qorrelate_otel, qorrelate_otel.asgi, qorrelate_otel.wsgi\n"
        "print(json.dumps({'file': qorrelate_otel.__file__, 'version': qorrelate_otel.__version__,"
        " 'django': importlib.util.find_spec('django') is not None}))"
    )
    out = json.loads(run([customer_python, "-c", check], cwd="/", env=clean_env()).stdout)

    assert "site-packages/qorrelate_otel" in out["file"]
    assert out["version"] == "0.1.0"
    assert out["django"] is False
    no_django = subprocess.run(
        [customer_python, "-c", "import django"], env=clean_env(), capture_output=True, text=True
    )
    assert no_django.returncode == 1
    assert "No module named 'django'" in no_django.stderr


@pytest.fixture
def start_app(customer_python, tmp_path):
    started = []

    def start(name, **env):
        port = free_port()
        log = (tmp_path / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            [customer_python, APPS / f"{name}.py"],
            cwd=APPS,
            env=clean_env(PORT=port, SHOP_SERVICE=name.replace("_app", "-shop"), **env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(proc)
        wait_for_port(port, proc=proc, timeout=60)
        return f"http://127.0.0.1:{port}", tmp_path / f"{name}.log"

    yield start
    for proc in started:
        stop_process(proc)


TRACE = "5a1c9e2b7d3f4a6b8c0d1e2f3a4b5c6d"
BROWSER_SPAN = "1f2e3d4c5b6a7980"


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_a_customer_app_exports_spans_and_logs_found_on_the_session(
    framework, start_app, live_qorrelate, live_api, org_a, ingest_key, replay_session
):
    session_id = f"b1d3a7e0-{framework[:4]:0>4}-4c3d-9e8f-0a1b2c3d4e5f"
    replay_session(org_a, session_id, int(time.time() * 1000) - 5_000)
    url, log = start_app(
        f"{framework}_app", QORRELATE_URL=live_qorrelate.url, QORRELATE_INGEST_KEY=ingest_key(org_a)
    )

    # What the recorder adds to the app's own API calls.
    cart = requests.get(
        url + "/cart",
        headers={"X-Session-ID": session_id, "traceparent": f"00-{TRACE}-{BROWSER_SPAN}-01"},
        timeout=10,
    )
    checkout = requests.post(url + "/checkout", headers={"baggage": f"session.id={session_id}"})
    inventory = requests.get(url + "/inventory", headers={"X-Session-ID": session_id}, timeout=10)
    flushed = requests.post(url + "/_flush", timeout=30)

    assert cart.status_code == 200, log.read_text()
    assert cart.json() == {"items": 3, "session": session_id}
    assert "X-Qorrelate-Error" not in cart.headers
    # The payment failed inside a span; the app answered 200; the response says it failed.
    assert (checkout.status_code, checkout.json()) == (200, {"ok": False})
    assert checkout.headers["X-Qorrelate-Error"] == "1"
    assert "X-Qorrelate-Error" in checkout.headers["Access-Control-Expose-Headers"]
    assert inventory.status_code in (500, 503)
    assert inventory.headers["X-Qorrelate-Error"] == "1"
    assert flushed.json() == {"flushed": True}, log.read_text()

    traces = live_api(f"/api/v1/sessions/{session_id}/traces")["traces"]
    roots = {t["root_span"]["name"]: t for t in traces}
    assert set(roots) == {"GET /cart", "POST /checkout", "GET /inventory"}, traces
    assert roots["GET /cart"]["trace_id"] == TRACE  # continues the browser's trace
    assert roots["GET /cart"]["is_error"] is False
    assert roots["POST /checkout"]["is_error"] is True  # the failed "charge card" span
    assert roots["GET /inventory"]["is_error"] is True
    assert all(t["offset_ms"] is not None for t in traces)  # placed on the replay

    cart_trace = live_api(f"/api/v1/traces/{TRACE}")
    assert cart_trace["session_id"] == session_id
    by_name = {s["name"]: s for s in cart_trace["spans"]}
    assert by_name["GET /cart"]["service_name"] == f"{framework}-shop"
    assert by_name["GET /cart"]["parent_span_id"] == BROWSER_SPAN
    assert by_name["load cart"]["attributes"]["session.id"] == session_id
    assert by_name["load cart"]["attributes"]["cart.items"] == 3
    assert by_name["load cart"]["depth"] >= 1

    logs = live_api(f"/api/v1/sessions/{session_id}/logs")["results"]
    expected = [("cart loaded", "INFO"), ("payment declined for order 42", "ERROR")]
    if framework == "flask":  # Flask logs the unhandled exception it answered 500 for
        expected.append(("Exception on /inventory [GET]", "ERROR"))
    assert [(r["body"], r["severity_text"]) for r in logs] == expected
    assert logs[0]["trace_id"] == TRACE
    assert logs[0]["span_id"] == by_name["load cart"]["span_id"]
    assert logs[1]["trace_id"] == roots["POST /checkout"]["trace_id"]
