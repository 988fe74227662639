"""Hostile input everywhere (issue 12): whatever a client sends, the answer is never a 500
and shows no traceback; bad input is a 4xx that names what is wrong (problem+json on the
API, a page in the user's language in the admin).

Three parts, on the demo tenants (nastavnik.demo):

- the API, walked from its OpenAPI document: every operation with a JSON body is sent a
  body with every field filled, then again with each field (and each object's keys) set
  to each hostile value; whole bodies that are hostile as such (JSON nested 100,000 deep,
  NaN, a 5,000-digit number, not UTF-8, larger than MAX_CONTENT_LENGTH) to every write;
  each query and path parameter set to each hostile value;
- the admin, crawled from the app's url_map: every page of a tenant admin (path parameters
  filled with the demo's records) is read once to learn which query parameters its view
  reads (the request records them) and which forms it shows; then each query parameter,
  and each field of each form, is sent with each hostile value;
- one test per finding of issue 12 (they failed on the code before the fix): a lone
  surrogate in a JSON field, JSON nested deeper than Python's stack, a body larger than
  the limit, NUL in a query or a form (PostgreSQL), dates out of the calendars' years,
  page=2^63, a 100,000-character field.

The crawls run on SQLite, and again on PostgreSQL with the values that only PostgreSQL
refuses (NUL, strings longer than a column, integers past 64 bits, NaN in JSON).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import urllib.parse
from html.parser import HTMLParser

import flask
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.test import encode_multipart

from nastavnik import demo, services
from nastavnik.core.errors import NotFound
from nastavnik.services import work_standards as ws
from nastavnik.storage.models import (AgendaItem, Council, Meeting, Mentorship, Person,
                                      WorkAction, WorkScheme, db)
from nastavnik.web import create_app

AS_OF = dt.date(2026, 3, 16)
PASSWORD = "correct horse battery"
ADMIN = "fuzz-admin@demo.kz"
API = "/api/v1"
PROBLEM = "application/problem+json"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
TRACEBACK = re.compile(rb"Traceback \(most recent call last\)|File \"/[^\"]+\.py\", line \d+")


# --- the hostile values ------------------------------------------------------------------------

class Raw(str):
    """JSON text sent as it is, where Python's json would not write it (5,000 digits)."""


#: values for a query parameter or a form field; bytes are sent as they are
TEXT = {
    "NUL": "a\x00b",
    "100,000 characters": "x" * 100_000,
    "100,000 Cyrillic": "Ж" * 100_000,
    "U+202E": "\u202eevil\u202c.exe",
    "control characters": "\x01\x07\x08\x1b[31m\x7f\x85",
    "CR LF": "a\r\nb\nc",
    "9999-12-31": "9999-12-31",
    "0001-01-01": "0001-01-01",
    "2045-12-31": "2045-12-31",  # in the calendars' last year: deadlines would leave them
    "1999-12-31": "1999-12-31",  # the day before the calendars begin
    "2001-01-01": "2001-01-01",  # in the calendars, before any regime's rules are in force
    "2^63": "9223372036854775808",
    "-2^63-1": "-9223372036854775809",
    "1e309": "1e309",
    "NaN": "NaN",
    "deep JSON": "[" * 9000 + "]" * 9000,
    "blank": "   ",
    "SQL": "' OR 1=1 --",
    "LIKE": "%_\\",
    "path": "../../../etc/passwd",
    "bad UTF-8": b"\xed\xa0\x80\xff",  # a surrogate encoded in UTF-8, and a byte no UTF-8 has
}
#: the values each kind of field is sent (all of TEXT to the address's parameters)
GENERIC = ("NUL", "100,000 characters", "U+202E", "control characters", "bad UTF-8")
KINDS = {
    "date": (*GENERIC, "9999-12-31", "0001-01-01", "2045-12-31", "1999-12-31", "2001-01-01"),
    "number": (*GENERIC, "2^63", "-2^63-1", "1e309", "NaN"),
    "text": (*GENERIC, "100,000 Cyrillic", "blank", "deep JSON", "9999-12-31", "2^63", "NaN"),
    "query": tuple(TEXT),
}
#: what PostgreSQL refuses where SQLite does not: NUL, strings longer than their column,
#: integers past 64 bits, NaN in JSON
POSTGRES_TEXT = ("NUL", "100,000 characters", "2^63", "NaN", "9999-12-31")

#: values for a JSON field
JSON = {
    **{name: value for name, value in TEXT.items() if isinstance(value, str)},
    "lone surrogate": "\ud800",
    "reversed pair": "\udc00\ud83d",
    "2^63 (number)": 2**63,
    "-2^63-1 (number)": -2**63 - 1,
    "10^400": 10**400,
    "5,000 digits": Raw("9" * 5000),
    "NaN (literal)": Raw("NaN"),
    "-Infinity": Raw("-Infinity"),
    "1e999": Raw("1e999"),
    "nested 40 deep": Raw("[" * 40 + "]" * 40),
    "an object": {"a": "b"},
    "a list": ["x"],
    "true": True,
    "null": None,
}
#: the values each kind of JSON value is sent, by the kind of its valid value
JSON_GENERIC = ("NUL", "100,000 characters", "lone surrogate", "U+202E", "control characters",
                "null", "an object", "nested 40 deep")
JSON_KINDS = {
    "date": (*JSON_GENERIC, "9999-12-31", "0001-01-01", "2045-12-31", "1999-12-31",
             "2001-01-01", "2^63 (number)"),
    "number": (*JSON_GENERIC, "2^63 (number)", "-2^63-1 (number)", "10^400", "5,000 digits",
               "NaN (literal)", "-Infinity", "1e999", "NaN", "true"),
    "text": (*JSON_GENERIC, "100,000 Cyrillic", "reversed pair", "blank", "deep JSON", "SQL",
             "2^63 (number)", "true", "a list"),
    "container": (*JSON_GENERIC, "a list", "2^63 (number)", "deep JSON"),
}
POSTGRES_JSON = ("NUL", "100,000 characters", "lone surrogate", "2^63 (number)",
                 "NaN (literal)")
