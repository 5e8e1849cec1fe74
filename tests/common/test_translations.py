"""Every text the app can show has its English: the English catalogue is checked against the source."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _untranslated(po: str) -> list[str]:
    """The msgids of `po` whose translation (any plural form) is empty or marked fuzzy (a guess by
    makemessages)."""
    found = []
    for entry in po.split("\n\n")[1:]:
        fields: dict[str, str] = {}
        key = ""
        for line in entry.splitlines():
            keyword = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if keyword:
                key = keyword.group(1)
                fields[key] = keyword.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        translations = [value for name, value in fields.items() if name.startswith("msgstr")]
        if fields.get("msgid") and ("#, fuzzy" in entry or not all(translations)):
            found.append(fields["msgid"])
    return found


@pytest.mark.unit
def test_a_fuzzy_or_empty_entry_counts_as_untranslated():
    po = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "Ada"\nmsgstr "There"\n\n'
        'msgid "Kosong"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Tebakan"\nmsgstr "Guess"\n\n'
        'msgid "Panjang "\n"sekali"\nmsgstr ""\n"Very long"\n'
    )

    assert _untranslated(po) == ["Kosong", "Tebakan"]


@pytest.mark.integration
@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs gettext's xgettext (apt-get install gettext)"
)
def test_every_translatable_text_of_the_source_has_its_english(tmp_path):
    """`makemessages` run on a copy of the source finds no text without an English translation: a text added
    without one would show in Indonesian on an English page."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "latihkerja", copy / "latihkerja", ignore=shutil.ignore_patterns("__pycache__", "*.mo")
    )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    po = (copy / "latihkerja/locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")

    assert _untranslated(po) == []
