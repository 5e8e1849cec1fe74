"""Form fields that list themes in the reader's alphabetical order.

A theme's label is its name in the reader's language (`Theme.display_name`), so ordering the query by the
Indonesian `name` leaves an English list out of order ("Bread and pastry" after "Welding"). These fields sort
the labels themselves when the choices are drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator


class ReadingOrderIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from sorted(
            (self.choice(obj) for obj in self.queryset), key=lambda choice: str(choice[1]).casefold()
        )


class ThemeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = ReadingOrderIterator


class ThemeMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    iterator = ReadingOrderIterator
