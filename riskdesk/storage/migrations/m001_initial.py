"""Schema 1: workspace metadata, people, registries with drafts and versions, baselines."""

from __future__ import annotations

from typing import Any

VERSION = 1

DDL = [
    """CREATE TABLE workspace_meta (key VARCHAR NOT NULL PRIMARY KEY, value VARCHAR NOT NULL)""",
    """CREATE TABLE person (
        id INTEGER NOT NULL PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, email VARCHAR NOT NULL,
        role VARCHAR NOT NULL, business_unit VARCHAR NOT NULL)""",
    """CREATE INDEX ix_person_name ON person (name)""",
    """CREATE TABLE registry (
        id INTEGER NOT NULL PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, units VARCHAR NOT NULL,
        months INTEGER NOT NULL, start VARCHAR NOT NULL, iterations INTEGER NOT NULL,
        seed INTEGER NOT NULL, correlation VARCHAR NOT NULL)""",
    """CREATE TABLE draft_risk (
        id INTEGER NOT NULL PRIMARY KEY,
        registry_id INTEGER NOT NULL REFERENCES registry (id),
        position INTEGER NOT NULL, risk_id VARCHAR NOT NULL, data VARCHAR NOT NULL,
        UNIQUE (registry_id, risk_id))""",
    """CREATE INDEX ix_draft_risk_registry_id ON draft_risk (registry_id)""",
    """CREATE TABLE registry_version (
        id INTEGER NOT NULL PRIMARY KEY,
        registry_id INTEGER NOT NULL REFERENCES registry (id),
        number INTEGER NOT NULL, content VARCHAR NOT NULL, hash VARCHAR NOT NULL,
        stage VARCHAR NOT NULL, created_at VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
        comment VARCHAR NOT NULL, UNIQUE (registry_id, number))""",
    """CREATE INDEX ix_registry_version_registry_id ON registry_version (registry_id)""",
    """CREATE INDEX ix_registry_version_hash ON registry_version (hash)""",
    """CREATE TABLE stage_transition (
        id INTEGER NOT NULL PRIMARY KEY, entity_type VARCHAR NOT NULL, version_id INTEGER NOT NULL,
        from_stage VARCHAR NOT NULL, to_stage VARCHAR NOT NULL, who VARCHAR NOT NULL,
        at VARCHAR NOT NULL, comment VARCHAR NOT NULL)""",
    """CREATE INDEX ix_stage_transition_entity_type ON stage_transition (entity_type)""",
    """CREATE INDEX ix_stage_transition_version_id ON stage_transition (version_id)""",
    """CREATE TABLE baseline (
        id INTEGER NOT NULL PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, draft VARCHAR NOT NULL)""",
    """CREATE TABLE baseline_version (
        id INTEGER NOT NULL PRIMARY KEY,
        baseline_id INTEGER NOT NULL REFERENCES baseline (id),
        number INTEGER NOT NULL, content VARCHAR NOT NULL, hash VARCHAR NOT NULL,
        stage VARCHAR NOT NULL, created_at VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
        comment VARCHAR NOT NULL, UNIQUE (baseline_id, number))""",
    """CREATE INDEX ix_baseline_version_baseline_id ON baseline_version (baseline_id)""",
    """CREATE INDEX ix_baseline_version_hash ON baseline_version (hash)""",
    # frozen content never changes: only the stage of a version may be updated
    """CREATE TRIGGER registry_version_immutable BEFORE UPDATE OF content, hash, number,
        registry_id ON registry_version BEGIN
        SELECT RAISE(ABORT, 'registry versions are immutable'); END""",
    """CREATE TRIGGER baseline_version_immutable BEFORE UPDATE OF content, hash, number,
        baseline_id ON baseline_version BEGIN
        SELECT RAISE(ABORT, 'baseline versions are immutable'); END""",
]


def upgrade(conn: Any) -> None:
    for stmt in DDL:
        conn.exec_driver_sql(stmt)
