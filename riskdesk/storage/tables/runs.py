"""Simulation runs: immutable records of inputs, manifest and results."""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel


class RunRecord(SQLModel, table=True):
    """One simulation run, written once and never changed.

    ``registry_content`` / ``baseline_content`` are the canonical JSON simulated (with their
    hashes), ``settings`` the engine settings, ``manifest`` the run manifest, ``result`` the
    ``riskdesk.result/1`` document, ``totals`` the zlib-compressed float64 path totals (EBITDA then
    cash flow, little-endian) and ``result_hash`` the SHA-256 over result and totals that
    ``verify`` compares bit for bit.
    """

    __tablename__ = "run"
    id: int | None = Field(default=None, primary_key=True)
    created_at: str
    created_by: str
    label: str = ""
    registry_name: str
    registry_version: int | None = None
    registry_hash: str = Field(index=True)
    registry_content: str
    baseline_name: str | None = None
    baseline_version: int | None = None
    baseline_hash: str | None = None
    baseline_content: str | None = None
    post_mitigation: bool = False
    iterations: int
    seed: int
    sampling: str
    threads: int
    settings: str
    manifest: str
    result: str
    totals: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    result_hash: str
