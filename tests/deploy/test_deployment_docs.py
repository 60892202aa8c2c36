"""docs/deployment.md documents every environment variable, with its default."""

import re

from tests.deploy.files import DEPLOY, ROOT
from tests.deploy.settings_env import settings_env_reads

DOC = ROOT / "docs" / "deployment.md"
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|")


def _table_under(heading: str) -> dict[str, str]:
    """variable → default cell of the table that follows the heading."""
    lines = DOC.read_text().splitlines()
    start = lines.index(heading)
    rows: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = match.group(2).strip()
    return rows


def _settings_table() -> dict[str, str]:
    return _table_under("### Read by `qorrelate/settings.py`")


def test_the_settings_reader_finds_every_kind_of_environment_read():
    source = (
        "import os\n"
        "A = env.str('ALPHA', default='x')\n"
        "B = env.bool('BETA')\n"
        "C = env('GAMMA', default=3)\n"
        "D = env.db_url('DELTA_URL', default='sqlite://')\n"
        "E = os.environ.get('EPSILON', '1')\n"
        "F = os.environ['ZETA']\n"
        "G = os.getenv('ETA')\n"
    )
    reads = {read.name: read.default for read in settings_env_reads(source)}
    assert reads == {
        "ALPHA": "'x'",
        "BETA": None,
        "GAMMA": "3",
        "DELTA_URL": "'sqlite://'",
        "EPSILON": "'1'",
        "ZETA": None,
        "ETA": "None",
    }


def test_every_variable_settings_reads_is_documented_with_its_default():
    documented = _settings_table()
    read = {r.name for r in settings_env_reads()}
    assert len(read) > 20, "the settings reader found too little to be trusted"
    missing = sorted(read - set(documented))
    assert not missing, f"add these to docs/deployment.md: {missing}"
    empty = sorted(name for name in read if not documented[name])
    assert not empty, f"give these a default in docs/deployment.md: {empty}"


def test_the_settings_table_names_no_variable_settings_no_longer_reads():
    stale = sorted(set(_settings_table()) - {r.name for r in settings_env_reads()})
    assert not stale, f"settings.py no longer reads {stale}"


def test_the_gunicorn_variables_documented_are_the_ones_its_config_reads():
    config = (DEPLOY / "gunicorn.conf.py").read_text()
    read = set(re.findall(r"os\.environ\.get\(\s*[\"']([A-Z_]+)[\"']", config)) - {
        "QORRELATE_ENV",
        "LOG_FORMAT",
    }
    rows = DOC.read_text().splitlines()
    documented = {
        ROW.match(line).group(1)
        for line in rows
        if ROW.match(line) and "`deploy/gunicorn.conf.py`" in line
    }
    assert read == documented


def test_the_docs_cover_tls_backups_upgrades_and_sizing():
    headings = {
        line.strip("# ").lower() for line in DOC.read_text().splitlines() if line[:3] == "## "
    }
    for topic in ("tls", "backups", "upgrades and migrations", "sizing", "environment variables"):
        assert topic in headings, topic
