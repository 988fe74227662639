"""A tenant's paper template is code the server runs (issue 12): templates that reach past
the paper's fields into Python (``cycler.__init__.__globals__.os``...) are refused at
upload, through the service, the admin and the API, with the reason; stored straight in the
database (as before the check existed) they cannot run when a paper is printed, and the
admin, the API and the CLI say why instead of failing. Each payload would create a marker
file if it ran; the marker must never appear. Honest templates, loops and filters included,
still work. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import html
import io

import docx
import pytest
import sqlalchemy as sa
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from nastavnik import demo, services
from nastavnik.core import registry
from nastavnik.core.errors import InputError
from nastavnik.services import document_templates, documents, template_sandbox
from nastavnik.storage.models import DocumentTemplate
from test_documents import docx_text
from test_documents_interfaces import PROS, api, cli, login, web  # noqa: F401  (web: a fixture)

AS_OF = dt.date(2026, 3, 16)
RUN = 'popen("touch {marker}").read()'  # what each payload would do if it ran

#: (a template's text, what the refusal must name)
PAYLOADS = [
    ("{{ cycler.__init__.__globals__.os." + RUN + " }}", "`__globals__`"),
    ("{{ joiner.__init__.__globals__.os." + RUN + " }}", "`__globals__`"),
    ("{{ namespace.__init__.__globals__.os." + RUN + " }}", "`__globals__`"),
    ("{{ lipsum.__globals__['os']." + RUN + " }}", "`__globals__`"),
    ("{{ self.__init__.__globals__.__builtins__.__import__('os')." + RUN + " }}", "`__import__`"),
    ("{{ config.__class__.__init__.__globals__['os']." + RUN + " }}", "`__globals__`"),
    ("{{ request.application.__globals__.__builtins__.__import__('os')." + RUN + " }}",
     "`__import__`"),
    ("{{ ''.__class__.__mro__ }}", "`__mro__`"),
    ("{{ ''.__class__ }}", "`__class__`"),
    ("{{ mentee.__class__ }}", "`__class__`"),
    ("{{ mentee['__class__'] }}", "`__class__`"),
    ("{{ mentee|attr('__class__') }}", "`__class__`"),
    ("{{ mentee|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", "`__class__`"),  # escapes, same name
    ("{% set n = '_' ~ '_class__' %}{{ mentee|attr(n) }}", "`attr` filter"),
    ("{{ assignments|map('attr', '__class__')|list }}", "`__class__`"),
    ("{{ assignments|map(attribute='mentor.__class__')|list }}", "`mentor.__class__`"),
    ("{% set x = cycler.__init__ %}{{ x.__globals__.os." + RUN + " }}", "`__init__`"),
    ("{% for c in ().__class__.__base__.__subclasses__() %}{% if c.__name__ == 'Popen' %}"
     "{{ c('touch {marker}', shell=True) }}{% endif %}{% endfor %}", "`__subclasses__`"),
    ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
     "`__subclasses__`"),
    ("{{ self }}", "`self`"),
    ("{{ config }}", "`config`"),
    ("{{ request }}", "`request`"),
    ("{{ lipsum() }}", "`lipsum`"),
    ("{{ cycler('a', 'b').next() }}", "`cycler`"),
    ("{{ joiner() }}", "`joiner`"),
    ("{% set ns = namespace(a=1) %}{{ ns.a }}", "`namespace`"),
    ("{{ dict(a=1) }}", "`dict`"),
    ("{% include 'x.docx' %}", "{% include %}"),
    ("{% import 'os' as os %}", "{% import %}"),
    # names put together at run time: not seen by the check, stopped by the sandbox
    ("{% set n = '_' ~ '_class__' %}{{ mentee[n] }}", "'__class__'"),
    ("{{ '{0.__class__.__init__.__globals__}'.format(mentee) }}", "is unsafe"),
    ("{{ mentee.update({'name': 'x'}) }}", "'update'"),
]


def payload(text: str, marker) -> str:
    return text.replace("{marker}", str(marker))


def word(*paragraphs: str, header: str | None = None, title: str | None = None) -> bytes:
    """A Word file made with python-docx: ``paragraphs`` in the body, optionally a header
    and a title in the document's properties (docxtpl fills those too)."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if title is not None:
        document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def hostile(text: str, marker) -> bytes:
    """An order (a mentorship's paper) with one honest field and the payload."""
    return word("{{ mentee.name }}", payload(text, marker))


