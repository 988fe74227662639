"""The reference for bench/load.py: a Flask app with one route answering a small JSON, no
database, no session, no templates. Served by the same gunicorn settings as the real
application, it shows what the server, the load tool and Flask itself cost on this
machine, so that the application's figures can be read as a ratio to it."""

from __future__ import annotations

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/bare")
def bare():
    return jsonify(status="ok", items=[])
