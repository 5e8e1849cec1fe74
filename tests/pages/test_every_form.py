"""Every form a role is shown, sent back with hostile values, answers without a server error.

Each demo account follows links as in `test_every_page` (one address per view), collects the forms of the
pages it reaches, and sends each distinct form three ways, as a browser could: every field it can type into
holding long mixed-script text, numbers beyond any database integer and impossible dates; every field empty
(hidden ones included); and its hidden fields and lists holding ids that do not exist. File fields get a
file that is not what its name says. A refusal is the expected answer; a 500 is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from tests.pages.test_every_page import ROLES, SKIPPED_PREFIXES, _client, _crawl, _view

pytestmark = pytest.mark.integration

PER_VIEW = 4
LONG_TEXT = ("Ünïcødé 😀 عربى <script>alert(1)</script> ' \" ; -- =1+1 " * 90)[:5000]
HUGE = "99999999999999999999"
TYPED = {"text", "search", "email", "tel", "url", "password", "number", "date", "datetime-local", "time", ""}
NUMERIC = {"number"}
DATES = {"date": "2026-02-30", "datetime-local": "2026-02-30T25:61", "time": "25:61"}
NOT_SENT = {"submit", "button", "reset", "image"}


@dataclass
class Form:
    page: str
    action: str
    method: str
    multipart: bool
    inputs: list[tuple[str, str, str]] = field(default_factory=list)  # name, type, value (checked boxes only)
    selects: dict[str, list[str]] = field(default_factory=dict)  # name -> the selected values
    submit: tuple[str, str] | None = None

    def key(self) -> tuple[Any, ...]:
        names = tuple(sorted({name for name, _, _ in self.inputs} | set(self.selects)))
        return (_view(self.action), self.method, names)


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], str | None] | None = None  # name, selected, first option
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = urljoin(self.page, attr.get("action") or self.page)
            self._form = Form(
                page=self.page,
                action=action,
                method=(attr.get("method") or "get").lower(),
                multipart="multipart" in attr.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in attr:
            return
        name = attr.get("name", "")
        if tag == "input" and name:
            kind = attr.get("type", "text").lower()
            if kind in NOT_SENT:
                if kind == "submit" and form.submit is None:
                    form.submit = (name, attr.get("value", ""))
            elif kind not in ("checkbox", "radio") or "checked" in attr:
                form.inputs.append((name, kind, attr.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "button" and name and attr.get("type", "submit") == "submit" and form.submit is None:
            form.submit = (name, attr.get("value", ""))
        elif tag == "select" and name:
            self._select = (name, [], None)
            form.selects.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            name, selected, first = self._select
            value = attr.get("value", "")
            if "selected" in attr:
                selected.append(value)
            self._select = (name, selected, first if first is not None else value)
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, selected, first = self._select
            self._form.selects[name] = selected or ([first] if first is not None else [])
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.inputs.append((self._textarea, "textarea", "".join(self._text)))
            self._textarea = None


def _forms_of(username: str | None) -> list[Form]:
    """The distinct forms of the pages one account reaches by links (`PER_VIEW` addresses per view: one class
    page may be running and another finished, with other forms)."""
    forms: dict[tuple[Any, ...], Form] = {}

    def collect(path: str, html: str) -> None:
        parser = _Forms(path)
        parser.feed(html)
        for form in parser.forms:
            parts = urlsplit(form.action)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIPPED_PREFIXES):
                continue
            if _view(parts.path) is not None:
                forms.setdefault(form.key(), form)

    _crawl(username, per_view_limit=PER_VIEW, on_page=collect)
    return list(forms.values())


def _hostile(form: Form) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, kind, value in form.inputs:
        if kind in NUMERIC:
            data[name] = HUGE
        elif kind in DATES:
            data[name] = DATES[kind]
        elif kind in TYPED or kind == "textarea":
            data[name] = LONG_TEXT
        elif kind == "file":
            data[name] = SimpleUploadedFile("data.xlsx", b"PK\x03\x04 not a workbook " * 40)
        else:
            data.setdefault(name, value)
    for name in form.selects:
        data[name] = "zz-" + LONG_TEXT[:40]
    return data


def _empty(form: Form) -> dict[str, Any]:
    return {name: "" for name, _, _ in form.inputs} | {name: "" for name in form.selects}


def _unknown_ids(form: Form) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, kind, value in form.inputs:
        if kind == "hidden":
            data[name] = HUGE if value.isdigit() else "-1"
        elif kind != "file":
            data[name] = value
    for name in form.selects:
        data[name] = [HUGE, "-1"]
    return data


def _send(client: Client, form: Form, data: dict[str, Any]) -> int:
    if form.submit is not None:
        data = {**data, form.submit[0]: form.submit[1]}
    path = urlsplit(form.action)
    address = path.path + (f"?{path.query}" if path.query else "")
    if form.method == "post":
        response = client.post(address, data)
    else:
        files = [name for name, value in data.items() if isinstance(value, SimpleUploadedFile)]
        response = client.get(address, {k: v for k, v in data.items() if k not in files})
    if getattr(response, "streaming", False):
        response.getvalue()
    return response.status_code


@pytest.fixture
def demo(db: Any) -> None:
    call_command("seed_demo", residents=150, seed=2020, stdout=StringIO())


@pytest.mark.parametrize("username", ROLES)
def test_no_form_sent_with_hostile_values_fails(demo, username):
    forms = _forms_of(username)
    failures = []
    for form in forms:
        for variant in (_hostile, _empty, _unknown_ids):
            client = _client(username)  # a fresh session: a form that signs out does not end the others
            status = _send(client, form, variant(form))
            if status >= 500:
                failures.append(
                    f"{username or 'anonymous'} {form.method.upper()} {form.action} "
                    f"({variant.__name__}, from {form.page}) -> {status}"
                )

    assert forms, "the crawl found no form"
    assert failures == []