#: keys a JSON object may be sent with
KEYS = {"NUL": "a\x00b", "lone surrogate": "\ud800", "100,000 characters": "k" * 100_000}

#: whole bodies, to every write
BODIES = {
    "nested 20,000 deep": "[" * 20_000 + "]" * 20_000,
    "nested 100,000 deep": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "NaN": "NaN",
    "5,000 digits": "9" * 5000,
    "a key with a lone surrogate": '{"\\ud800": "x"}',
    "not UTF-8": b'{"a": "\xff\xfe"}',
    "UTF-16": '{"a": "b"}'.encode("utf-16"),
    "a string": '"x"',
    "a list": "[]",
    "broken": '{"a": ',
    "empty": "",
}


def _encode(pairs) -> str:
    """A query string or a form body of (name, str or bytes) pairs."""
    return urllib.parse.urlencode([(k, v) for k, v in pairs])


def _json_text(value) -> str:
    """``value`` as JSON text: Raw parts as they are, lone surrogates as \\u escapes."""
    raws: dict[str, str] = {}

    def mark(v):
        if isinstance(v, Raw):
            key = f"@@raw{len(raws)}@@"
            raws[key] = str(v)
            return key
        if isinstance(v, dict):
            return {k: mark(x) for k, x in v.items()}
        if isinstance(v, list):
            return [mark(x) for x in v]
        return v

    text = json.dumps(mark(value), ensure_ascii=True)
    for key, raw in raws.items():
        text = text.replace(f'"{key}"', raw)
    return text


class Findings:
    """Every answer checked; what is wrong is collected, to be told all at once."""

    def __init__(self):
        self.wrong: list[str] = []
        self.sent = 0

    def check(self, client, method: str, path: str, what: str, api: bool, **kwargs):
        self.sent += 1
        where = f"{method} {path[:160]} [{what}]"
        try:
            response = client.open(path, method=method, **kwargs)
        except Exception as exc:  # the app raised: a 500 in production
            self.wrong.append(f"{where}: raised {type(exc).__name__}: {str(exc)[:200]}")
            return None
        body = response.get_data()
        if response.status_code >= 500:
            self.wrong.append(f"{where}: {response.status_code} {body[:200]!r}")
        elif TRACEBACK.search(body):
            self.wrong.append(f"{where}: a traceback in the answer")
        elif api and response.status_code >= 400 and response.mimetype != PROBLEM:
            self.wrong.append(f"{where}: {response.status_code} as {response.mimetype}")
        return response

    def assert_none(self):
        shown = "\n".join(self.wrong[:40])
        assert not self.wrong, f"{len(self.wrong)} of {self.sent} answers wrong:\n{shown}"


# --- the demo, on each backend -----------------------------------------------------------------

RECORDED: set[str] = set()


class _RecordingDict(ImmutableMultiDict):
    """A request's args and form, noting every name a view asks for."""

    def __getitem__(self, key):
        RECORDED.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        RECORDED.add(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):
        RECORDED.add(key)
        return super().getlist(key, type)


def _demo_app(database_url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False,
                      "WTF_CSRF_ENABLED": False})
    app.request_class = type("RecordingRequest", (app.request_class,),
                             {"parameter_storage_class": _RecordingDict})
    with app.app_context():
        demo.load(AS_OF)
        services.users.create_user(ADMIN, "Fuzz", PASSWORD)
        for slug in demo.SLUGS:
            services.users.grant(ADMIN, slug, "tenant_admin")
        app.token = services.tokens.create_token(ADMIN, "fuzz")[1]
        app.ids = {}
        for slug in demo.SLUGS:
            with services.tenant(slug, "test:fuzz") as w:
                ids = {"tenant": slug, "slug": slug}
                first = lambda column, *where: db.session.scalar(  # noqa: E731
                    sa.select(column).where(*where).limit(1))
                ids["number"] = first(Person.number, Person.number.isnot(None))
                mentorship = first(Mentorship.id, Mentorship.status == "open")
                ids["mid"] = ids["ref"] = str(mentorship)
                for name, column in (("cid", Council.id), ("meeting_id", Meeting.id),
                                     ("item_id", AgendaItem.id)):
                    ids[name] = str(first(column) or "00000000-0000-0000-0000-000000000000")
                ids["council_id"] = ids["cid"]
                ids["regime_id"] = w.tenant.regime
                ids["numbers"] = list(db.session.scalars(sa.select(Person.number).limit(5)))
                ids["action"] = first(WorkAction.code)
                if ws.regime_keeps_work_standards(w.tenant):  # a draft: the approve form
                    rows = [["work_type", "action_code", "action", "time_norm_minutes",
                             "result_requirement"], ["Fuzz", "F1", "Fuzzing", 10, "Done"]]
                    ids["draft"] = str(ws.import_scheme(w, rows, "Fuzz", "Fuzz", source="fuzz").id)
                    ids["scheme"] = str(first(WorkScheme.id, WorkScheme.status != "draft"))
                app.ids[slug] = ids
    return app