def _stored(slug):
    with services.tenant(slug, "test") as t:
        return t.session.scalars(sa.select(DocumentTemplate.paper)).all()


def _store_unchecked(slug, content: bytes, paper: str = "order", lang: str = "ru") -> None:
    """As a template stored before uploads were checked: straight into the table."""
    with services.tenant(slug, "test") as t:
        t.session.execute(sa.delete(DocumentTemplate))
        t.session.add(DocumentTemplate(regime=t.tenant.regime, paper=paper, language=lang,
                                       filename="old.docx", content=content))


@pytest.fixture
def tenant(app):
    services.create_tenant("pros-sec", "Sec", "prosecutor_2022", actor="test")
    return "pros-sec"


@pytest.fixture
def demo_data(app):
    demo.load(AS_OF)
    return app


def _a_mentorship(slug):
    from nastavnik.services.views import mentorship_rows

    with services.tenant(slug, "test") as t:
        row = mentorship_rows(t)[-1]
        return row["id"], row["mentee_name"]


# --- the service ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,names", PAYLOADS, ids=[p[0][:40] for p in PAYLOADS])
def test_the_check_refuses_each_payload_with_its_reason(text, names, tmp_path):
    """No database: the check a service upload runs, payload by payload."""
    from nastavnik.core import registry

    spec = documents.regime_papers(registry.get("prosecutor_2022"))["order"]
    marker = tmp_path / "PWNED"
    with pytest.raises(InputError) as e:
        document_templates.check_template(spec, "ru", hostile(text, marker))
    assert e.value.field == "file" and names in str(e.value), str(e.value)
    assert not marker.exists()


def test_hostile_uploads_are_refused_and_nothing_is_stored(tenant, tmp_path):
    for n, (text, names) in enumerate(PAYLOADS):
        marker = tmp_path / f"PWNED-{n}"
        with pytest.raises(InputError) as e:
            with services.tenant(tenant, "hr:admin") as t:
                document_templates.upload_template(t, "order", "ru", hostile(text, marker))
        assert e.value.field == "file" and names in str(e.value), (text, str(e.value))
        assert not marker.exists(), text
    assert _stored(tenant) == []


def test_the_reason_is_in_plain_words_with_the_line(tenant, tmp_path):
    with pytest.raises(InputError) as e:
        with services.tenant(tenant, "hr:admin") as t:
            document_templates.upload_template(t, "order", "ru", hostile(PAYLOADS[0][0],
                                                                        tmp_path / "m"))
    says = str(e.value)
    assert "the template uses `__globals__`, which templates may not use" in says
    assert "not the paper's fields" in says and "line 3 of the document's text" in says
    with pytest.raises(InputError) as e:
        with services.tenant(tenant, "hr:admin") as t:
            document_templates.upload_template(t, "order", "ru", word("{{ config }}"))
    says = str(e.value)
    assert "`config`, which is not a field of this paper" in says
    assert "mentee" in says and "assignments" in says  # the fields it may use are listed


@pytest.mark.parametrize("where", ["header", "title"])
def test_payloads_outside_the_body_are_refused_too(tenant, tmp_path, where):
    """docxtpl fills the headers, footers and document properties as well."""
    marker = tmp_path / "PWNED"
    content = word("{{ mentee.name }}", **{where: payload(PAYLOADS[0][0], marker)})
    with pytest.raises(InputError) as e:
        with services.tenant(tenant, "hr:admin") as t:
            document_templates.upload_template(t, "order", "ru", content)
    assert "`__globals__`" in str(e.value)
    assert not marker.exists() and _stored(tenant) == []


