"""Every tenant-owned table can be distributed by ``tenant_id`` (as Citus distributes a
multi-tenant schema): its primary key and every foreign key to another tenant-owned table
include ``tenant_id``. Checked on the models and on a database the migrations made."""

from __future__ import annotations

import sqlalchemy as sa

from nastavnik.storage.models import TENANT_TABLES, TenantOwned, db


def _problems(primary_key, foreign_keys) -> list[str]:
    """``primary_key``: table -> its columns; ``foreign_keys``: table -> [(columns,
    referred table, referred columns)]."""
    out = []
    for table in TENANT_TABLES:
        if "tenant_id" not in primary_key[table]:
            out.append(f"{table}: primary key {primary_key[table]} lacks tenant_id")
        for columns, referred, referred_columns in foreign_keys[table]:
            if referred == "tenant":
                continue
            if "tenant_id" not in columns or "tenant_id" not in referred_columns:
                out.append(f"{table}: foreign key {columns} -> {referred}{referred_columns} "
                           f"lacks tenant_id")
            elif referred not in TENANT_TABLES:
                out.append(f"{table}: refers to {referred}, which is not tenant-owned")
    return out


def test_the_models_keys_include_the_tenant():
    tables = db.metadata.tables
    assert set(TENANT_TABLES) <= set(tables)
    primary = {t: [c.name for c in tables[t].primary_key.columns] for t in TENANT_TABLES}
    foreign = {t: [([e.parent.name for e in fk.elements], fk.referred_table.name,
                    [e.column.name for e in fk.elements])
                   for fk in tables[t].foreign_key_constraints] for t in TENANT_TABLES}
    assert _problems(primary, foreign) == []


def test_the_migrated_schemas_keys_include_the_tenant(database_url):
    """On SQLite and on PostgreSQL, as the migrations leave it."""
    engine = sa.create_engine(database_url)
    try:
        inspector = sa.inspect(engine)
        primary = {t: inspector.get_pk_constraint(t)["constrained_columns"] for t in TENANT_TABLES}
        foreign = {t: [(fk["constrained_columns"], fk["referred_table"], fk["referred_columns"])
                       for fk in inspector.get_foreign_keys(t)] for t in TENANT_TABLES}
    finally:
        engine.dispose()
    assert _problems(primary, foreign) == []


def test_every_tenant_owned_model_is_listed():
    """The list the checks above (and row-level security, grants, resets) go by."""
    owned = {m.class_.__tablename__ for m in db.Model.registry.mappers
             if issubclass(m.class_, TenantOwned)}
    assert owned == set(TENANT_TABLES)
