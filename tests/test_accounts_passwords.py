"""Passwords people set: refused when blank, short, their e-mail or name, or guessable,
with the reasons; never given on the command line, where other users of the machine see
it (`ps`, shell history): asked for hidden, or read from standard input or the
environment by scripts."""

from __future__ import annotations

import ast
import inspect

import pytest
import zxcvbn.feedback
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.commands.demo import DEMO_PASSWORD, DEMO_USERS
from nastavnik.core.errors import InputError
from nastavnik.services import passwords
from nastavnik.services.passwords import PasswordRefused
from nastavnik.storage.models import db
from nastavnik.web import account

GOOD = "plum orchard kettle"


@pytest.mark.parametrize("password, reasons", [
    ("", ["blank"]),
    ("            ", ["blank"]),
    ("\t\n  \u00a0 ", ["blank"]),
    ("short1!", ["short"]),
    ("x" * 129, ["long"]),
    ("aigerim@agency.kz!", ["personal"]),  # the e-mail
    ("my aigerim forever", ["personal"]),  # its local part
    ("Aigerim Nurlanova 77", ["personal"]),  # the name
    ("password123", ["guessable"]),
    ("qwertyuiop", ["guessable"]),
    ("1234567890", ["guessable"]),
    ("aaaaaaaaaaaa", ["guessable"]),
    ("Password2024!", ["guessable"]),
    ("nurlanova1990", ["guessable"]),  # her surname and a year: zxcvbn knows her words
    ("пароль12345", ["guessable"]),  # "gfhjkm" on the same keys, "parol" transliterated
    ("йцукенгшщз", ["guessable"]),  # qwertyuiop
    ("привет123456", ["guessable"]),
    ("Нурланова1990", ["guessable"]),
])
def test_bad_passwords_are_refused_with_their_reasons(password, reasons):
    with pytest.raises(PasswordRefused) as refused:
        passwords.check(password, email="aigerim@agency.kz", name="Aigerim Nurlanova")
    assert refused.value.reasons == reasons
    assert isinstance(refused.value, InputError) and refused.value.field == "password"
    assert passwords.REASONS[reasons[0]] in str(refused.value)


def test_a_guessable_password_is_explained():
    with pytest.raises(PasswordRefused) as refused:
        passwords.check("password123")
    assert refused.value.warning == "This is a very common password."
    assert "This is a very common password." in str(refused.value)


@pytest.mark.parametrize("password", [GOOD, "correct horse 1", "Ключ от старой мельницы",
                                      "x" * 2 + "-dV9#qL!7zR", "a" * 3 + " lantern 4 river"])
def test_good_passwords_pass(password):
    passwords.check(password, email="aigerim@agency.kz", name="Aigerim Nurlanova")


def test_the_demo_password_passes_for_every_demo_user():
    for email, name, _admin, _roles in DEMO_USERS:
        passwords.check(DEMO_PASSWORD, email=email, name=name)


def test_every_explanation_of_zxcvbn_has_words_in_the_admins_languages():
    """zxcvbn explains in English; the admin shows each of its sentences in ru and kk
    (test_web_translations checks they are translated): a sentence a new version adds
    would otherwise be left out."""
    tree = ast.parse(inspect.getsource(zxcvbn.feedback))
    sentences = {node.args[0].value for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"
                 and isinstance(node.args[0], ast.Constant)}
    assert len(sentences) > 20
    assert sentences <= set(account.ZXCVBN)


def test_services_refuse_a_bad_password_and_change_nothing(app):
    with pytest.raises(PasswordRefused):
        services.users.create_user("aigerim@agency.kz", "Aigerim", "password123")
    with pytest.raises(InputError):
        services.users.find_user("aigerim@agency.kz")
    services.users.create_user("aigerim@agency.kz", "Aigerim", GOOD)
    before = services.users.find_user("aigerim@agency.kz").password_hash
    with pytest.raises(PasswordRefused):
        services.users.set_password("aigerim@agency.kz", "   ")
    assert services.users.find_user("aigerim@agency.kz").password_hash == before


# --- the command line --------------------------------------------------------------------------

def run(app, *args, **kwargs):
    # the command has a session of its own: end the test's transaction first (SQLite's
    # every transaction holds the write lock, which the command would wait for)
    db.session.remove()
    return CliRunner().invoke(main, list(args), obj={}, **kwargs)


def test_user_create_takes_no_password_on_the_command_line(app):
    out = run(app, "user", "create", "a@agency.kz", "--password", GOOD)
    assert out.exit_code == 2 and "No such option '--password'" in out.output
    with pytest.raises(InputError):
        services.users.find_user("a@agency.kz")
    help_text = run(app, "user", "create", "--help").output
    assert "--password-stdin" in help_text and "NASTAVNIK_PASSWORD" in help_text


def test_user_create_asks_for_the_password_hidden_and_twice(app):
    out = run(app, "user", "create", "a@agency.kz", input=f"{GOOD}\n{GOOD}\n")
    assert out.exit_code == 0, out.output
    assert GOOD not in out.output and "Repeat for confirmation" in out.output
    assert services.users.find_user("a@agency.kz").check_password(GOOD)
    mismatch = run(app, "user", "create", "b@agency.kz", input=f"{GOOD}\nsomething else\n")
    assert mismatch.exit_code != 0
    with pytest.raises(InputError):
        services.users.find_user("b@agency.kz")


def test_user_create_reads_the_password_from_stdin_or_the_environment(app, monkeypatch):
    out = run(app, "user", "create", "a@agency.kz", "--password-stdin", input=f"{GOOD}\n")
    assert out.exit_code == 0, out.output
    assert services.users.find_user("a@agency.kz").check_password(GOOD)
    monkeypatch.setenv("NASTAVNIK_PASSWORD", "lantern river 42 owl")
    out = run(app, "user", "create", "b@agency.kz", "--tenant", "nowhere")
    assert out.exit_code == 2, out.output  # the tenant does not exist, but the user was made first
    assert services.users.find_user("b@agency.kz").check_password("lantern river 42 owl")


def test_user_create_explains_a_refused_password(app):
    out = run(app, "user", "create", "a@agency.kz", "--password-stdin", input="password123\n")
    assert out.exit_code == 2
    assert "the password is refused: it is easy to guess" in out.output
    assert "This is a very common password." in out.output
    with pytest.raises(InputError):
        services.users.find_user("a@agency.kz")


def test_set_password_asks_for_it_and_refuses_a_bad_one(app):
    services.users.create_user("a@agency.kz", "A", GOOD)
    out = run(app, "user", "set-password", "a@agency.kz", input="a@agency.kz1\na@agency.kz1\n")
    assert out.exit_code == 2 and "contains your e-mail address or your name" in out.output
    assert services.users.find_user("a@agency.kz").check_password(GOOD)
    out = run(app, "user", "set-password", "nobody@agency.kz", input=f"{GOOD}\n{GOOD}\n")
    assert out.exit_code == 2 and "no user" in out.output
    assert "Password" not in out.output  # said before asking