def test_the_sandbox_stops_what_the_check_would_miss(tmp_path, monkeypatch):
    """With the source check switched off, the sandbox alone still runs nothing."""
    monkeypatch.setattr(template_sandbox, "check", lambda tree, fields: None)
    context = {"mentee": {"name": "Ким"}, "assignments": []}
    running = [text for text, _ in PAYLOADS if "{marker}" in text]
    assert len(running) >= 8
    for n, text in enumerate(running):
        marker = tmp_path / f"PWNED-{n}"
        with pytest.raises(TemplateError):
            documents.fill(hostile(text, marker), context)
        assert not marker.exists(), text


def test_the_environment_hands_out_no_helpers():
    env = documents.jinja_env({"mentee"})
    assert set(env.globals) == {"range"}
    assert isinstance(env, ImmutableSandboxedEnvironment)
    with pytest.raises(SecurityError):  # a field may be read, never changed
        env.from_string("{{ mentee.update({'a': 1}) }}").render(mentee={})


def test_a_template_is_given_plain_data_only():
    """A record or any object would give a template attributes and methods to follow."""
    from nastavnik.storage.models import Person

    with pytest.raises(TypeError, match="mentee is a Person"):
        documents.fill(word("{{ mentee.full_name }}"), {"mentee": Person(full_name="Ким")})
    with pytest.raises(TypeError, match=r"assignments\[0\]\.start is a date"):
        documents.fill(word("x"), {"assignments": [{"start": dt.date(2026, 1, 1)}]})


def test_the_real_contexts_are_plain(demo_data):
    """What render_paper gives a template is dicts, lists, strings and numbers only."""
    from nastavnik.storage.models import Meeting

    for slug in demo.SLUGS:
        mid, _ = _a_mentorship(slug)
        with services.tenant(slug, "test") as t:
            for spec in documents.papers(t):
                if spec.subject == "mentorship":
                    context, _ = documents.mentorship_context(t, spec, mid, "ru", AS_OF)
                else:
                    meeting = t.session.scalars(sa.select(Meeting)).first()
                    context, _ = documents.meeting_context(t, spec, str(meeting.id), "kk",
                                                           AS_OF)
                template_sandbox.check_plain(context)


def test_a_hostile_template_stored_unchecked_does_not_run_at_print(demo_data, tmp_path):
    slug = "demo-prosecutors"
    mid, _ = _a_mentorship(slug)
    for n, (text, names) in enumerate(PAYLOADS):
        marker = tmp_path / f"PWNED-{n}"
        _store_unchecked(slug, hostile(text, marker))
        with pytest.raises(InputError) as e:
            with services.tenant(slug, "test") as t:
                documents.render_paper(t, "order", mentorship=mid, lang="ru")
        says = str(e.value)
        assert e.value.field == "template" and names in says, (text, says)
        assert "cannot be made from the tenant's template (order, ru)" in says
        assert not marker.exists(), text
    with services.tenant(slug, "test") as t:  # the other languages keep the built-in one
        assert documents.render_paper(t, "order", mentorship=mid, lang="kk").content


def test_a_template_real_data_breaks_is_a_clear_error_at_print(demo_data):
    """Accepted (the sample has two mentors), it divides by zero for a mentorship with
    one: the print is refused with the reason, not a server error."""
    from nastavnik.services.views import mentorship_rows

    slug = "demo-prosecutors"
    with services.tenant(slug, "hr:admin") as t:
        document_templates.upload_template(t, "order", "ru",
                                           word("{{ 10 // (assignments|length - 1) }}"))
        spec = documents.find_paper(t, "order")
        one = next(r["id"] for r in mentorship_rows(t) if len(documents.mentorship_context(
            t, spec, r["id"], "ru", AS_OF)[0]["assignments"]) == 1)
        with pytest.raises(InputError) as e:
            documents.render_paper(t, "order", mentorship=one, lang="ru")
    assert e.value.field == "template" and "division or modulo by zero" in str(e.value)


