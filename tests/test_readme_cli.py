"""The README's first CLI walk runs as written, on a fresh database, from the project folder:
a newcomer who copies it line by line gets no error."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def walk() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- cli-walk -->\s*```sh\n(.*?)```\s*<!-- /cli-walk -->", text, re.S)
    assert block, "README.md has no <!-- cli-walk --> block"
    commands = []
    for line in block.group(1).replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words:
            assert words[0] == "nastavnik", line
            commands.append(words[1:])
    return commands


def test_the_readme_walk_runs_as_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env.update(NASTAVNIK_INSTANCE=str(tmp_path), NASTAVNIK_LANG="en")
    commands = walk()
    assert len(commands) >= 10
    said = []
    for args in commands:
        out = subprocess.run([sys.executable, "-m", "nastavnik.cli", *args], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, (args, out.stdout, out.stderr)
        said.append(out.stdout)
    story = "\n".join(said)
    # what the walk promises along the way
    assert "5 created" in story
    assert "Ахметов Серік Болатұлы" in said[3]                       # the search in Kazakh letters
    assert "P-002" in story and "p.12" in story                      # excluded, with the paragraph
    assert "2026-06-12" in story and "done_late" in story             # the late replacement
    assert (tmp_path / "nastavnik.sqlite3").exists()
