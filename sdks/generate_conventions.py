"""Writes the recorder/SDK wire contract (sdks/conventions.json) into each package's source.

Each package has to carry its own copy (a wheel or an npm tarball holds only its own folder),
so the copies are generated, never edited: ``python3 sdks/generate_conventions.py`` rewrites
them, ``--check`` fails when one is out of date (the test suite runs it).
"""

import json
import sys
from pathlib import Path

SDKS = Path(__file__).resolve().parent
ROOT = SDKS.parent
SOURCE = SDKS / "conventions.json"
NAMES = {
    "session_header": "SESSION_HEADER",
    "session_id_attribute": "SESSION_ID_ATTRIBUTE",
    "previous_session_id_attribute": "PREVIOUS_SESSION_ID_ATTRIBUTE",
    "session_id_pattern": "SESSION_ID_PATTERN",
    "error_header": "ERROR_HEADER",
    "error_header_value": "ERROR_HEADER_VALUE",
}
NOTICE = "Generated from sdks/conventions.json by sdks/generate_conventions.py: do not edit."


def _values() -> dict[str, str]:
    data = json.loads(SOURCE.read_text())
    unknown = set(data) - set(NAMES) - {"_comment"}
    if unknown:
        raise SystemExit(f"conventions.json: no constant name for {sorted(unknown)}")
    return {NAMES[key]: data[key] for key in NAMES}


def python_module(values: dict[str, str]) -> str:
    lines = [f'"""{NOTICE}"""', ""]
    lines += [f"{name} = {json.dumps(value)}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


def js_module(values: dict[str, str]) -> str:
    lines = [f"// {NOTICE}"]
    lines += [f"export const {name} = {json.dumps(value)};" for name, value in values.items()]
    return "\n".join(lines) + "\n"


TARGETS = {
    SDKS / "python/src/qorrelate_otel/conventions.py": python_module,
    SDKS / "node/src/conventions.ts": js_module,
    ROOT / "static/src/recorder/conventions.js": js_module,
}


def main(argv: list[str]) -> int:
    values = _values()
    stale = []
    for path, render in TARGETS.items():
        text = render(values)
        if path.exists() and path.read_text() == text:
            continue
        if "--check" in argv:
            stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run python3 sdks/generate_conventions.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
