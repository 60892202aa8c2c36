"""docs/scaling.md: the Citus plan places every tenant-owned table, and names only real ones."""

import re

from django.apps import apps
from django.db import connection

from tests.deploy.files import ROOT

DOC = ROOT / "docs" / "scaling.md"
TABLE = re.compile(r"^- `([a-z0-9_]+)`")


def _listed_after(intro: str) -> set[str]:
    """Tables of the bullet list that follows the paragraph starting with ``intro``."""
    lines = DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(intro))
    tables, seen_list = set(), False
    for line in lines[start + 1 :]:
        match = TABLE.match(line)
        if match:
            tables.add(match.group(1))
            seen_list = True
        elif seen_list and not line.strip():
            break
    return tables


def _distributed() -> set[str]:
    return _listed_after("Distributed tables")


def _reference() -> set[str]:
    return _listed_after("Reference tables")


def _tenant_owned_tables() -> set[str]:
    from apps.orgs.models import Organization

    owned = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Organization:
                owned.add(model._meta.db_table)
    return owned


def test_every_table_with_an_organization_is_distributed_or_a_reference_table():
    placed = _distributed() | _reference()
    unplaced = sorted(_tenant_owned_tables() - placed)
    assert not unplaced, f"docs/scaling.md (Citus) does not place: {unplaced}"


def test_the_heavy_tables_are_distributed_and_the_tenant_table_is_a_reference():
    assert {"traces_span", "traces_logrecord", "replay_session", "replay_batch"} <= _distributed()
    assert "orgs_organization" in _reference()
    assert not _distributed() & _reference()


def test_every_table_the_plan_names_exists():
    tables = {model._meta.db_table for model in apps.get_models()}
    tables |= set(connection.introspection.django_table_names())
    with_models = {model._meta.app_label for model in apps.get_models()}
    installed = {config.label for config in apps.get_app_configs()}
    for table in sorted(_distributed() | _reference()):
        label = table.split("_")[0]
        assert label in installed, f"{table}: no app {label!r}"
        # An app still without models (a skeleton being built) is not checked yet.
        if label in with_models:
            assert table in tables, f"docs/scaling.md names {table}, which does not exist"


def test_the_capacity_model_says_which_inputs_are_not_measured_yet():
    text = DOC.read_text()
    assert "W = " in text and "D = " in text and "K = " in text
    rows = [line for line in text.splitlines() if line.startswith("| `") and "|" in line[3:]]
    inputs = [row for row in rows if row.count("|") == 4 and ("benchmark" in row)]
    assert inputs, "the measured-inputs table is missing"
    for row in inputs:
        value = row.split("|")[2].strip()
        assert value == "not measured yet" or re.search(r"\d", value), row
