"""Theme lists read in alphabetical order in the reader's language."""

import pytest
from django.utils import translation

from latihkerja.registration.forms import ProfileForm
from latihkerja.residents.views import InterestsForm

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("form_class", [InterestsForm, ProfileForm])
@pytest.mark.parametrize("language", ["id", "en"])
def test_theme_choices_are_alphabetical_in_the_readers_language(period, form_class, language):
    form = form_class(period=period) if form_class is ProfileForm else form_class()
    with translation.override(language):
        labels = [str(label) for value, label in form.fields["interests"].choices if value]

    assert len(labels) > 20
    assert labels == sorted(labels, key=str.casefold)
    assert "Barista" in labels
    assert ("Bread and pastry" in labels) == (language == "en")
