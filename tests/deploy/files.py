"""Readers for the deployment files the deploy tests check (Dockerfile, Makefile, compose, k8s)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
APP_SERVICES = ("migrate", "web", "worker", "worker-maintenance", "beat")


def dockerfile_instructions(path: Path = DEPLOY / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, comments dropped and continuation lines joined."""
    instructions, pending = [], ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        keyword, _, args = line.partition(" ")
        instructions.append((keyword.upper(), " ".join(args.split())))
    return instructions


def dockerfile_stages() -> list[dict]:
    """Each build stage: its base image, name and instructions."""
    stages: list[dict] = []
    for keyword, args in dockerfile_instructions():
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None
            stages.append({"base": parts[0], "name": name, "instructions": []})
        elif stages:
            stages[-1]["instructions"].append((keyword, args))
    return stages


def makefile_recipe(target: str) -> list[str]:
    """The commands of a Makefile rule, without make's @ and the rule's variables expanded."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    head = re.compile(rf"^{re.escape(target)}\s*:")
    for index, line in enumerate(lines):
        if head.match(line):
            commands = []
            for body in lines[index + 1 :]:
                if not body.startswith("\t"):
                    break
                command = body.strip().lstrip("@")
                if not command.startswith("echo"):
                    commands.append(command)
            return commands
    raise AssertionError(f"no rule for {target} in the Makefile")


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def compose_variables() -> dict[str, bool]:
    """Every ${VAR} the compose file interpolates → whether it has a default or error text."""
    text = (DEPLOY / "docker-compose.yml").read_text()
    found: dict[str, bool] = {}
    for name, modifier in re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)(:?[-?][^}]*)?\}", text):
        found[name] = found.get(name, False) or modifier.startswith((":-", "-"))
    return found


def env_example() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def k8s_documents() -> list[dict]:
    """Every resource the kustomization lists, in order."""
    base = DEPLOY / "k8s"
    kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
    documents = []
    for resource in kustomization["resources"]:
        documents += [d for d in yaml.safe_load_all((base / resource).read_text()) if d]
    return documents
