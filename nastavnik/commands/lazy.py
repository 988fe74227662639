"""A click group whose commands are imported when used, not when the CLI starts: most
commands need the database, the web app or the documents, and ``nastavnik --help`` needs
none of them. Each lazy command is listed with its short help, so the listing imports
nothing; tests/test_cli_startup.py checks that the listed help is the command's own."""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    def __init__(self, *args, lazy: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        #: name -> ("module:attribute", short help)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx, name):
        if name in self.lazy and name not in self.commands:
            self.add_command(self.load(name), name)
        return super().get_command(ctx, name)

    def load(self, name: str) -> click.Command:
        module, attribute = self.lazy[name][0].split(":")
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx, formatter):
        """As click lists commands, with a lazy command's help from the table."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            if name in self.lazy and name not in self.commands:
                # shortened as click shortens a command's own help
                help_text = self.lazy[name][1]
                rows.append((name, click.Command(name, help=help_text).get_short_help_str(limit)))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
