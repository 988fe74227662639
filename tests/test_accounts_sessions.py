"""A session ends when it should, for every copy of its cookie: at logout, and for all of
a user's sessions at a new password, a deactivation or a role taken away. Flask's session
is a cookie the browser keeps; a copy taken before the end (a shared computer, malware, a
proxy's log) must open nothing after it, for reads and for writes."""

from __future__ import annotations

from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main

from accounts_web import PASSWORD, client_for, csrf, login, replay, session_cookie, text
from accounts_web import web  # noqa: F401  (a fixture)

NEW_PASSWORD = "plum orchard kettle"


def logged_in(app, email="hr@alpha.kz", address="127.0.0.1"):
    client = client_for(app, address=address)
    assert login(client, email).status_code == 302
    return client


def refused(app, cookie) -> None:
    """The copied cookie opens neither a page nor a form: both go to the login page."""
    thief = replay(app, cookie)
    read = thief.get("/t/alpha/people")
    assert read.status_code == 302 and "/login" in read.headers["Location"]
    token = csrf(thief, "/login")  # the CSRF token of the thief's own (copied) session
    write = thief.post("/t/alpha/people/new", data={"csrf_token": token, "number": "X-1",
                                                    "full_name": "Planted by a thief"})
    assert write.status_code == 302 and "/login" in write.headers["Location"]
    assert "X-1" not in people(app)


def people(app) -> list[str]:
    with app.app_context():
        with services.tenant("alpha", "test") as work:
            return [p.number for p in services.list_people(work)]


def opens(app, cookie) -> None:
    """While the session is open a copy of its cookie is the session: it reads and writes
    (what ``refused`` then checks is not so for a reason of its own)."""
    thief = replay(app, cookie)
    assert thief.get("/t/alpha/people").status_code == 200
    write = thief.post("/t/alpha/people/new", data={"csrf_token": csrf(thief, "/login"),
                                                    "number": "C-1", "full_name": "Copied"})
    assert write.status_code == 302 and write.headers["Location"].endswith("/people/C-1")
    assert "C-1" in people(app)


def test_a_copied_cookie_is_refused_after_logout(web):
    client = logged_in(web)
    cookie = session_cookie(client)
    opens(web, cookie)  # the copy works while the session is open: it is the same session
    client.post("/logout", data={"csrf_token": csrf(client, "/t/alpha/")})
    refused(web, cookie)
    # a new login is a new session, and the old copy stays refused
    again = logged_in(web)
    assert again.get("/t/alpha/people").status_code == 200
    refused(web, cookie)


def test_logout_ends_only_that_session(web):
    first, second = logged_in(web), logged_in(web)
    first.post("/logout", data={"csrf_token": csrf(first, "/t/alpha/")})
    assert second.get("/t/alpha/people").status_code == 200


def test_a_new_password_ends_every_session_of_the_user(web):
    client, other = logged_in(web), logged_in(web, "viewer@alpha.kz")
    cookie = session_cookie(client)
    with web.app_context():
        services.users.set_password("hr@alpha.kz", NEW_PASSWORD, actor="cli:admin")
    refused(web, cookie)
    assert client.get("/t/alpha/people").status_code == 302
    assert other.get("/t/alpha/people").status_code == 200  # another user's goes on
    assert login(client_for(web), "hr@alpha.kz", PASSWORD).status_code == 401
    assert login(client_for(web), "hr@alpha.kz", NEW_PASSWORD).status_code == 302


def test_deactivation_ends_the_sessions_and_stops_the_api_tokens(web):
    client = logged_in(web)
    cookie = session_cookie(client)
    with web.app_context():
        _row, token = services.tokens.create_token("hr@alpha.kz", "hr system")
    bearer = {"Authorization": f"Bearer {token}"}
    assert web.test_client().get("/api/v1/tenants", headers=bearer).status_code == 200
    with web.app_context():
        services.users.deactivate("hr@alpha.kz", actor="cli:admin")
    refused(web, cookie)
    assert web.test_client().get("/api/v1/tenants", headers=bearer).status_code == 401
    assert login(client_for(web), "hr@alpha.kz").status_code == 401
    with web.app_context():
        services.users.activate("hr@alpha.kz", actor="cli:admin")
    # active again: the old session stays ended, a new login works, and so does the token
    refused(web, cookie)
    assert logged_in(web).get("/t/alpha/people").status_code == 200
    assert web.test_client().get("/api/v1/tenants", headers=bearer).status_code == 200


def test_a_role_taken_away_ends_the_sessions(web):
    client = logged_in(web)
    cookie = session_cookie(client)
    with web.app_context():
        assert services.users.revoke("hr@alpha.kz", "alpha", actor="cli:admin") == "hr_officer"
        assert services.sessions.open_sessions(services.users.find_user("hr@alpha.kz").id) == []
    refused(web, cookie)
    # logged in again, the user has no tenant left
    again = logged_in(web)
    assert again.get("/t/alpha/people").status_code == 403


