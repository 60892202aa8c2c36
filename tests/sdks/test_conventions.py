"""The header names shared by the recorder and the SDKs are defined once (sdks/conventions.json)
and every generated copy is current."""

import json
import re
import subprocess
import sys

import qorrelate_otel.conventions
from tests.sdks.packages import ROOT, SDKS

GENERATOR = SDKS / "generate_conventions.py"


def _source():
    data = json.loads((SDKS / "conventions.json").read_text())
    data.pop("_comment")
    return {key.upper(): value for key, value in data.items()}


def test_every_generated_copy_of_the_conventions_is_current():
    result = subprocess.run(
        [sys.executable, GENERATOR, "--check"], cwd=ROOT, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_python_package_and_the_recorder_read_the_same_values():
    in_js = subprocess.run(
        [
            "node",
            "--input-type=module",
            "-e",
            "const c = await import(process.argv[1]); console.log(JSON.stringify({...c}));",
            ROOT / "static/src/recorder/conventions.js",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    in_python = {
        name: getattr(qorrelate_otel.conventions, name)
        for name in dir(qorrelate_otel.conventions)
        if name.isupper()
    }

    assert in_python == json.loads(in_js.stdout) == _source()
    assert in_python["ERROR_HEADER"] == "X-Qorrelate-Error"


def test_the_session_id_pattern_means_the_same_in_python_and_javascript():
    samples = ["0b7e1f7c-3c55-4d4e-9a0b-6d1f2e3a4b5c", "a.b:c_d-e", "", "x" * 129, "a b", "é"]
    pattern = _source()["SESSION_ID_PATTERN"]
    in_js = subprocess.run(
        [
            "node",
            "-e",
            "const [p, s] = process.argv.slice(1); const r = new RegExp(p);"
            "console.log(JSON.stringify(JSON.parse(s).map((v) => r.test(v))));",
            pattern,
            json.dumps(samples),
        ],
        capture_output=True,
        text=True,
        check=True,
    )

    in_python = [bool(re.match(pattern, s)) for s in samples]
    assert in_python == json.loads(in_js.stdout) == [True, True, False, False, False, False]
