"""The install snippets shown on the dashboard, built for one organization.

The package names and install lines are defined here once: tests/sdks installs exactly these
(from the freshly built packages) and runs the Node setup verbatim, so what the onboarding page
tells a customer to install is what the SDK tests prove works.
"""

from .models import Organization

BROWSER_PACKAGE = "@qorrelate/browser"
BROWSER_INSTALL = f"npm install {BROWSER_PACKAGE}"
PYTHON_PACKAGE = "qorrelate-otel"
PYTHON_INSTALL = f'pip install "{PYTHON_PACKAGE}[django]"'
NODE_PACKAGES = (
    "@qorrelate/node",
    "@opentelemetry/api",
    "@opentelemetry/api-logs",
    "@opentelemetry/sdk-node",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/exporter-logs-otlp-http",
    "@opentelemetry/instrumentation-http",
)
NODE_INSTALL = "npm install " + " ".join(NODE_PACKAGES)


def node_install_command() -> str:
    """NODE_INSTALL over a few lines (shell continuations), so it fits the card."""
    lines = ["npm install " + " ".join(NODE_PACKAGES[:3])]
    lines += ["  " + " ".join(NODE_PACKAGES[i : i + 2]) for i in range(3, len(NODE_PACKAGES), 2)]
    return " \\\n".join(lines)


def python_install_command() -> str:
    return f"{PYTHON_INSTALL}    # FastAPI: [fastapi] · Flask: [flask]"


def script_tag(organization: Organization, base_url: str) -> str:
    # The organization's header deny list goes into the tag too, so those values do not even
    # leave the browser (the intake strips them anyway: docs/privacy.md).
    denied = ", ".join(organization.network_header_denylist)
    return (
        f'<script src="{base_url}/static/replay.js"\n'
        f'        data-org-id="{organization.public_id}"\n'
        + (f'        data-redact-headers="{denied}"\n' if denied else "")
        + f'        data-privacy-mode="{organization.privacy_mode}"></script>'
    )


def browser_snippet(organization: Organization, base_url: str) -> str:
    """The npm package's equivalent of the script tag (the browser SDK test runs it verbatim)."""
    denied = ", ".join(organization.network_header_denylist)
    return (
        f"import {{ init }} from '{BROWSER_PACKAGE}';\n\n"
        f"init({{ orgId: '{organization.public_id}', endpoint: '{base_url}',\n"
        + (f"       redactHeaders: '{denied}',\n" if denied else "")
        + f"       privacyMode: '{organization.privacy_mode}' }});\n"
    )


def python_snippet(organization: Organization, base_url: str) -> str:
    return (
        "# settings.py (Django) — FastAPI and Flask: see docs/sdk-python.md\n"
        'MIDDLEWARE.insert(0, "qorrelate_otel.django.SessionIdMiddleware")\n\n'
        "# wsgi.py / asgi.py, before the application is created:\n"
        "import os\n"
        "from qorrelate_otel import configure\n"
        f'configure(endpoint="{base_url}", ingest_key=os.environ["QORRELATE_INGEST_KEY"],\n'
        '          service_name="my-backend")'
    )


def node_telemetry(base_url: str) -> str:
    """telemetry.js: OpenTelemetry's Node SDK exporting to ``base_url`` with the session
    processors. The Node SDK test runs exactly this."""
    return (
        "const { NodeSDK, logs, tracing } = require('@opentelemetry/sdk-node');\n"
        "const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');\n"
        "const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');\n"
        "const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');\n"
        "const q = require('@qorrelate/node');\n\n"
        f"const otlp = q.otlpOptions({{ endpoint: '{base_url}',\n"
        "  ingestKey: process.env.QORRELATE_INGEST_KEY });\n"
        "new NodeSDK({\n"
        "  serviceName: 'my-backend',\n"
        "  spanProcessors: [new q.SessionIdSpanProcessor(),\n"
        "    new tracing.BatchSpanProcessor(new OTLPTraceExporter(otlp.traces))],\n"
        "  logRecordProcessors: [new q.SessionIdLogProcessor(),\n"
        "    new logs.BatchLogRecordProcessor({ exporter: new OTLPLogExporter(otlp.logs) })],\n"
        "  instrumentations: [new HttpInstrumentation()],\n"
        "}).start();\n"
    )


def node_snippet(organization: Organization, base_url: str) -> str:
    return (
        "// telemetry.js — load it before your app: node -r ./telemetry.js server.js\n"
        f"{node_telemetry(base_url)}\n"
        "// your app, before its routes (docs/sdk-node.md):\n"
        "app.use(require('@qorrelate/node').qorrelateExpress());            // Express\n"
        "// fastify.register(require('@qorrelate/node').qorrelateFastify);  // Fastify"
    )


def install_snippets(organization: Organization, base_url: str) -> dict[str, str]:
    """Everything the install cards show (templates/orgs/_install.html)."""
    return {
        "script_tag": script_tag(organization, base_url),
        "browser_install": BROWSER_INSTALL,
        "browser_snippet": browser_snippet(organization, base_url),
        "python_install": python_install_command(),
        "python_snippet": python_snippet(organization, base_url),
        "node_install": node_install_command(),
        "node_snippet": node_snippet(organization, base_url),
    }
