"""The reference for bench/load.py: a Flask app with one route answering a small JSON, no
database, no session, no templates; and one that sends one small query to the database
(``/one-query``). Served by the same gunicorn settings as the real application, they show
what the server, the load tool, Flask and a database round trip cost on this machine, so
that the application's figures can be read as a ratio to them."""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, jsonify

app = Flask(__name__)
# a pooled connection to the application's database, as the application has one
_engine = sa.create_engine(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None


@app.get("/bare")
def bare():
    return jsonify(status="ok", items=[])


@app.get("/one-query")
def one_query():
    """One small query on the database: what any page that reads the database pays."""
    with _engine.connect() as c:
        tenants = c.execute(sa.text("select count(*) from tenant")).scalar()
    return jsonify(status="ok", tenants=tenants)
