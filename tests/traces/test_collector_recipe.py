"""deploy/otel-collector.yaml keeps the parts that make the session-id recipe work."""

from pathlib import Path

import yaml

RECIPE = Path(__file__).resolve().parents[2] / "deploy" / "otel-collector.yaml"


def test_the_collector_copies_x_session_id_before_batching_and_sends_the_ingest_key():
    config = yaml.safe_load(RECIPE.read_text())

    for protocol in ("grpc", "http"):
        assert config["receivers"]["otlp"]["protocols"][protocol]["include_metadata"] is True
    (action,) = config["processors"]["attributes/session"]["actions"]
    assert action == {
        "key": "session.id",
        "from_context": "metadata.x-session-id",
        "action": "insert",
    }
    exporter = config["exporters"]["otlphttp/qorrelate"]
    assert "X-Qorrelate-Ingest-Key" in exporter["headers"]
    for signal in ("traces", "logs"):
        processors = config["service"]["pipelines"][signal]["processors"]
        assert processors.index("attributes/session") < processors.index("batch")
        assert config["service"]["pipelines"][signal]["exporters"] == ["otlphttp/qorrelate"]