# --- honest templates ----------------------------------------------------------------------------

LOOPS_AND_FILTERS = [
    "Наставляемый: {{ mentee.name|upper }} ({{ mentee.number }}), {{ mentee.unit or '________' }}",
    "{%p for a in assignments %}",
    "{{ loop.index }}. {{ a.mentor.name|title }}: {{ a.start }} — {{ a.end }}"
    "{% if a.fallback %} (по исключению){% endif %}",
    "{%p endfor %}",
    "{% set names = assignments|map(attribute='mentor.name')|join('; ') %}Все: {{ names }}",
    "Исключений: {{ assignments|selectattr('fallback')|list|length }}; "
    "документов: {{ papers|dictsort|length }}; "
    "{% for k, v in papers.items() %}{{ k }} {% endfor %}",
    "{{ '%s / %s'|format(mentorship.id, mentorship.start) }}"
    "{% for i in range(3) %}.{% endfor %}{{ regime.title|default('—')|truncate(200) }}",
]


def test_honest_templates_are_accepted_and_print(demo_data):
    slug = "demo-prosecutors"
    mid, name = _a_mentorship(slug)
    with services.tenant(slug, "test") as t:
        builtin, _ = document_templates.download_template(t, "order", "ru", builtin=True)
    with services.tenant(slug, "hr:admin") as t:  # the built-in one, as it is
        document_templates.upload_template(t, "order", "ru", builtin, "same.docx")
    with services.tenant(slug, "test") as t:
        text = docx_text(documents.render_paper(t, "order", mentorship=mid, lang="ru").content)
    assert "ПРИКАЗ" in text and name in text
    with services.tenant(slug, "hr:admin") as t:
        document_templates.upload_template(t, "order", "ru", word(*LOOPS_AND_FILTERS),
                                           "loops.docx")
    with services.tenant(slug, "test") as t:
        context, _ = documents.mentorship_context(t, documents.find_paper(t, "order"), mid,
                                                  "ru", AS_OF)
        text = docx_text(documents.render_paper(t, "order", mentorship=mid, lang="ru",
                                                today=AS_OF).content)
    mentors = [a["mentor"]["name"] for a in context["assignments"]]
    assert mentors and f"Наставляемый: {name.upper()}" in text
    assert f"1. {mentors[0].title()}: {context['assignments'][0]['start']}" in text
    assert f"Все: {'; '.join(mentors)}" in text and "{%" not in text
    assert f"{mid} / {context['mentorship']['start']}..." in text
    # every kind the regime records, and only its own
    kinds = list(registry.get("prosecutor_2022").paper_kinds)
    assert " ".join(kinds) in text and "joint_report" not in text


# --- admin, API, CLI -----------------------------------------------------------------------------

def test_admin_refuses_hostile_uploads_and_prints_none(web, tmp_path):
    client = login(web, "admin@pros.kz")
    for n, (text, names) in enumerate(PAYLOADS):
        marker = tmp_path / f"PWNED-{n}"
        response = client.post(f"/t/{PROS}/settings/papers/upload",
                               data={"paper": "order", "lang": "ru",
                                     "file": (io.BytesIO(hostile(text, marker)), "x.docx")},
                               content_type="multipart/form-data")
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 422 and names in page, text
        assert not marker.exists(), text
    assert _stored(PROS) == []
    marker = tmp_path / "PWNED-print"
    _store_unchecked(PROS, hostile(PAYLOADS[0][0], marker))
    mid = web.ids[PROS]["mentorship"]
    url = f"/t/{PROS}/mentorships/{mid}/paper?paper=order&lang=ru"
    response = client.get(url)
    assert response.status_code == 302 and not marker.exists()
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert 'lang="kk"' in page and "Құжатты жасау мүмкін болмады" in page  # the tenant's
    assert "`__globals__`" in page
    response = login(web, "hr@pros.kz").get(url, follow_redirects=True)  # any reader
    assert response.status_code == 200 and not marker.exists()


