"""Hostile names in what the server draws itself: the SVG timeline is well-formed XML
whatever a person is called (the name is cut to fit before it is escaped, so a cut can
never end inside an entity or let markup through)."""

import datetime as dt
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import flask
from flask_babel import Babel

from nastavnik.web.admin.timeline import timeline_svg

NAMES = ["A&B " * 10, "<script>alert(1)</script>" * 3, '"><svg onload=alert(1)>' * 2,
         "Ахметов & Сыновья " * 3]


def test_timeline_is_well_formed_for_hostile_names():
    app = flask.Flask(__name__)
    Babel(app)
    start = dt.date(2026, 3, 2)
    rows = [{"mentorship": SimpleNamespace(start=start), "name": name,
             "term": SimpleNamespace(planned_end=dt.date(2026, 9, 1)), "deadlines": []}
            for name in NAMES]
    with app.test_request_context("/"):
        svg = str(timeline_svg({"rows": rows, "soon": 5}, dt.date(2026, 4, 1)))
    tree = ET.fromstring(svg)  # raises on a cut entity or injected markup
    ns = "{http://www.w3.org/2000/svg}"
    labels = [t.text for t in tree.iter(f"{ns}text") if t.get("class") == "label"]
    assert labels == [name[:26] for name in NAMES]
    assert not list(tree.iter(f"{ns}script")) and "onload" not in "".join(
        e.tag for e in tree.iter())
