"""``nastavnik regime new``: the skeleton of a third-party regime package, from the plain
string templates beside this module (``$name`` placeholders, ``string.Template``).

What it writes works as it is: a sample act of five paragraphs, its rules and dated
parameters, one scenario per rule, a demo tenant, a synthetic profile, and a tests/ folder
that runs the scenarios and checks that they cover every rule (``nastavnik.testing``).
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from ..core.errors import InputError

HERE = Path(__file__).parent
NAME = re.compile(r"^[a-z][a-z0-9]*([_-][a-z0-9]+)*$")

#: template -> where it goes in the new distribution ({package} is the package's folder)
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "__init__.py.tmpl": "{package}/__init__.py",
    "rules.yaml.tmpl": "{package}/rules.yaml",
    "parameters.yaml.tmpl": "{package}/parameters.yaml",
    "demo.yaml.tmpl": "{package}/demo.yaml",
    "papers.yaml.tmpl": "{package}/papers.yaml",
    "p2_coverage.yaml.tmpl": "{package}/scenarios/p2_coverage.yaml",
    "p3_service.yaml.tmpl": "{package}/scenarios/p3_service.yaml",
    "p4_capacity.yaml.tmpl": "{package}/scenarios/p4_capacity.yaml",
    "p5_term.yaml.tmpl": "{package}/scenarios/p5_term.yaml",
    "p6_plan.yaml.tmpl": "{package}/scenarios/p6_plan.yaml",
    "conftest.py.tmpl": "tests/conftest.py",
    "test_regime.py.tmpl": "tests/test_regime.py",
}


def names(name: str) -> dict:
    """The names derived from NAME: regime id, package, distribution, slug, title."""
    if not NAME.match(name or ""):
        raise InputError("a regime's name: lower-case letters and digits, words joined by _ "
                         "or -, starting with a letter (e.g. city_service_2025)", field="name")
    regime = name.replace("-", "_")
    return {"regime": regime, "package": f"nastavnik_{regime}",
            "dist": f"nastavnik-{regime.replace('_', '-')}", "slug": regime.replace("_", "-"),
            "title": regime.replace("_", " ").capitalize()}


def write(name: str, where: Path) -> tuple[Path, list[Path]]:
    """Write the skeleton of regime NAME into ``where/<distribution>``; refuses to write
    into a folder that exists. Returns the folder and the files written."""
    values = names(name)
    root = Path(where) / values["dist"]
    if root.exists():
        raise InputError(f"{root} exists; choose another name or --dir", field="dir")
    written = []
    for template, target in FILES.items():
        path = root / target.format(package=values["package"])
        path.parent.mkdir(parents=True, exist_ok=True)
        text = Template((HERE / template).read_text(encoding="utf-8")).substitute(values)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return root, written