def test_the_cli_sets_passwords_deactivates_activates_and_revokes(web, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)  # the CLI, as run beside the app
    client = logged_in(web)
    cookie = session_cookie(client)
    runner = CliRunner()

    def run(*args, **kwargs):
        return runner.invoke(main, list(args), obj={}, **kwargs)

    out = run("user", "set-password", "hr@alpha.kz", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert out.exit_code == 0, out.output
    assert NEW_PASSWORD not in out.output  # asked for hidden
    refused(web, cookie)
    cookie = session_cookie(logged_in_with(web, NEW_PASSWORD))
    out = run("user", "deactivate", "hr@alpha.kz")
    assert out.exit_code == 0 and "deactivated" in out.output, out.output
    refused(web, cookie)
    assert run("user", "activate", "hr@alpha.kz").exit_code == 0
    cookie = session_cookie(logged_in_with(web, NEW_PASSWORD))
    out = run("user", "revoke", "hr@alpha.kz", "alpha")
    assert out.exit_code == 0 and "no longer hr_officer in alpha" in out.output, out.output
    refused(web, cookie)
    out = run("user", "revoke", "hr@alpha.kz", "alpha")
    assert out.exit_code == 2 and "has no role in alpha" in out.output
    out = run("user", "deactivate", "nobody@alpha.kz")
    assert out.exit_code == 2 and "no user 'nobody@alpha.kz'" in out.output


def logged_in_with(app, password):
    client = client_for(app)
    assert login(client, "hr@alpha.kz", password).status_code == 302
    return client


# --- changing one's own password in the admin ------------------------------------------------

def change(client, current, new, again=None):
    return client.post("/account/password", data={
        "csrf_token": csrf(client, "/account/password"), "current_password": current,
        "new_password": new, "new_password_again": new if again is None else again})


def test_the_password_page_changes_the_password_and_ends_the_other_sessions(web):
    client, elsewhere = logged_in(web), logged_in(web, address="10.0.0.7")
    cookie_before = session_cookie(client)
    assert 'href="/account/password"' in text(client.get("/t/alpha/"))
    assert client.get("/account/password").status_code == 200
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Your password is changed" in page
    assert client.get("/t/alpha/people").status_code == 200  # this browser goes on
    assert elsewhere.get("/t/alpha/people").status_code == 302  # the others end
    refused(web, cookie_before)  # and so does this browser's cookie of before the change
    assert login(client_for(web), "hr@alpha.kz", NEW_PASSWORD).status_code == 302


def test_the_password_page_refuses_bad_input_and_changes_nothing(web):
    client = logged_in(web)
    wrong = change(client, "not my password", NEW_PASSWORD)
    assert wrong.status_code == 422 and "The current password is wrong." in text(wrong)
    differ = change(client, PASSWORD, NEW_PASSWORD, again=NEW_PASSWORD + "x")
    assert differ.status_code == 422 and "The two new passwords differ." in text(differ)
    weak = change(client, PASSWORD, "password123")
    assert weak.status_code == 422
    assert "This password cannot be used." in text(weak) and "It is easy to guess." in text(weak)
    assert "This is a very common password." in text(weak)
    personal = change(client, PASSWORD, "hr@alpha.kz is me")
    assert "It contains your e-mail address or your name." in text(personal)
    no_csrf = client.post("/account/password", data={"current_password": PASSWORD,
                                                     "new_password": NEW_PASSWORD,
                                                     "new_password_again": NEW_PASSWORD})
    assert no_csrf.status_code == 400
    assert client.get("/t/alpha/people").status_code == 200  # still logged in
    assert login(client_for(web), "hr@alpha.kz", PASSWORD).status_code == 302  # unchanged


def test_the_password_page_explains_a_refusal_in_the_users_language(web):
    client = client_for(web, lang="ru")
    login(client, "hr@alpha.kz")
    client.post("/language/ru", data={"csrf_token": csrf(client, "/t/alpha/"), "next": "/"})
    page = text(change(client, PASSWORD, "qwertyuiop"))
    assert "Этот пароль нельзя использовать." in page and "Его легко угадать." in page
    assert "Это один из 100 самых распространенных паролей." in page
    client.post("/language/kk", data={"csrf_token": csrf(client, "/t/alpha/"), "next": "/"})
    page = text(change(client, PASSWORD, "qwertyuiop"))
    assert "Бұл құпиясөзді қолдануға болмайды." in page and "Оны табу оңай." in page
    page = text(change(client, "not my password", NEW_PASSWORD))
    assert "Қазіргі құпиясөз қате." in page


def test_the_password_page_needs_a_login(web):
    response = web.test_client().get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
