"""A regime's phrases in YAML: loaded, checked, filled per language."""

import datetime as dt

import pytest

from nastavnik.core.errors import RegimeError
from nastavnik.core.i18n import Text
from nastavnik.core.phrases import Phrase, load_phrases


def _write(tmp_path, text):
    path = tmp_path / "phrases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_phrases_and_groups(tmp_path):
    phrases = load_phrases(_write(tmp_path, """
not_recorded: {ru: не указано, kk: көрсетілмеген, en: not recorded}
positions:
  assistant: {ru: помощник прокурора, kk: прокурордың көмекшісі, en: assistant prosecutor}
"""))
    assert phrases["not_recorded"].localize("kk") == "көрсетілмеген"
    assert phrases["positions"]["assistant"].localize("ru") == "помощник прокурора"
    assert isinstance(phrases["not_recorded"], Phrase)


def test_fill_localises_each_value_per_language(tmp_path):
    phrases = load_phrases(_write(tmp_path, """
since: {ru: "с {day} ({what})", kk: "{day} бастап ({what})", en: "from {day} ({what})"}
"""))
    what = Text("оценка", "баға", "mark")
    filled = phrases["since"].fill(day=dt.date(2026, 3, 2), what=what)
    assert filled == Text("с 02.03.2026 (оценка)", "02.03.2026 бастап (баға)",
                          "from 2026-03-02 (mark)")


@pytest.mark.parametrize("text, error", [
    ("x: {ru: a, kk: b}", "expected a mapping"),
    ('x: {ru: "{a}", kk: "{b}", en: "{a}"}', "different placeholders"),
    ('x: {ru: "", kk: b, en: c}', "non-empty"),
    ('x: {ru: "{", kk: b, en: c}', "x"),
])
def test_a_broken_file_is_refused_with_where(tmp_path, text, error):
    with pytest.raises(RegimeError, match=error):
        load_phrases(_write(tmp_path, text))
