"""The environment variables qorrelate/settings.py reads, found in its source, not by running it."""

import ast
from dataclasses import dataclass

from tests.deploy.files import ROOT

SETTINGS = ROOT / "qorrelate" / "settings.py"


@dataclass(frozen=True)
class EnvRead:
    name: str
    default: str | None  # the default's source text; None when the variable is required
    line: int


def _name(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_env_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):  # env("X")
        return func.id == "env"
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id == "env":  # env.str("X"), …
            return True
        owner = ast.unparse(func.value)
        return owner == "os.environ" and func.attr in ("get", "setdefault")
    return False


def settings_env_reads(source: str | None = None) -> list[EnvRead]:
    source = SETTINGS.read_text() if source is None else source
    reads = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and _is_env_call(node):
            name = _name(node.args[0])
            if name is None:
                continue
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            if default is None and len(node.args) > 1:
                default = node.args[1]
            text = None if default is None else ast.unparse(default)
            reads.append(EnvRead(name, text, node.lineno))
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            name = _name(node.slice)
            if name:
                reads.append(EnvRead(name, None, node.lineno))
        elif isinstance(node, ast.Call) and ast.unparse(node.func) == "os.getenv" and node.args:
            name = _name(node.args[0])
            if name:
                default = ast.unparse(node.args[1]) if len(node.args) > 1 else "None"
                reads.append(EnvRead(name, default, node.lineno))
    return sorted(reads, key=lambda read: read.line)
