"""What every form of the app does to its widgets, so that templates stay plain: Bootstrap's classes, and on a
field with an error `aria-invalid` with `aria-describedby` naming the error and, when there is one, the help
text (which a screen reader would otherwise stop reading once the field is wrong)."""

from __future__ import annotations

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
