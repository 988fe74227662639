"""Every installed regime keeps the contract: hooks, catalogue, cited dated parameters."""

import ast
import datetime as dt
import re
from pathlib import Path

import jsonschema
import pytest

from nastavnik.core import registry
from nastavnik.core.i18n import LANGUAGES
from nastavnik.core.registry import COUNCIL_HOOKS, REQUIRED_HOOKS

REGIMES = registry.available()
PLUGINS = Path(__file__).parent.parent / "nastavnik" / "plugins"


@pytest.fixture(params=REGIMES)
def regime(request):
    return registry.get(request.param)


def test_required_hooks_implemented(regime):
    for name in REQUIRED_HOOKS + (COUNCIL_HOOKS if regime.info.has_council else ()):
        assert getattr(regime.hook, name).get_hookimpls(), name


def test_info_in_three_languages(regime):
    info = regime.info
    for lang in LANGUAGES:
        assert info.title[lang].strip() and info.citation[lang].strip()
        for kind, label in info.mentee_kinds.items():
            assert label[lang].strip(), (kind, lang)
    assert info.country in ("KZ", "RU")
    assert isinstance(info.effective_from, dt.date)


def test_every_rule_cites_a_paragraph_of_its_regime(regime):
    assert regime.rules
    for rule in regime.rules.values():
        assert rule.id.startswith(f"{rule.regime}.p")
        assert re.fullmatch(r"[0-9]+(\.[0-9]+)?(-[0-9]+)?", rule.paragraph), rule.id
        for lang in LANGUAGES:
            assert rule.title[lang].strip() and rule.message[lang].strip()


def test_every_parameter_is_dated_and_cited(regime):
    params = list(regime.parameters)
    for p in params:
        assert p.paragraph and all(p.description[lang] for lang in LANGUAGES)
        for value in p.history:
            assert value.reference.strip() and value.since >= dt.date(1990, 1, 1)


def test_schemas_are_valid_json_schemas(regime):
    jsonschema.Draft202012Validator.check_schema(regime.settings_schema)
    jsonschema.Draft202012Validator.check_schema(regime.person_schema)


@pytest.mark.parametrize("plugin_dir", sorted(p for p in PLUGINS.iterdir() if (p / "rules.yaml").exists()))
def test_rule_ids_used_in_code_exist_in_catalogue(plugin_dir):
    """A rule id the code names but the catalogue lacks would only fail at run time."""
    regime = registry.get(plugin_dir.name)
    prefix = f"{plugin_dir.name}."
    for source in plugin_dir.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"(%s)?p[0-9]+[0-9a-z_.]*\.[a-z_]+" % re.escape(prefix), node.value):
                rule_id = node.value if node.value.startswith(prefix) else prefix + node.value
                assert rule_id in regime.rules, f"{source.name}: {rule_id}"


def test_no_number_of_the_law_hides_in_code():
    """Legal numbers live in parameters.yaml: rule code compares only with 0 or 1."""
    for source in PLUGINS.glob("*/__init__.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                for value in [node.left, *node.comparators]:
                    if isinstance(value, ast.Constant) and type(value.value) is int:
                        assert value.value in (0, 1), f"{source}: compares with literal {value.value}"
