"""Many rows of one tenant written at once, past the ORM's unit of work (a staff import).

Whoever calls these stamps the rows with the tenant and audits them (``audit.record_rows``):
neither the tenancy nor the audit flush listener sees statements made here. On PostgreSQL
the rows are copied (COPY, the fastest way in) into a temporary staging table and moved
into the table by one INSERT ... SELECT or UPDATE ... FROM, which row-level security
checks as it checks any statement (COPY straight into a table under row-level security is
refused). Elsewhere (SQLite), an executemany, its foreign keys checked at commit.

Rows may refer to each other in any order (a manager further down): PostgreSQL checks
foreign keys at the end of the one statement, when the table holds every row, so each
check's plan is also made for a table of that size (plans kept from a small table scan it
whole, once per row).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from . import revision
from .database import json_text
from .models import DERIVED_TABLES


#: up to this many rows, an INSERT of their VALUES (a change's kept results); more, COPY
FEW = 200


def _refers_to_itself(table: sa.Table) -> bool:
    """Rows of such a table may refer to rows later in the batch (a manager further
    down): one INSERT ... SELECT checks its foreign keys when every row is in."""
    return any(fk.column.table is table for fk in table.foreign_keys)


def _postgresql(session) -> bool:
    return session.connection().dialect.name == "postgresql"


def _stage(session, table: sa.Table, columns: list[str], rows: list[dict]) -> str:
    """A temporary table like ``table`` holding ``rows``; its name."""
    raw = session.connection().connection.driver_connection  # psycopg, in this transaction
    staging = f"staging_{table.name}_{uuid.uuid4().hex[:12]}"
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    quoted = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor:
        # the columns' types, without their constraints (a partial row for an UPDATE)
        cursor.execute(f'CREATE TEMPORARY TABLE "{staging}" ON COMMIT DROP AS '
                       f'SELECT {quoted} FROM "{table.name}" WITH NO DATA')
        with cursor.copy(f'COPY "{staging}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([json_text(row[c]) if c in json_columns and row[c] is not None
                                else row[c] for c in columns])
    return staging


def _defer_foreign_keys(session) -> None:
    # SQLite runs an executemany as one statement per row and checks each at its end: a
    # row may name one further down (a manager later in the file). Checked at commit
    # instead, for this transaction only.
    session.execute(sa.text("PRAGMA defer_foreign_keys = ON"))


def _forget_plans(session) -> None:
    # The connection may keep foreign-key check plans made when the table was small (a
    # pooled connection, an earlier import): invalid now, they are made again at the first
    # check, for the table as it then is.
    session.execute(sa.text("DISCARD PLANS"))


def insert(session, table: sa.Table, rows: list[dict]) -> None:
    """Add ``rows`` (dicts with every column of ``table`` a row needs) to ``table``."""
    if not rows:
        return
    if table.name not in DERIVED_TABLES:  # results worked out from the data are not data
        revision.mark(session, table=table.name, rows=rows)  # SQL text and COPY pass the listeners by
    if not _postgresql(session):
        _defer_foreign_keys(session)
        session.execute(table.insert(), rows)
        return
    if len(rows) <= FEW and not _refers_to_itself(table):
        # a few rows: one INSERT of many VALUES costs one round trip, the staging four
        session.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    staging = _stage(session, table, columns, rows)
    quoted = ", ".join(f'"{c}"' for c in columns)
    _forget_plans(session)
    session.execute(sa.text(f'INSERT INTO "{table.name}" ({quoted}) SELECT {quoted} FROM "{staging}"'))
    session.execute(sa.text(f'DROP TABLE "{staging}"'))


def update(session, table: sa.Table, rows: list[dict], key: tuple[str, ...] = ("tenant_id", "id")) -> None:
    """Set the columns of ``rows`` on the stored rows with the same ``key``."""
    if not rows:
        return
    revision.mark(session)
    columns = list(rows[0])
    values = [c for c in columns if c not in key]
    if not _postgresql(session):
        _defer_foreign_keys(session)
        # the executemany's keys name the columns to set; the key's own are renamed
        statement = table.update().where(*(table.c[k] == sa.bindparam(f"key_{k}") for k in key))
        session.execute(statement, [{**{c: row[c] for c in values},
                                     **{f"key_{k}": row[k] for k in key}} for row in rows])
        return
    staging = _stage(session, table, columns, rows)
    assignments = ", ".join(f'"{c}" = s."{c}"' for c in values)
    match = " AND ".join(f't."{k}" = s."{k}"' for k in key)
    _forget_plans(session)
    session.execute(sa.text(f'UPDATE "{table.name}" AS t SET {assignments} FROM "{staging}" AS s '
                            f'WHERE {match}'))
    session.execute(sa.text(f'DROP TABLE "{staging}"'))
