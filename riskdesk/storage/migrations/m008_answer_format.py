"""Schema 8: an elicitation question's answer format (quantiles, or min / most likely / max).

Existing questions keep being answered with the session's quantiles (``quantiles``); a three-point
question is fitted with ``three_point_family`` (``pert`` or ``triangular``).
"""

from __future__ import annotations

from typing import Any

VERSION = 8

COLUMNS = {"answer_format": "VARCHAR NOT NULL DEFAULT 'quantiles'",
           "three_point_family": "VARCHAR NOT NULL DEFAULT 'pert'"}


def upgrade(conn: Any) -> None:
    # m005 creates the table from the current model, so a new file already has the columns
    have = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info('elicitation_question')")}
    for name, decl in COLUMNS.items():
        if name not in have:
            conn.exec_driver_sql(f"ALTER TABLE elicitation_question ADD COLUMN {name} {decl}")
