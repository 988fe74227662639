"""A finding's and a deadline's message in every language (``Rule.messages``): facts put in
the same words are rendered once, and the words are those ``Rule.render`` gives, whatever
the facts are (a named person's name, yes or no against 1 or 0, dates, spans, phrases)."""

import datetime as dt

import pytest

from nastavnik.core import findings
from nastavnik.core.findings import Deadline, Finding, Rule, Severity, remembering_messages
from nastavnik.core.i18n import LANGUAGES, Named, Span, Text


@pytest.fixture(autouse=True)
def remembering():
    """Rules remember messages within a whole re-evaluation's block (results.evaluate_all)."""
    with remembering_messages():
        yield


def _rule(**message):
    return Rule(id="r.p1.x", regime="r", paragraph="1", severity=Severity.WARNING,
                title={lang: "t" for lang in LANGUAGES},
                message={lang: message.get(lang, message["en"]) for lang in LANGUAGES})


def _rendered(rule, facts):
    return {lang: rule.render(facts, lang) for lang in LANGUAGES}


FACTS = [
    {"who": Named("S-1", "Ivanov"), "on": dt.date(2026, 3, 2)},
    {"who": Named("S-1", "Petrov"), "on": dt.date(2026, 3, 2)},  # equal ids, other names
    {"who": Named("S-1", Text("Иванов", "Иванов", "Ivanov")), "on": dt.date(2026, 3, 2)},
    {"who": Named("S-1", None), "on": dt.date(2026, 3, 3)},
    {"who": "S-1", "on": dt.date(2026, 3, 2)},  # the id itself, a plain str
    {"who": True, "on": 1},  # equal to 1 and 1, in other words
    {"who": 1, "on": True},
    {"who": 1.0, "on": dt.datetime(2026, 3, 2, 10, 0)},  # types not kept: rendered each time
    {"who": [Named("S-1", "Ivanov"), Named("S-2", "Sidorov")], "on": Span(1, 2, 3)},
    {"who": (Named("S-1", "Petrov"), Named("S-2", "Sidorov")), "on": Span(1, 2, 3)},
    {"who": Text("а", "ә", "a"), "on": Span(0, 0, 0), "unused": object()},
    {"who": {"a": 1}, "on": [1, 2]},  # unhashable
]


def test_messages_are_what_render_gives_for_any_facts():
    rule = _rule(ru="{who} на {on}", kk="{on} күні {who}", en="{who} on {on}")
    for _ in range(2):  # rendered, then remembered
        for facts in FACTS:
            assert rule.messages(facts) == _rendered(rule, facts), facts


def test_a_message_given_out_is_the_callers_own():
    rule = _rule(en="{who}")
    first = rule.messages({"who": "x"})
    first["en"] = "changed"
    assert rule.messages({"who": "x"}) == {lang: "x" for lang in LANGUAGES}


def test_a_missing_fact_is_named_as_render_names_it():
    rule = _rule(en="{who} {missing}")
    with pytest.raises(KeyError, match="needs fact 'missing'"):
        rule.messages({"who": "x"})


def test_rules_remember_a_bounded_number_of_messages(monkeypatch):
    monkeypatch.setattr(findings, "_KEPT_MESSAGES", 10)
    rule = _rule(en="{n}")
    for n in range(100):
        assert rule.messages({"n": n}) == {lang: str(n) for lang in LANGUAGES}
    assert len(rule._rendered) <= 12


def test_findings_and_deadlines_carry_every_language():
    rule = _rule(ru="до {due} ({event_date}), {who}", en="by {due} ({event_date}), {who}")
    deadline = Deadline(rule, "m1", "plan", "assignment", dt.date(2026, 3, 2),
                        dt.date(2026, 3, 9), facts={"who": Named("S-1", "Ivanov")})
    assert deadline.to_json()["message"] == {
        "ru": "до 09.03.2026 (02.03.2026), Ivanov", "kk": "by 09.03.2026 (02.03.2026), Ivanov",
        "en": "by 2026-03-09 (2026-03-02), Ivanov"}
    finding = Finding(rule, "m1", {"due": dt.date(2026, 3, 9), "event_date": True,
                                   "who": Named("S-1", "Petrov")})
    assert finding.to_json()["message"] == {lang: finding.message(lang) for lang in LANGUAGES}
    assert finding.to_json()["message"]["en"] == "by 2026-03-09 (yes), Petrov"


def test_a_phrase_of_unhashable_parts_is_rendered_each_time():
    rule = _rule(en="{who}")
    facts = {"who": Text(["а"], ["ә"], ["a"])}
    assert rule.messages(facts) == _rendered(rule, facts)


def test_nothing_is_remembered_outside_the_block_nor_after_it():
    rule = _rule(en="{who}")
    rule.messages({"who": "x"})
    assert rule._rendered
    with remembering_messages():  # a block of its own, inside the fixture's
        other = _rule(en="{who}")
        other.messages({"who": "y"})
        assert other._rendered
    assert not other._rendered


def test_outside_any_block_messages_are_rendered_and_not_kept():
    rule = _rule(en="{who}")
    token = findings._REMEMBERING.set(None)
    try:
        assert rule.messages({"who": "x"}) == {lang: "x" for lang in LANGUAGES}
        assert not rule._rendered
    finally:
        findings._REMEMBERING.reset(token)
