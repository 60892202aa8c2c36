"""The Dockerfile builds what `make` builds, the production way (no Docker engine runs it here)."""

import json
import shlex

from tests.deploy.files import DEPLOY, ROOT, dockerfile_stages, makefile_recipe


def _runs(stage: dict) -> list[str]:
    return [args for keyword, args in stage["instructions"] if keyword == "RUN"]


def _copies(stage: dict) -> list[list[str]]:
    return [shlex.split(args) for keyword, args in stage["instructions"] if keyword == "COPY"]


def test_the_image_is_built_in_stages_from_node_then_slim_python_3_11():
    stages = dockerfile_stages()
    assert stages[0]["base"].startswith("node:")
    assert stages[-1]["base"].startswith("python:3.11-slim")
    assert len(stages) >= 2


def test_the_node_stage_runs_the_makefile_js_steps_verbatim():
    node = dockerfile_stages()[0]
    npm_ci = next(c for c in makefile_recipe("$(NODE_STAMP)") if c.startswith("npm ci"))
    build = next(c for c in makefile_recipe("static/dist/.built") if c.startswith("node "))
    runs = _runs(node)
    assert npm_ci in runs
    assert build in runs
    assert runs.index(npm_ci) < runs.index(build)


def test_the_runtime_gets_the_built_bundles_from_the_node_stage():
    node, runtime = dockerfile_stages()[0], dockerfile_stages()[-1]
    from_node = [c for c in _copies(runtime) if f"--from={node['name']}" in c]
    assert from_node, "the runtime copies nothing from the node stage"
    assert any("static/dist" in part for part in from_node[0])


def test_python_packages_are_installed_with_pip_as_the_makefile_does():
    makefile_install = next(c for c in makefile_recipe("$(RUN_STAMP)") if " install " in c)
    assert "-e ." in makefile_install
    runs = [run for stage in dockerfile_stages() for run in _runs(stage)]
    assert any("pip install -r" in run for run in runs), "dependencies are not installed"
    runtime_runs = " ".join(_runs(dockerfile_stages()[-1]))
    assert "pip install" in runtime_runs and "-e ." in runtime_runs


def test_static_files_are_collected_at_build_time_for_whitenoise():
    runtime_runs = " ".join(_runs(dockerfile_stages()[-1]))
    assert "manage.py collectstatic --noinput" in runtime_runs


def test_the_runtime_runs_as_a_non_root_user():
    users = [a for k, a in dockerfile_stages()[-1]["instructions"] if k == "USER"]
    assert users, "no USER in the runtime stage"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_the_healthcheck_calls_healthz_and_the_command_is_gunicorn_with_its_config():
    instructions = dict(dockerfile_stages()[-1]["instructions"])
    assert "/healthz" in instructions["HEALTHCHECK"]
    command = json.loads(instructions["CMD"])
    assert command[0] == "gunicorn"
    config = command[command.index("-c") + 1]
    assert (ROOT / config).is_file()
    assert "qorrelate.wsgi:application" in command


def test_every_file_the_build_copies_from_the_context_exists():
    for stage in dockerfile_stages():
        for parts in _copies(stage):
            if any(p.startswith("--from=") for p in parts):
                continue
            sources = [p for p in parts[:-1] if not p.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists() or source == ".", source


def test_the_build_context_leaves_out_local_state_and_secrets():
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    for entry in (".git", ".venv", "node_modules", "static/dist", "data", "deploy/.env"):
        assert entry in ignored
