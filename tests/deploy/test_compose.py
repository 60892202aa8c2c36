"""docker-compose.yml: the whole single-host stack, each service with what it needs to run."""

import subprocess

from tests.deploy.files import (
    APP_SERVICES,
    DEPLOY,
    ROOT,
    compose,
    compose_variables,
    env_example,
)

EXPECTED = {
    "postgres",
    "redis",
    "minio",
    "minio-init",
    "migrate",
    "web",
    "worker",
    "worker-maintenance",
    "beat",
    "otel-collector",
    "proxy",
}
APP_NEEDS = {
    "QORRELATE_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
}


def _services() -> dict:
    return compose()["services"]


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_the_compose_file_defines_the_whole_stack():
    assert set(_services()) == EXPECTED


def test_every_qorrelate_process_has_the_variables_the_app_needs():
    for name in APP_SERVICES:
        environment = _services()[name]["environment"]
        assert set(environment) >= APP_NEEDS, (name, APP_NEEDS - set(environment))
        assert environment["QORRELATE_ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert environment["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"


def test_every_qorrelate_process_runs_the_image_built_from_the_deploy_dockerfile():
    for name in APP_SERVICES:
        service = _services()[name]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (DEPLOY / service["build"]["context"] / "deploy" / "Dockerfile").is_file()
        assert service["image"] == _services()["web"]["image"]


def test_processes_are_web_gunicorn_workers_by_queue_one_beat_and_a_migrate_job():
    services = _services()
    assert _command(services["migrate"]) == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    assert _command(services["web"]).startswith("gunicorn -c deploy/gunicorn.conf.py")
    queues = []
    for name in ("worker", "worker-maintenance"):
        command = services[name]["command"]
        assert command[:4] == ["celery", "-A", "qorrelate", "worker"]
        queues.append(command[command.index("-Q") + 1])
    assert "celery" in queues[0], "nobody consumes Celery's default queue"
    assert queues[0] != queues[1]
    assert _command(services["beat"]).startswith("celery -A qorrelate beat")
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_long_running_services_have_healthchecks_and_one_shots_have_none():
    services = _services()
    for name, service in services.items():
        check = service.get("healthcheck", {})
        if name in ("migrate", "minio-init", "beat") or name == "otel-collector":
            # One-shots exit; beat's health is the worker heartbeat in /readyz; the collector
            # image is distroless (no shell to probe from).
            assert not check or check.get("disable") is True, name
        else:
            assert check.get("test"), f"{name} has no healthcheck"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_app_processes_start_after_migrations_and_healthy_dependencies():
    services = _services()
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "worker-maintenance", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["redis"]["condition"] == "service_healthy", name
    assert services["web"]["depends_on"]["minio-init"]["condition"] == (
        "service_completed_successfully"
    )
    assert services["minio-init"]["depends_on"]["minio"]["condition"] == "service_healthy"


def test_the_bucket_is_created_by_a_one_shot_with_the_app_credentials():
    script = _command(_services()["minio-init"])
    assert "mc mb --ignore-existing" in script
    assert "$$AWS_STORAGE_BUCKET_NAME" in script
    assert "mc admin user add" in script


def test_state_lives_in_named_volumes():
    services, volumes = _services(), set(compose()["volumes"])
    for name, path in (
        ("postgres", "/var/lib/postgresql/data"),
        ("redis", "/data"),
        ("minio", "/data"),
    ):
        mounts = [m.split(":") for m in services[name]["volumes"]]
        assert any(m[0] in volumes and m[1] == path for m in mounts), name


def test_the_collector_mounts_the_otlp_engineers_config_file():
    mounts = _services()["otel-collector"]["volumes"]
    config = [m for m in mounts if m.startswith("./otel-collector.yaml:")]
    assert config, "deploy/otel-collector.yaml is not mounted"
    assert config[0].split(":")[1] in _command(_services()["otel-collector"])


def test_the_proxy_terminates_tls_in_front_of_web():
    proxy = _services()["proxy"]
    assert "443:443" in proxy["ports"]
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert any(m.startswith("./Caddyfile:") for m in proxy["volumes"])


def test_every_variable_without_a_default_is_in_the_example_env_file():
    example = env_example()
    for name, has_default in compose_variables().items():
        assert has_default or name in example, f"${{{name}}} is missing from .env.example"


def test_the_example_env_file_holds_no_real_secret():
    example = env_example()
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "AWS_SECRET_ACCESS_KEY"):
        assert example[name] == "change-me", name


def test_the_real_env_file_is_never_committed_nor_sent_to_the_build():
    ignored = subprocess.run(["git", "check-ignore", "-q", "deploy/.env"], cwd=ROOT)
    assert ignored.returncode == 0, "git would commit deploy/.env"
    assert "deploy/.env" in (DEPLOY / "Dockerfile.dockerignore").read_text().split()
