"""What every form of the app does to its widgets, so that templates stay plain: Bootstrap's classes, and on a
field with an error `aria-invalid` with `aria-describedby` naming the error and, when there is one, the help
text (which a screen reader would otherwise stop reading once the field is wrong)."""

from __future__ import annotations

from typing import Any

from django import forms

CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


def style_fields(form: forms.BaseForm) -> None:
    """Set each widget's class and accessibility attributes; reads `form.errors` (validating a bound form)."""
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, CHECK_WIDGETS):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if name in errors:
            css += " is-invalid"
            described = [f"{name}-error"]
            if field.help_text:
                described.insert(0, f"{form[name].auto_id}_helptext")
            widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})
        widget.attrs["class"] = css


class StyledForm(forms.Form):
    """A form whose widgets are styled by `style_fields` once it is built.

    `style_fields` reads the errors, which validates a bound form at once: fields that depend on the request
    (choices, querysets, fields left out) are set up in `setup`, which runs before it. A field removed later
    would still be in `cleaned_data`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup()
        style_fields(self)

    def setup(self) -> None:
        """Subclasses adjust their fields here (querysets, choices, initial values, fields left out)."""