def test_api_refuses_hostile_uploads_and_prints_none(web, tmp_path):
    client, headers = api(web, "admin")
    base = f"/api/v1/tenants/{PROS}/paper-templates/file"
    for n, (text, names) in enumerate(PAYLOADS):
        marker = tmp_path / f"PWNED-{n}"
        response = client.put(base, headers=headers, query_string={"paper": "order", "lang": "ru"},
                              data={"file": (io.BytesIO(hostile(text, marker)), "x.docx")})
        body = response.get_json()
        assert response.status_code == 422 and body["field"] == "file", (text, body)
        assert names in body["detail"], (text, body)
        assert not marker.exists(), text
    assert _stored(PROS) == []
    marker = tmp_path / "PWNED-print"
    _store_unchecked(PROS, hostile(PAYLOADS[0][0], marker))
    client, headers = api(web, "viewer")
    response = client.get(f"/api/v1/tenants/{PROS}/mentorships/{web.ids[PROS]['mentorship']}"
                          "/paper", headers=headers, query_string={"paper": "order", "lang": "ru"})
    body = response.get_json()
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert body["field"] == "template" and "`__globals__`" in body["detail"]
    assert not marker.exists()


def test_cli_print_of_a_hostile_stored_template_refuses(web, tmp_path):
    marker = tmp_path / "PWNED"
    _store_unchecked(PROS, hostile(PAYLOADS[0][0], marker))
    result = cli(web, "paper", "print", "--tenant", PROS, "order", "--mentorship",
                 web.ids[PROS]["number"], "--lang", "ru", "-o", str(tmp_path))
    assert result.exit_code == 2 and "`__globals__`" in result.output, result.output
    assert "Traceback" not in result.output and not marker.exists()
    assert not list(tmp_path.glob("*.docx"))


# --- templates that compute without end -----------------------------------------------------------

EXHAUSTING = [
    "{{ 'x' * 10**9 }}",
    "{{ 3**999999999 }}",
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
]


@pytest.mark.parametrize("text", EXHAUSTING, ids=["string", "power", "loops"])
def test_a_template_that_computes_without_end_is_refused_and_holds_no_worker(text, monkeypatch):
    """The sandbox lets these through (they reach nothing); the limited child that fills a
    tenant's template stops them at its CPU or memory limit, and the uploader is told."""
    from nastavnik.core import registry
    from nastavnik.services import template_worker

    monkeypatch.setattr(template_worker, "CPU_SECONDS", 2)
    monkeypatch.setattr(template_worker, "MEMORY_BYTES", 400 * 1024 * 1024)
    spec = documents.regime_papers(registry.get("prosecutor_2022"))["order"]
    with pytest.raises(InputError) as e:
        document_templates.check_template(spec, "ru", word("{{ mentee.name }}", text))
    assert e.value.field == "file" and "may not compute that much" in str(e.value), str(e.value)


def test_an_honest_own_template_is_filled_by_the_child(tenant):
    """The child's answer is the filled Word file, the same the process would make."""
    from nastavnik.core import registry
    from nastavnik.services import template_worker

    spec = documents.regime_papers(registry.get("prosecutor_2022"))["order"]
    sample = document_templates.sample_context(spec, "ru")
    template = word("{{ mentee.name }} {% for a in assignments %}{{ a.mentor.name }};{% endfor %}")
    assert "Mentee Mentor One;Mentor Two;" in docx_text(
        template_worker.fill_isolated(template, sample))
    with pytest.raises(template_worker.TemplateFailed) as e:
        template_worker.fill_isolated(word("{{ 1 / 0 }}"), sample)
    assert "division by zero" in e.value.message