@pytest.fixture(scope="module")
def sqlite_demo(sqlite_template, tmp_path_factory):
    """The demo for the API's fuzz and the findings' tests (which the fuzz may change)."""
    app = _demo_app(sqlite_template.fresh(str(tmp_path_factory.mktemp("fuzz"))))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def fresh_demo(sqlite_template, tmp_path):
    """A demo no other test has changed (the admin's crawl needs its records as loaded)."""
    app = _demo_app(sqlite_template.fresh(str(tmp_path)))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def postgres_demo(postgres_database):
    postgres_database.clean()
    app = _demo_app(postgres_database.app_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    postgres_database.clean()


def logged_in(app):
    client = app.test_client()
    response = client.post("/login", data={"email": ADMIN, "password": PASSWORD})
    assert response.status_code == 302, response.get_data()[:300]
    return client


def bearer(app) -> dict:
    return {"Authorization": f"Bearer {app.token}"}


# --- the findings of issue 12, one test each ---------------------------------------------------------
# They use the demo tenants the API's fuzz leaves alone (it works on demo-prosecutors).

CIVIL = "demo-civil-service"


def text_of(response) -> str:
    import html
    return html.unescape(response.get_data(as_text=True))


def as_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data()[:500]
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status and problem["detail"]
    return problem


def in_language(app, lang: str):
    client = logged_in(app)
    assert client.post(f"/language/{lang}").status_code == 302
    return client


def api_post(app, path: str, data, **kwargs):
    return app.test_client().post(f"{API}/tenants/{CIVIL}/{path}", headers=bearer(app),
                                  data=data, content_type="application/json", **kwargs)


def test_a_lone_surrogate_in_a_json_field_is_a_422_naming_the_field(sqlite_demo):
    """Python's json decodes "\ud800" into a str no UTF-8 can hold: it was a 500 (a
    UnicodeEncodeError) wherever the string went next: the database, the audit, the answer."""
    for body, field in (('{"number": "\\ud800", "full_name": "X"}', "number"),
                        ('{"number": "S-1", "full_name": "A\\udc00B"}', "full_name"),
                        ('{"number": "S-2", "full_name": "X", "attributes": {"corps": '
                         '"\\ud800"}}', "attributes.corps"),
                        ('{"number": "S-3", "full_name": "X", "attributes": {"\\ud800": 1}}',
                         "attributes")):
        problem = as_problem(api_post(sqlite_demo, "people", body), 422)
        assert problem["field"] == field and "surrogate" in problem["detail"], problem
    absence = ('{"person": "\\ud83d", "from": "2026-03-02", "to": "2026-03-03"}')
    assert as_problem(api_post(sqlite_demo, "absences", absence), 422)["field"] == "person"


@pytest.mark.parametrize("depth", [20_000, 100_000])
def test_json_nested_deeper_than_pythons_stack_is_a_400(sqlite_demo, depth):
    """A RecursionError in the JSON parser was a 500, on every JSON write."""
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        problem = as_problem(api_post(sqlite_demo, "people", body), 400)
        assert "nests deeper than 32 levels" in problem["detail"]
    # past the limit but within the stack: refused the same way; at the limit: read
    assert as_problem(api_post(sqlite_demo, "people", "[" * 33 + "]" * 33), 400)
    problem = as_problem(api_post(sqlite_demo, "people", "[" * 32 + "]" * 32), 422)
    assert "nests" not in problem["detail"]


def test_numbers_json_does_not_have_are_refused(sqlite_demo):
    """NaN, Infinity and 1e999 (Python reads them as floats PostgreSQL's JSON cannot hold),
    and a number of 5,000 digits (Python refuses to read it: a ValueError, a 500)."""
    for value, status in (("NaN", 422), ("-Infinity", 422), ("1e999", 422), ("9" * 5000, 400)):
        body = f'{{"number": "N-1", "full_name": "X", "attributes": {{"prior_service_months": {value}}}}}'
        problem = as_problem(api_post(sqlite_demo, "people", body), status)
        if status == 422:
            assert problem["field"] == "attributes.prior_service_months", problem


def test_request_get_json_reads_as_the_api_does(tmp_path):
    """No view reads request.get_json() today; one that does later reads JSON as the API's
    parser does (a 400, not a RecursionError)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3",
                      "TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})
    app.add_url_rule("/echo", "echo", lambda: {"got": flask.request.get_json()},
                     methods=["POST"])
    client = app.test_client()
    assert client.post("/echo", json={"a": [1]}).get_json() == {"got": {"a": [1]}}
    for body in ("[" * 50_000 + "]" * 50_000, '{"\\ud800": 1}', "NaN", "{"):
        response = client.post("/echo", data=body, content_type="application/json")
        assert response.status_code == 400, body[:20]
    with app.app_context():
        db.engine.dispose()


def test_a_request_over_the_limit_is_a_413_and_a_large_import_is_not(sqlite_demo):
    limit = sqlite_demo.config["MAX_CONTENT_LENGTH"]
    from nastavnik.web.admin.people import MAX_UPLOAD
    assert limit > MAX_UPLOAD + 64 * 1024  # the import's own limit is reached first
    body = b'{"full_name": "' + b"x" * limit + b'"}'
    problem = as_problem(api_post(sqlite_demo, "people", body), 413)
    assert f"{limit // 2**20} MB" in problem["detail"]
    # the admin: its error page, in the user's language
    client = logged_in(sqlite_demo)
    response = client.post(f"/t/{CIVIL}/people/new", data={"full_name": "x" * limit})
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert f"Запрос больше {limit // 2**20} МБ. Ничего не изменено." in text_of(response)
    # an upload just under the import's limit passes the request's (refused for its kind)
    # (encoded in memory: the test client would spool it to a file it never closes)
    boundary, body = encode_multipart({"file": (io.BytesIO(b"x" * (MAX_UPLOAD - 1024)),
                                                "staff.txt")})
    response = client.post(f"/t/{CIVIL}/people/import", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 422 and ".csv" in text_of(response)


def _nul(app):
    client = in_language(app, "en")
    number = app.ids[CIVIL]["number"]
    response = client.get(f"/t/{CIVIL}/people?q=a%00b")
    assert response.status_code == 400
    assert "The address's parameter “q” holds the NUL character" in text_of(response)
    for url, data, label in ((f"/t/{CIVIL}/people/{number}/edit", {"full_name": "A\x00B"},
                              "Full name"),
                             (f"/t/{CIVIL}/mentorships/{app.ids[CIVIL]['mid']}/paper",
                              {"kind": "plan", "done_on": "2026-03-02", "approved_by": "\x00"},
                              "Approved by")):
        response = client.post(url, data=data)
        assert response.status_code == 400, response.get_data()[:300]
        assert f"“{label}” holds the NUL character (U+0000), which cannot be stored. " \
               "Nothing was changed." in text_of(response)
    upload = client.post(f"/t/{CIVIL}/people/import", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(b"number,full_name\n"), "a\x00.csv")})
    assert upload.status_code == 400 and "The name of the file sent as “CSV or XLSX file”" \
        in text_of(upload)
    assert client.get(f"/t/{CIVIL}/people/a%00b").status_code == 404  # a path names nothing
    with app.app_context(), services.tenant(CIVIL, "test") as w:
        assert "\x00" not in services.find_person(w, number).full_name


def test_nul_in_a_query_or_a_form_is_a_400_naming_the_field(sqlite_demo):
    _nul(sqlite_demo)


def test_nul_in_a_query_or_a_form_is_a_400_on_postgresql(postgres_demo):
    """PostgreSQL refuses NUL in text: it was a 500 on every admin filter and form."""
    _nul(postgres_demo)


def test_dates_outside_the_calendars_are_refused_naming_the_field(sqlite_demo):
    """The working-day calendars cover 2000-2045: as_of=9999-12-31 was a 500 on the
    dashboard, the export, a mentorship page; until=9999-12-31 overflowed in the audit."""
    client = in_language(sqlite_demo, "en")
    mid = sqlite_demo.ids[CIVIL]["mid"]
    for url, label in ((f"/t/{CIVIL}/?as_of=9999-12-31", "As of"),
                       (f"/t/{CIVIL}/?as_of=0001-01-01", "As of"),
                       (f"/t/{CIVIL}/export?as_of=9999-12-31", "As of"),
                       (f"/t/{CIVIL}/mentorships/{mid}?as_of=2045-06-01", "As of"),
                       (f"/t/{CIVIL}/mentorships/{mid}?on=1999-12-31",
                        "Suggestions for a new mentor from"),
                       (f"/t/{CIVIL}/audit?until=9999-12-31", "To"),
                       (f"/t/{CIVIL}/audit?since=0001-01-01", "From"),
                       (f"/t/{CIVIL}/?as_of=tomorrow", "As of")):
        response = client.get(url)
        assert response.status_code == 400, (url, response.status_code)
        page = text_of(response)
        assert f"{label}: " in page and ("is outside the dates the system takes" in page
                                         or "is not a date (YYYY-MM-DD)" in page), url
    response = client.post(f"/t/{CIVIL}/mentorships/{mid}/replace", data={
        "mentor": sqlite_demo.ids[CIVIL]["numbers"][0], "replace_on": "9999-12-31",
        "reason": "transfer"})
    assert response.status_code == 422
    assert "First day of the new mentor: 9999-12-31 is outside the dates the system takes " \
           "(2000-01-01 to 2044-12-31)." in text_of(response)
    # a date in the calendars but before the regime's rules: said, not a 500
    response = client.get(f"/t/{CIVIL}/?as_of=2001-01-01")
    assert response.status_code == 422
    assert "2001-01-01 is before the rules of the regime are in force (from 2013-10-18)." \
        in text_of(response)
    # the API's dates: the same span, a 422 naming the parameter
    api = sqlite_demo.test_client()
    for query, field in (("findings?as_of=9999-12-31", "as_of"),
                         ("deadlines?as_of=0001-01-01", "as_of")):
        response = api.get(f"{API}/tenants/{CIVIL}/{query}", headers=bearer(sqlite_demo))
        assert as_problem(response, 422)["field"] == field


def test_a_page_past_what_a_database_counts_is_a_400(sqlite_demo):
    """page=2^63 overflowed SQLite's (and PostgreSQL's) integers: a 500."""
    client = in_language(sqlite_demo, "en")
    for view in ("people", "mentorships", "audit"):
        for page in ("9223372036854775808", "0", "-1", "two"):
            response = client.get(f"/t/{CIVIL}/{view}?page={page}")
            assert response.status_code == 400, (view, page)
            assert "Page: a page number from 1 to" in text_of(response)
        assert client.get(f"/t/{CIVIL}/{view}?page=2").status_code == 200


def test_a_search_of_100000_characters_is_a_400_naming_the_field(sqlite_demo):
    """SQLite refuses a LIKE pattern that long ("pattern too complex"): it was a 500."""
    client = in_language(sqlite_demo, "en")
    for url, label in ((f"/t/{CIVIL}/people?q=" + "x" * 100_000, "Name or personnel number"),
                       (f"/t/{CIVIL}/audit?actor=" + "x" * 100_000, "Who")):
        response = client.get(url)
        assert response.status_code == 400
        assert f"{label}: at most 255 characters." in text_of(response)
    assert client.get(f"/t/{CIVIL}/people?q=" + "x" * 255).status_code == 200


def _long_field(app):
    client = in_language(app, "en")
    response = client.post(f"/t/{CIVIL}/people/new", data={"number": "L-1",
                                                            "full_name": "Ж" * 100_000})
    assert response.status_code == 422
    assert "Field cannot be longer than 255 characters." in text_of(response)
    mid = app.ids[CIVIL]["mid"]
    response = client.post(f"/t/{CIVIL}/mentorships/{mid}/absence", data={
        "person": app.ids[CIVIL]["numbers"][0], "absent_from": "2026-03-02",
        "absent_to": "2026-03-03", "absence_reason": "x" * 100_000})
    assert response.status_code == 422
    assert "Reason: Field cannot be longer than 255 characters." in text_of(response)
    with app.app_context(), services.tenant(CIVIL, "test") as w:
        with pytest.raises(NotFound):  # nothing was added
            services.find_person(w, "L-1")


def test_a_100000_character_field_is_a_form_error_naming_it(sqlite_demo):
    _long_field(sqlite_demo)


def test_a_100000_character_field_is_a_form_error_on_postgresql(postgres_demo):
    """PostgreSQL refuses a string longer than its column: it was a 500."""
    _long_field(postgres_demo)


def test_errors_are_in_the_users_language(sqlite_demo):
    """The same refusals in Kazakh and Russian (the tenant's language, ru, by default)."""
    russian = logged_in(sqlite_demo)
    page = text_of(russian.get(f"/t/{CIVIL}/?as_of=9999-12-31"))
    assert "вне дат, которые принимает система (с 01.01.2000 по 31.12.2044)" in page
    assert "Параметр адреса «q» содержит символ NUL" in text_of(
        russian.get(f"/t/{CIVIL}/people?q=%00"))
    kazakh = in_language(sqlite_demo, "kk")
    assert "Бет: бет нөмірі 1 мен" in text_of(kazakh.get(f"/t/{CIVIL}/people?page=0"))
    response = kazakh.post(f"/t/{CIVIL}/people/{sqlite_demo.ids[CIVIL]['number']}/edit",
                           data={"full_name": "\x00"})
    assert response.status_code == 400
    assert "«Тегі, аты, әкесінің аты» өрісінде NUL таңбасы (U+0000) бар, оны сақтау мүмкін " \
           "емес. Ештеңе өзгертілген жоқ." in text_of(response)


def test_a_forms_json_field_is_read_as_the_api_reads_json(sqlite_demo):
    """JSON nested deeper than the stack in a JSON field of a person's form (the civil
    service's disciplinary penalties) was a RecursionError; NaN in a number field of a
    regime's settings a 500 on PostgreSQL."""
    client = in_language(sqlite_demo, "en")
    number = sqlite_demo.ids[CIVIL]["number"]
    response = client.post(f"/t/{CIVIL}/people/{number}/edit", data={
        "full_name": "X", "attr__disciplinary_penalties": "[" * 9000 + "]" * 9000})
    assert response.status_code == 422 and "Not JSON: the body nests deeper" in text_of(response)
    response = client.post(f"/t/{CIVIL}/settings/regime", data={
        "regime": "education_reserve", "s__min_experience_years": "NaN"})
    assert response.status_code == 422 and "Not a number." in text_of(response)


def test_the_regimes_bound_their_numbers(sqlite_demo):
    """Months of prior service of 2^63 were stored, and every suggestion of mentors in the
    tenant then overflowed."""
    body = json.dumps({"number": "B-1", "full_name": "X",
                       "attributes": {"prior_service_months": 2**63}})
    problem = as_problem(api_post(sqlite_demo, "people", body), 422)
    assert problem["field"] == "attributes.prior_service_months"


# --- the API, from its OpenAPI document ------------------------------------------------------------

PEOPLE_FIELDS = {"person", "mentee", "mentor", "manager", "assessor", "number"}


class Document:
    """The OpenAPI document: full bodies (every property, valid values), the operations."""

    def __init__(self, document: dict, ids: dict, free: dict):
        self.document, self.ids = document, ids
        self.free = free  # the JSON Schemas of free-form objects, by property name

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        if "allOf" in schema:
            merged: dict = {}
            for part in schema["allOf"]:
                merged = {**merged, **self.resolve(part)}
            schema = merged
        return schema

    def full(self, schema: dict, name: str = ""):
        """An instance with every property given a valid value, where one can be chosen:
        the demo's people where a person is named, dates the calendars cover."""
        schema = self.resolve(schema)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self.full(schema[key][0], name)
        if "enum" in schema:
            return next((v for v in schema["enum"] if v is not None), None)
        kind = schema.get("type", "object" if "properties" in schema else None)
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if kind == "object":
            properties = schema.get("properties", {})
            if not properties and name in self.free:  # the regime's attributes, settings
                return self.full(self.free.pop(name), name)
            if not properties:  # a mapping: votes by member
                extra = schema.get("additionalProperties")
                if schema.get("minProperties"):
                    return {self.ids["numbers"][0]: self.full(extra if isinstance(extra, dict)
                                                              else {}, "vote")}
                return {}
            return {key: self.full(value, key) for key, value in properties.items()}
        if kind == "array":
            item = schema.get("items", {})
            if name == "present":
                return list(self.ids["numbers"][:2])
            return [self.full(item, name)]
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "date":
                return AS_OF.isoformat()
            if fmt == "date-time":
                return f"{AS_OF.isoformat()}T09:00:00Z"
            if name in PEOPLE_FIELDS:
                return self.ids["numbers"][0]
            if name == "action" and self.ids.get("action"):
                return self.ids["action"]
            if name == "scheme" and self.ids.get("draft"):
                return self.ids["draft"]
            return "x" * max(1, schema.get("minLength", 1))
        if kind in ("integer", "number"):
            return schema.get("minimum", 1)
        if kind == "boolean":
            return False
        return None

    def operations(self):
        """(method, path template, operation) of every operation."""
        for path, item in self.document["paths"].items():
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    yield method.upper(), path, operation

    def body(self, operation: dict):
        content = operation.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return None if schema is None else self.full(schema)

    def path(self, template: str, **override) -> str:
        values = {**self.ids, **override}
        return re.sub(r"\{([^}]+)\}", lambda m: urllib.parse.quote(values[m.group(1)], safe=""),
                      template)


def _targets(value, path=()):
    """Paths of every value in a JSON instance (containers too)."""
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _targets(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _targets(inner, (*path, i))


def _get(value, path):
    for part in path:
        value = value[part]
    return value


def _json_kind(value) -> str:
    if isinstance(value, (dict, list)):
        return "container"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return "date"
    return "text"


def _replace(value, path, new):
    if not path:
        return new
    out = dict(value) if isinstance(value, dict) else list(value)
    out[path[0]] = _replace(value[path[0]], path[1:], new)
    return out


def _with_key(value, path, key):
    """``value`` with one more key, ``key``, in the object at ``path``."""
    if not path:
        return {**value, key: "x"}
    out = dict(value) if isinstance(value, dict) else list(value)
    out[path[0]] = _with_key(value[path[0]], path[1:], key)
    return out


def _objects(value, path=()):
    if isinstance(value, dict):
        yield path
        for key, inner in value.items():
            yield from _objects(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _objects(inner, (*path, i))


def _document(app) -> Document:
    """The document, the regime's schemas of attributes and settings filled in full."""
    client = app.test_client()
    response = client.get(API + "/openapi.json")
    assert response.status_code == 200
    slug = "demo-prosecutors"

    class Free(dict):  # a fresh copy of the regime's schema each time one is asked for
        def pop(self, name):
            got = client.get(f"{API}/tenants/{slug}/{self[name]}", headers=bearer(app))
            assert got.status_code == 200
            return got.get_json()

    return Document(response.get_json(), app.ids[slug],
                    Free(attributes="person-schema", settings="settings-schema"))


def _api_bodies(app, values: dict, keys: dict) -> Findings:
    """Every JSON write, its full body with each value (and each object's keys) hostile."""
    found = Findings()
    client, headers = app.test_client(), bearer(app)
    doc = _document(app)
    writes = 0
    for method, template, operation in doc.operations():
        full = doc.body(operation)
        if full is None:
            continue
        writes += 1
        path = doc.path(template)
        send = lambda body, what: found.check(  # noqa: E731
            client, method, path, what, True, headers=headers, data=_json_text(body),
            content_type="application/json")
        send(full, "full body")
        for target in list(_targets(full)):
            kind = _json_kind(_get(full, target))
            for name in JSON_KINDS[kind]:
                if name in values:
                    send(_replace(full, target, values[name]),
                         f"{'.'.join(map(str, target))} = {name}")
        for target in list(_objects(full)):
            for name, key in keys.items():
                send(_with_key(full, target, key), f"key at {'.'.join(map(str, target))} = {name}")
    assert writes >= 15, "the document lists fewer JSON writes than the API has"
    return found


def test_api_every_json_field_with_every_hostile_value(sqlite_demo):
    _api_bodies(sqlite_demo, JSON, KEYS).assert_none()


def test_api_hostile_json_fields_on_postgresql(postgres_demo):
    _api_bodies(postgres_demo, {k: JSON[k] for k in POSTGRES_JSON},
                {"NUL": KEYS["NUL"]}).assert_none()


def test_api_every_write_with_hostile_bodies(sqlite_demo):
    """Bodies hostile as a whole: 400 (or 415/422), never a 500; one larger than
    MAX_CONTENT_LENGTH is a 413, as problem+json."""
    found = Findings()
    client, headers = sqlite_demo.test_client(), bearer(sqlite_demo)
    doc = _document(sqlite_demo)
    too_large = b'{"a": "' + b"x" * sqlite_demo.config["MAX_CONTENT_LENGTH"] + b'"}'
    for method, template, operation in doc.operations():
        if method not in WRITES:
            continue
        path = doc.path(template)
        for name, body in BODIES.items():
            found.check(client, method, path, name, True, headers=headers, data=body,
                        content_type="application/json")
        response = found.check(client, method, path, "too large", True, headers=headers,
                               data=too_large, content_type="application/json")
        if response is not None and response.status_code != 413:
            found.wrong.append(f"{method} {path}: {response.status_code} for a body over the limit")
    found.assert_none()


#: what a path parameter is sent as, besides the demo's real ids
PATH_VALUES = {"NUL": "a\x00b", "100,000 characters": "x" * 100_000, "U+202E": "\u202e1",
               "bad UTF-8": b"\xed\xa0\x80", "dots": "..", "2^63": "9223372036854775808"}


def _api_queries(app, values: dict, path_values: dict) -> Findings:
    found = Findings()
    client, headers = app.test_client(), bearer(app)
    doc = _document(app)
    for method, template, operation in doc.operations():
        body = doc.body(operation)
        kwargs = {"headers": headers}
        if body is not None:
            kwargs.update(data=_json_text(body), content_type="application/json")
        path = doc.path(template)
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            for name, value in _values(_kind(doc.resolve(parameter.get("schema", {}))),
                                       values).items():
                found.check(client, method, f"{path}?{_encode([(parameter['name'], value)])}",
                            f"{parameter['name']} = {name}", True, **kwargs)
        for parameter in re.findall(r"\{([^}]+)\}", template):
            for name, value in path_values.items():
                raw = urllib.parse.quote_from_bytes(value if isinstance(value, bytes)
                                                    else value.encode("utf-8"), safe="")
                found.check(client, method, doc.path(template).replace(
                    urllib.parse.quote(doc.ids[parameter], safe=""), raw, 1),
                    f"path {parameter} = {name}", True, **kwargs)
    return found


def _kind(schema: dict) -> str:
    """The kind of values a query parameter is sent (see KINDS)."""
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    if "enum" in schema:
        return "text"
    if schema.get("type") in ("integer", "number"):
        return "number"
    return "date" if schema.get("format") == "date" else "query"


def test_api_every_query_and_path_parameter_with_every_hostile_value(sqlite_demo):
    _api_queries(sqlite_demo, TEXT, PATH_VALUES).assert_none()


def test_api_hostile_parameters_on_postgresql(postgres_demo):
    _api_queries(postgres_demo, {k: TEXT[k] for k in POSTGRES_TEXT},
                 {k: PATH_VALUES[k] for k in ("NUL", "100,000 characters", "2^63")}).assert_none()


# --- the admin, crawled ------------------------------------------------------------------------------

class Forms(HTMLParser):
    """The forms of a page: method, action, and each field with the value a browser would
    send (a select's selected or first option, a checked box, a textarea's text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").upper(),
                               "action": a.get("action"), "fields": {}, "types": {},
                               "files": []})
        if not self.forms or not a.get("name"):
            return
        form, name = self.forms[-1], a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["fields"].setdefault(name, a.get("value") or "y")
                form["types"][name] = kind
            elif kind not in ("submit", "button", "reset", "image"):
                form["fields"][name] = a.get("value") or ""
                form["types"][name] = kind
        elif tag == "select":
            self._select = name
            form["types"][name] = "select"
        elif tag == "option" and self._select:
            fields = form["fields"]
            if "selected" in a or not fields.get(self._select):
                fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = ""
            form["types"][name] = "textarea"

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def page_forms(html: bytes) -> list[dict]:
    parser = Forms()
    parser.feed(html.decode("utf-8", "replace"))
    return parser.forms


def _values(kind: str, allowed) -> dict:
    return {name: TEXT[name] for name in KINDS[kind] if name in allowed}


#: the address's parameters the admin reads as dates (the date values, and the generic ones)
DATE_PARAMETERS = ("as_of", "on", "from", "to", "since", "until")


class Crawl:
    """A tenant admin's session over the app's own routes (``admin_routes``)."""

    def __init__(self, app, values: dict):
        self.app, self.values = app, values
        self.client = logged_in(app)
        self.found = Findings()
        self.adapter = app.url_map.bind("localhost")
        self.forms: dict[tuple, tuple[str, dict]] = {}  # (endpoint, fields) -> (url, form)
        self.posted: set[str] = set()

    def fill(self, slug: str, rule) -> str:
        ids = {**self.app.ids[slug], "code": "en", "token_id": str(self.app.spare_token)}
        values = {}
        for arg in rule.arguments:
            assert arg in ids, f"the crawl does not know how to fill <{arg}> in {rule.rule}"
            values[arg] = ids[arg]
        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)

    def endpoint(self, path: str, method: str) -> str | None:
        try:
            return self.adapter.match(urllib.parse.urlsplit(path).path, method=method)[0]
        except Exception:  # no such route (or the wrong method): the form is not ours
            return None

    def read(self, url: str, slug: str, what: str = "") -> tuple[set, object]:
        """GET a page: the query parameters its view read, and its forms noted."""
        RECORDED.clear()
        response = self.found.check(self.client, "GET", url, what or "the page", False)
        names = set(RECORDED)
        if response is not None and response.mimetype == "text/html":
            self.note_forms(url, response.get_data(), slug)
            for form in page_forms(response.get_data()):
                if form["method"] == "GET":
                    names |= set(form["fields"])
        return names, response

    def note_forms(self, url: str, html: bytes, slug: str) -> None:
        for form in page_forms(html):
            if form["method"] != "POST":
                continue
            action = urllib.parse.urljoin(url, form["action"] or url)
            endpoint = self.endpoint(action, "POST")
            if endpoint in (None, "auth.logout"):
                continue
            if endpoint == "tokens.revoke" and not action.endswith(
                    f"/{self.app.spare_token}/revoke"):
                continue  # the API's token is the API tests'
            key = (endpoint, slug, tuple(sorted(form["fields"])), tuple(form["files"]))
            self.forms.setdefault(key, (action, form))

    def query(self, url: str, names: set, slug: str) -> None:
        base = [(n, self.default(n, slug)) for n in sorted(names) if n != "csrf_token"]
        for name in sorted(names):
            kind = "date" if name in DATE_PARAMETERS else "number" if name == "page" else "query"
            for what, value in _values(kind, self.values).items():
                pairs = [(n, v) for n, v in base if n != name] + [(name, value)]
                self.found.check(self.client, "GET", f"{url}?{_encode(pairs)}",
                                 f"{name} = {what}", False)

    def default(self, name: str, slug: str, kind: str = "text") -> str:
        ids = self.app.ids[slug]
        if kind == "date" or name in ("as_of", "on", "from", "to", "since", "until"):
            return AS_OF.isoformat()
        if kind == "number":
            return "1"
        return {"person": ids["numbers"][0], "assessor": ids["numbers"][0],
                "mentee": ids["numbers"][0], "manager": ids["numbers"][1],
                "number": "FUZZ-1", "action": ids.get("action") or "x",
                "unit": "", "q": "", "page": "1"}.get(name, "x")

    def post(self, url: str, form: dict, slug: str) -> None:
        fields = {name: value or self.default(name, slug, form["types"].get(name, "text"))
                  for name, value in form["fields"].items()}
        for name, kind in form["types"].items():
            if kind == "checkbox":
                fields.setdefault(name, "y")
        files = {name: self.upload(url, slug) for name in form["files"]}
        self.posted.add(self.endpoint(url, "POST"))

        def send(data: dict, what: str, file_name: str | None = None):
            if files:
                body = dict(data)
                for name, (content, default_name) in files.items():
                    body[name] = (io.BytesIO(content), file_name or default_name)
                if any(isinstance(v, bytes) for v in body.values()):
                    return None  # multipart fields are text: bad UTF-8 goes in the other forms
                return self.found.check(self.client, "POST", url, what, False, data=body,
                                        content_type="multipart/form-data")
            return self.found.check(self.client, "POST", url, what, False,
                                    data=_encode(data.items()),
                                    content_type="application/x-www-form-urlencoded")

        for name in sorted(fields):
            if name == "csrf_token":
                continue
            kind = {"date": "date", "number": "number"}.get(form["types"].get(name), "text")
            for what, value in _values(kind, self.values).items():
                send({**fields, name: value}, f"{name} = {what}")
        for what in ("NUL", "100,000 characters", "U+202E", "path"):
            if files and what in self.values:
                send(fields, f"file name = {what}", file_name=f"{TEXT[what]}.csv")
        response = send(fields, "as the page fills it")
        if response is not None and response.status_code == 200:  # a preview: its forms
            self.note_forms(url, response.get_data(), slug)

    def upload(self, url: str, slug: str) -> tuple[bytes, str]:
        endpoint = self.endpoint(url, "POST")
        if endpoint == "admin.people_import":
            return b"number,full_name\r\nFUZZ-2,Fuzz Upload\r\n", "staff.csv"
        if endpoint == "admin.work_scheme_import":
            return ("work_type,action_code,action,time_norm_minutes,result_requirement\r\n"
                    "Fuzz,F9,Fuzzing,10,Done\r\n").encode(), "scheme.csv"
        template = self.client.get(f"/t/{slug}/settings/papers/template?builtin=1")
        return template.get_data(), "template.docx"


def web_routes(app):
    """(rule, method) of every page of the admin and the account (not the API, the static
    files or logging out)."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith((API, "/static")) or rule.endpoint == "auth.logout":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule, method))
    assert len(out) > 30, "no admin routes found"
    return out


#: pages that show a form only with a query (a draft's approval, another regime's settings)
EXTRA_PAGES = ("/t/{tenant}/work-standards?scheme={draft}", "/t/{tenant}/settings?regime={other}",
               "/t/{tenant}/people/{number}/edit", "/t/{tenant}/people/new")
#: forms sent last, as they change what the others work on (the regime, an open mentorship)
LAST = ("admin.mentorship_close", "admin.settings_regime", "tokens.revoke", "auth.language")
#: in the other demo tenants, the forms that differ by regime (generated from its schemas)
BY_REGIME = ("admin.person_new", "admin.settings_regime")


def _crawl(app, values: dict) -> Crawl:
    """Every page of the first demo tenant (and the account's) read, each query parameter
    its view reads sent with each value; every form of those pages (and of the other demo
    tenants' person pages) sent with each value in each field; every POST route no page
    has a form for sent what its view reads."""
    with app.app_context():
        app.spare_token = services.tokens.create_token(ADMIN, "to revoke")[0].id
    crawl = Crawl(app, values)
    recorded: set[str] = set()
    for slug in demo.SLUGS:
        ids = app.ids[slug]
        other = app.ids[next(s for s in demo.SLUGS if s != slug)]["regime_id"]
        extra = [p.format(tenant=slug, draft=ids.get("draft", ""), number=ids["number"],
                          other=other) for p in EXTRA_PAGES]
        if slug != demo.SLUGS[0]:
            for url in extra[1:]:
                crawl.read(url, slug)
            continue
        pages = [crawl.fill(slug, rule) for rule, method in web_routes(app) if method == "GET"]
        for url in dict.fromkeys(pages + extra):
            names, _ = crawl.read(url, slug)
            recorded |= names
            if names:
                crawl.query(url.split("?")[0], names, slug)
    # the views read these (the request recorded them): the crawl sees what they read
    assert {"as_of", "page", "q", "from", "to", "since", "until", "on"} <= recorded, recorded

    def order(item):
        (endpoint, slug, *_), _ = item
        return (endpoint in LAST, LAST.index(endpoint) if endpoint in LAST else 0)

    first = demo.SLUGS[0]
    for (endpoint, slug, *_), (url, form) in sorted(crawl.forms.items(), key=order):
        if slug == first or endpoint in BY_REGIME:
            crawl.post(url, form, slug)
    for (endpoint, slug, *_), (url, form) in list(crawl.forms.items()):  # previews' forms
        if endpoint not in crawl.posted:
            crawl.post(url, form, slug)
    # every POST route was reached by a form of a page, or is sent what its view reads
    for rule, method in web_routes(app):
        if method == "POST" and rule.endpoint not in crawl.posted:
            url = crawl.fill(first, rule)
            RECORDED.clear()
            crawl.found.check(crawl.client, "POST", url, "a field", False, data={"_": "1"})
            form = {"fields": dict.fromkeys(sorted(RECORDED - {"_", "csrf_token"}), ""),
                    "types": {}, "files": []}
            crawl.post(url, form, first)
    return crawl


def test_admin_every_page_and_form_with_every_hostile_value(fresh_demo, caplog):
    caplog.set_level(logging.ERROR)
    crawl = _crawl(fresh_demo, TEXT)
    crawl.found.assert_none()
    assert len(crawl.forms) > 20, sorted(crawl.forms)
    assert not [r.getMessage() for r in caplog.records if r.exc_info]


def test_admin_hostile_values_on_postgresql(postgres_demo, caplog):
    caplog.set_level(logging.ERROR)
    crawl = _crawl(postgres_demo, {k: TEXT[k] for k in POSTGRES_TEXT})
    crawl.found.assert_none()
    assert not [r.getMessage() for r in caplog.records if r.exc_info]
