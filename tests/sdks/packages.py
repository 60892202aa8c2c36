"""Build the SDK packages the way a release would, and install them the way a customer would."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SDKS = ROOT / "sdks"
PIP = [sys.executable, "-m", "pip"]


def run(args, *, cwd=ROOT, env=None, timeout=300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def build_python_sdk(outdir: Path) -> tuple[Path, Path]:
    """The wheel and the sdist of sdks/python, built with PyPA ``build`` (flit_core backend)."""
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", outdir, SDKS / "python"])
    (wheel,) = outdir.glob("qorrelate_otel-*.whl")
    (sdist,) = outdir.glob("qorrelate_otel-*.tar.gz")
    return wheel, sdist


def clean_virtualenv(path: Path, *requirements: str) -> Path:
    """A virtualenv of the base interpreter (none of this repository's packages), with
    ``requirements`` installed by pip from the package index. Returns its python."""
    run([sys.executable, "-m", "venv", "--without-pip", path])
    python = path / "bin" / "python"
    run([*PIP, "--python", python, "install", "--quiet", "--progress-bar", "off", *requirements])
    return python


def clean_env(**extra) -> dict:
    """The environment of a customer's process: no PYTHONPATH, no Django settings."""
    keep = ("HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(PATH="/usr/local/bin:/usr/bin:/bin", PYTHONUNBUFFERED="1")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def npm_pack(package_dir: Path, outdir: Path) -> Path:
    """``npm pack`` (which runs the package's ``prepack`` build) into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    result = run(["npm", "pack", "--silent", "--pack-destination", outdir], cwd=package_dir)
    return outdir / result.stdout.strip().splitlines()[-1]


def tarball_names(tarball: Path) -> set[str]:
    with tarfile.open(tarball) as tar:
        return set(tar.getnames())


def tarball_manifest(tarball: Path) -> dict:
    """The package.json inside an npm tarball."""
    with tarfile.open(tarball) as tar:
        return json.load(tar.extractfile("package/package.json"))


def npm_project(path: Path, dependencies: dict, dev_dependencies: dict | None = None) -> Path:
    """A new customer project at ``path`` with these packages ``npm install``ed (from npm's
    cache when it can: the repository's own installs fill it)."""
    manifest = {"private": True, "dependencies": dependencies}
    if dev_dependencies:
        manifest["devDependencies"] = dev_dependencies
    (path / "package.json").write_text(json.dumps(manifest))
    run(["npm", "install", "--prefer-offline", "--no-audit", "--no-fund"], cwd=path, timeout=600)
    return path
