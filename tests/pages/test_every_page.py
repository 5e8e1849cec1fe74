"""Every page a role can reach by following links answers without a server error, and the pages a role reaches
about its own objects do not open for a role that must not see them.

The demo data is seeded once per test (`seed_demo` with running trainings), then each demo account follows
the links of the pages it is shown, breadth first, from the home page and its start page: at most
`PER_VIEW` different addresses per view (query strings included), so a list of 520 classes costs two visits.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from latihkerja.accounts.models import User

pytestmark = pytest.mark.integration

PER_VIEW = 2
ROLES = (
    "bappeda",
    "opd.disnaker",
    "operator.sukarasa",
    "operator.cipondoh",
    "instruktur",
    "pemberikerja",
    "warga",
    None,  # anonymous
)
# Links not followed: leaving, switching language, the developer outbox, the admin and static files.
SKIPPED_PREFIXES = ("/akun/keluar/", "/i18n/", "/dev/", "/admin/", "/static/", "/media/")
# Views anyone may open, whoever found the link.
PUBLIC_VIEWS = {
    "home",
    "healthz",
    "batches:catalogue",
    "batches:detail",
    "centers:detail",
    "certificates:verify-form",
    "certificates:verify",
    "reports:open-data",
    "reports:open-data-csv",
    "accounts:login",
    "registration:start",
    "registration:phone",
    "demand:signup",
}
PUBLIC_PREFIXES = ("api-v1:",)
# Each signed-in user's own start page (its content depends on who asks).
OWN_PAGE_VIEWS = {"accounts:start"}
STAFF = ("bappeda", "opd.disnaker", "operator.sukarasa", "operator.cipondoh", "instruktur")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    return found


def _view(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


@dataclass
class Visit:
    status: int
    view: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def _client(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


def _crawl(
    username: str | None,
    *,
    per_view_limit: int = PER_VIEW,
    on_page: Callable[[str, str], None] | None = None,
) -> dict[str, Visit]:
    """Follow the links one account is shown, breadth first, at most `per_view_limit` addresses per view;
    `on_page(path, html)` sees each HTML page reached."""
    client = _client(username)
    seen: dict[str, Visit] = {}
    per_view: dict[str, int] = {}
    queue = deque(["/", "/akun/saya/"] if username else ["/"])
    while queue:
        path = queue.popleft()
        view = _view(path)
        if path in seen or view is None or per_view.get(view, 0) >= per_view_limit:
            continue
        per_view[view] = per_view.get(view, 0) + 1
        response = client.get(path)
        seen[path] = Visit(response.status_code, view, resolve(urlsplit(path).path).kwargs)
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            html = response.content.decode()
            queue.extend(_links(path, html))
            if on_page is not None:
                on_page(path, html)
        elif response.status_code == 200 and getattr(response, "streaming", False):
            response.getvalue()  # a download is read to the end: a failure while streaming is a failure too
    return seen


@pytest.fixture
def demo(db: Any) -> None:
    call_command("seed_demo", residents=150, seed=2020, stdout=StringIO())


class _Crawls(dict[str | None, dict[str, Visit]]):
    """Each role's crawl, made when a test first asks for it."""

    def __missing__(self, username: str | None) -> dict[str, Visit]:
        self[username] = _crawl(username)
        return self[username]


@pytest.fixture
def crawled(demo: None) -> _Crawls:
    return _Crawls()


def _is_public(view: str) -> bool:
    return view in PUBLIC_VIEWS or view.startswith(PUBLIC_PREFIXES)


def test_no_page_reached_by_links_fails_for_any_role(crawled):
    failures = [
        f"{username or 'anonymous'} GET {path} -> {visit.status}"
        for username in ROLES
        for path, visit in crawled[username].items()
        if visit.status >= 500
    ]

    assert failures == []
    # The crawl reached the staff and resident work pages, not only the public ones.
    reached = {visit.view for visits in crawled.values() for visit in visits.values() if visit.status == 200}
    assert {
        "reports:dashboard",
        "training:batch",
        "training:session",
        "allocation:runs",
        "planning:runs",
        "certificates:batch",
        "imports:index",
        "demand:company",
        "training:my-schedule",
        "certificates:mine",
    } <= reached


def test_staff_pages_do_not_open_for_residents_or_visitors(crawled):
    staff_pages = {
        path
        for username in STAFF
        for path, visit in crawled[username].items()
        if visit.status == 200 and not _is_public(visit.view) and visit.view not in OWN_PAGE_VIEWS
    }
    opened = []
    for username in ("warga", None):
        client = _client(username)
        for path in sorted(staff_pages):
            response = client.get(path)
            if response.status_code == 200:
                opened.append(f"{username or 'anonymous'} GET {path}")
            assert response.status_code < 500, path

    assert opened == []


def test_a_centres_pages_do_not_open_for_another_centres_operator(crawled):
    own = {
        "operator.sukarasa": "operator.cipondoh",
        "operator.cipondoh": "operator.sukarasa",
    }
    opened = []
    for owner, other in own.items():
        client = _client(other)
        for path, visit in crawled[owner].items():
            # Pages about one object (a class, a session, an import); a figure's name ("dimension") is not one.
            objects = {name for name in visit.kwargs if name != "dimension"}
            if visit.status != 200 or _is_public(visit.view) or not objects:
                continue
            response = client.get(path)
            if response.status_code == 200:
                opened.append(f"{other} GET {path} ({owner}'s)")

    assert opened == []


def test_a_residents_pages_do_not_open_for_visitors(crawled):
    client = _client(None)
    opened = [
        path
        for path, visit in crawled["warga"].items()
        if visit.status == 200
        and not _is_public(visit.view)
        and visit.view not in OWN_PAGE_VIEWS
        and client.get(path).status_code == 200
    ]

    assert opened == []


def _int_routes() -> list[str]:
    """Every project URL with an integer in its path, filled with a 20-digit number (beyond any database
    integer) and, for text parts, a plain word."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter

    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith("admin/"):
                    walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                converters = getattr(pattern.pattern, "converters", {})
                if any(isinstance(c, IntConverter) for c in converters.values()):
                    path = prefix + route
                    for name, converter in converters.items():
                        value = "99999999999999999999" if isinstance(converter, IntConverter) else "abc"
                        path = re.sub(rf"<(\w+:)?{name}>", value, path)
                    routes.append("/" + path)

    walk(get_resolver().url_patterns, "")
    return routes


@pytest.mark.parametrize("persona", ["bappeda_admin", "operator_blk_a", "employer", "resident"])
def test_an_id_beyond_any_database_integer_is_not_found_rather_than_a_failure(db, request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    routes = _int_routes()
    failures = []
    for path in routes:
        for method in (client.get, client.post):
            status = method(path).status_code
            if status >= 500:
                failures.append(f"{method.__name__.upper()} {path} -> {status}")

    assert len(routes) > 20
    assert failures == []


@pytest.mark.integration
def test_pages_are_sent_compressed_to_a_browser_that_accepts_it(client, reference_data):
    """Residents on slow mobile links: the catalogue's HTML shrinks to a fraction, whatever the proxy does."""
    import gzip

    plain = client.get("/pelatihan/")
    packed = client.get("/pelatihan/", HTTP_ACCEPT_ENCODING="gzip")

    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content).decode().count("<h1") == plain.content.decode().count("<h1")
    assert len(packed.content) < len(plain.content) / 2
