"""deploy/k8s: manifests that parse, reference each other correctly, and run each process right."""

import shutil
import subprocess

import pytest
import yaml

from tests.deploy.files import DEPLOY, k8s_documents


def _by_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in k8s_documents() if d["kind"] == kind}


def _pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def _workloads() -> list[dict]:
    return list(_by_kind("Deployment").values()) + list(_by_kind("Job").values())


def test_every_listed_manifest_parses_into_the_expected_resources():
    kinds = {d["kind"] for d in k8s_documents()}
    assert {
        "Namespace",
        "ConfigMap",
        "Secret",
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "Ingress",
        "Job",
    } <= kinds
    assert set(_by_kind("Deployment")) == {
        "qorrelate-web",
        "qorrelate-worker",
        "qorrelate-worker-maintenance",
        "qorrelate-beat",
    }


def test_no_manifest_file_is_left_out_of_the_kustomization():
    listed = set(yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())["resources"])
    on_disk = {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}
    assert on_disk == listed


def test_deployment_selectors_match_their_pod_labels():
    for name, deployment in _by_kind("Deployment").items():
        selector = deployment["spec"]["selector"]["matchLabels"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), name


def test_the_service_and_ingress_route_to_the_web_pods():
    service = _by_kind("Service")["qorrelate-web"]
    web_labels = _by_kind("Deployment")["qorrelate-web"]["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= web_labels.items()
    port_names = {
        p["name"]
        for p in _pod_spec(_by_kind("Deployment")["qorrelate-web"])["containers"][0]["ports"]
    }
    assert service["spec"]["ports"][0]["targetPort"] in port_names
    ingress = next(iter(_by_kind("Ingress").values()))
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "qorrelate-web"
    assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
    assert ingress["spec"]["tls"], "the ingress does not terminate TLS"


def test_every_container_reads_the_configmap_and_the_secret():
    configmaps, secrets = set(_by_kind("ConfigMap")), set(_by_kind("Secret"))
    for workload in _workloads():
        spec = _pod_spec(workload)
        for container in spec.get("initContainers", []) + spec["containers"]:
            sources = container["envFrom"]
            assert {s["configMapRef"]["name"] for s in sources if "configMapRef" in s} <= configmaps
            assert {s["secretRef"]["name"] for s in sources if "secretRef" in s} <= secrets
            assert len(sources) == 2, container["name"]


def test_the_configmap_and_secret_together_hold_what_the_app_needs():
    config = next(iter(_by_kind("ConfigMap").values()))["data"]
    secret = next(iter(_by_kind("Secret").values()))["stringData"]
    assert config["QORRELATE_ENV"] == "production"
    needed = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "AWS_STORAGE_BUCKET_NAME"}
    assert needed <= set(config) | set(secret)
    assert {"SECRET_KEY", "DATABASE_URL", "AWS_SECRET_ACCESS_KEY"} <= set(secret)
    assert not {"SECRET_KEY", "DATABASE_URL", "AWS_SECRET_ACCESS_KEY"} & set(config)


def test_web_and_workers_autoscale_and_beat_is_a_single_replica_recreated():
    targets = {
        h["spec"]["scaleTargetRef"]["name"] for h in _by_kind("HorizontalPodAutoscaler").values()
    }
    assert {"qorrelate-web", "qorrelate-worker", "qorrelate-worker-maintenance"} <= targets
    assert "qorrelate-beat" not in targets
    beat = _by_kind("Deployment")["qorrelate-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"


def test_each_process_runs_its_command():
    deployments = _by_kind("Deployment")
    web = _pod_spec(deployments["qorrelate-web"])["containers"][0]
    assert web["command"][:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    queues = []
    for name in ("qorrelate-worker", "qorrelate-worker-maintenance"):
        command = _pod_spec(deployments[name])["containers"][0]["command"]
        assert command[:4] == ["celery", "-A", "qorrelate", "worker"]
        queues.append(command[command.index("-Q") + 1])
    assert "celery" in queues[0].split(",")
    beat = _pod_spec(deployments["qorrelate-beat"])["containers"][0]["command"]
    assert beat[:4] == ["celery", "-A", "qorrelate", "beat"]
    job = _pod_spec(next(iter(_by_kind("Job").values())))["containers"][0]["command"]
    assert job == ["python", "manage.py", "migrate", "--noinput"]


def test_queues_match_the_compose_stack():
    from tests.deploy.files import compose, env_example

    deployments = _by_kind("Deployment")
    example = env_example()
    for deployment, variable in (
        ("qorrelate-worker", "WORKER_QUEUES"),
        ("qorrelate-worker-maintenance", "MAINTENANCE_QUEUES"),
    ):
        command = _pod_spec(deployments[deployment])["containers"][0]["command"]
        assert command[command.index("-Q") + 1] == example[variable]
    assert "WORKER_QUEUES:-" + example["WORKER_QUEUES"] in str(compose()["services"]["worker"])


def test_pods_run_as_the_images_non_root_user_with_a_read_only_root():
    for workload in _workloads():
        spec = _pod_spec(workload)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == 10001
        for container in spec["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["resources"]["requests"], container["name"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_the_manifests_offline():
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(DEPLOY / "k8s")], capture_output=True, text=True, timeout=60
    )
    assert rendered.returncode == 0, rendered.stderr
    documents = [d for d in yaml.safe_load_all(rendered.stdout) if d]
    assert len(documents) == len(k8s_documents())
    assert all(
        d["metadata"].get("namespace") == "qorrelate" for d in documents if d["kind"] != "Namespace"
    )
