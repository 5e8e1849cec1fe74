"""Forms of the delivery pages: input parsing and messages only; the rules live in `services`."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from latihkerja.batches.models import Batch
from latihkerja.centers.models import Room
from latihkerja.common.forms import StyledForm
from latihkerja.programs.holidays import days_off

from .enums import AttendanceStatus, SessionModality
from .models import ChecklistItem
from .services import MAX_DAYS_AHEAD, MAX_SESSIONS_AT_ONCE

SHEET_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
SHEET_MAX_BYTES = 10 * 1024 * 1024
WEEKDAYS = [
    (0, _("Senin")),
    (1, _("Selasa")),
    (2, _("Rabu")),
    (3, _("Kamis")),
    (4, _("Jumat")),
    (5, _("Sabtu")),
    (6, _("Minggu")),
]


def _time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Isi jam."), "invalid": _("Tulis jam seperti 08:00.")},
    )


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal."), "invalid": _("Tulis tanggal seperti 2020-10-05.")},
    )


class PlaceForm(StyledForm):
    """Modality, room and meeting link; the rooms offered are the batch's centre's only."""

    modality = forms.ChoiceField(
        label=_("Modalitas"),
        choices=SessionModality.choices,
        error_messages={
            "required": _("Pilih modalitas."),
            "invalid_choice": _("Pilih modalitas dari daftar."),
        },
    )
    room = forms.ModelChoiceField(
        label=_("Ruang (luring)"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("Tanpa ruang (daring)"),
        error_messages={"invalid_choice": _("Pilih ruang dari daftar.")},
    )
    meeting_url = forms.URLField(
        label=_("Tautan pertemuan (daring)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Zoom, Google Meet, Jitsi atau lainnya. Hanya peserta kelas yang melihatnya."),
        error_messages={"invalid": _("Tulis tautan lengkap, misalnya https://meet.example.org/kelas.")},
    )

    def __init__(self, *args: Any, batch: Batch, **kwargs: Any) -> None:
        self.batch = batch
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        batch = self.batch
        room_field: Any = self.fields["room"]
        room_field.queryset = Room.objects.filter(center_id=batch.center_id).order_by("name")
        room_field.label_from_instance = lambda room: (
            _("%(name)s (kapasitas %(capacity)s)")
            % {
                "name": room.name,
                "capacity": room.capacity,
            }
        )
        allowed = [c for c in SessionModality.choices if batch.theme.allows(c[0])]
        if batch.modality in SessionModality.values:
            allowed = [c for c in allowed if c[0] == batch.modality]
        modality_field: Any = self.fields["modality"]
        modality_field.choices = allowed
        # Only what the allowed modalities need: no meeting link for an on-site class, no room for an online one.
        values = {value for value, _label in allowed}
        if SessionModality.DARING not in values:
            del self.fields["meeting_url"]
            room_field.empty_label = _("Pilih ruang…")
            room_field.label = _("Ruang")
        if SessionModality.LURING not in values:
            del self.fields["room"]
        if not self.is_bound:
            self.initial.setdefault("modality", allowed[0][0] if allowed else "")
            if "room" in self.fields:
                self.initial.setdefault("room", batch.room_id)


def check_session_day(form: PlaceForm, field: str, day: dt.date | None) -> None:
    """A session is scheduled or moved to today or later, and not before its class starts (a session that took
    place without the system is recorded with a paper sheet on the session scheduled for it)."""
    if day is None:
        return
    if day < timezone.localdate():
        form.add_error(field, _("Tanggal ini sudah lewat. Pilih hari ini atau sesudahnya."))
    elif day > timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD):
        form.add_error(
            field, _("Tanggal ini terlalu jauh ke depan: pilih tanggal dalam setahun dari hari ini.")
        )
    elif day < form.batch.starts_on:
        form.add_error(
            field,
            _("Kelas ini mulai %(date)s. Pilih tanggal sejak itu.")
            % {"date": date_format(form.batch.starts_on, "j F Y")},
        )


class DecimalCommaField(forms.DecimalField):
    """A decimal typed either way: Indonesians write 2,5, English speakers and number pads 2.5.

    A text field with a decimal keypad, not a number field: a browser's number field drops the comma of
    "4,5" and sends 45."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            if value and not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", value):  # no "1e2", "NaN" or "Infinity"
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ScheduleForm(PlaceForm):
    field_order = [
        "first_date",
        "weekdays",
        "count",
        "skip_days_off",
        "starts_at",
        "ends_at",
        "hours",
        "topic",
    ]

    first_date = _date_field(_("Mulai tanggal"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Hari setiap minggu"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu hari.")},
    )
    count = forms.IntegerField(
        label=_("Jumlah sesi"),
        min_value=1,
        max_value=MAX_SESSIONS_AT_ONCE,
        error_messages={
            "required": _("Isi jumlah sesi."),
            "min_value": _("Paling sedikit 1 sesi."),
            "max_value": _("Paling banyak %(limit_value)s sesi sekaligus."),
            "invalid": _("Tulis angka."),
        },
    )
    skip_days_off = forms.BooleanField(
        label=_("Lewati hari libur"),
        required=False,
        initial=True,
        help_text=_(
            "Hari libur nasional, cuti bersama dan hari libur kota: sesinya pindah ke hari berikutnya dalam pola."
        ),
    )
    starts_at = _time_field(_("Jam mulai"))
    ends_at = _time_field(_("Jam selesai"))
    # No max_digits: with it, "1234" earned two messages (too many JP, too many digits); 12 caps it anyway.
    hours = DecimalCommaField(
        label=_("Jam pelajaran (JP) per sesi"),
        min_value=Decimal("0.5"),
        max_value=Decimal("12"),
        decimal_places=1,
        error_messages={
            "required": _("Isi jumlah JP."),
            "invalid": _("Tulis angka, misalnya 4 atau 2,5."),
            "min_value": _("Paling sedikit 0,5 JP."),
            "max_value": _("Paling banyak 12 JP per sesi."),
            "max_decimal_places": _("Paling banyak satu angka di belakang koma, misalnya 2,5."),
        },
    )
    topic = forms.CharField(label=_("Materi"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_session_day(self, "first_date", data.get("first_date"))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Jam selesai harus sesudah jam mulai."))
        return data


class MoveForm(PlaceForm):
    field_order = ["date", "starts_at", "ends_at"]

    date = _date_field(_("Tanggal baru"))
    starts_at = _time_field(_("Jam mulai"))
    ends_at = _time_field(_("Jam selesai"))
    reason = forms.CharField(label=_("Alasan perubahan"), required=False, max_length=300)
    on_day_off = forms.BooleanField(label=_("Tetap pada hari libur"), required=False)

    def setup(self) -> None:
        super().setup()
        # The day off the typed date falls on, once: the box is offered only then (most moves never need it),
        # and `clean` asks for it. A session already on that day (kept there before) may change its hours
        # without being asked again.
        self.day_off = self._day_off(self.data.get("date") if self.is_bound else None)
        if self.day_off is None or self.day_off[0] == self.initial.get("date"):
            self.day_off = None
            del self.fields["on_day_off"]

    def _day_off(self, value: Any) -> tuple[dt.date, str] | None:
        """The day off (date, name) that the typed `value` names, if it is one."""
        try:
            day = self.fields["date"].clean(value) if value else None
        except forms.ValidationError:
            return None
        if not isinstance(day, dt.date):
            return None
        name = days_off(day, day).get(day)
        return None if name is None else (day, name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_session_day(self, "date", data.get("date"))
        off = self.day_off
        if off is not None and not data.get("on_day_off"):
            self.add_error(
                "date",
                _("%(date)s hari libur (%(name)s). Pilih tanggal lain, atau centang “Tetap pada hari libur”.")
                % {"date": date_format(off[0], "j F Y"), "name": off[1]},
            )
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Jam selesai harus sesudah jam mulai."))
        return data


class ChecklistForm(StyledForm):
    items = forms.MultipleChoiceField(
        label=_("Butir protokol kesehatan yang sudah dipenuhi"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def setup(self) -> None:
        items_field: Any = self.fields["items"]
        items_field.choices = [
            (i.code, i.display_label) for i in ChecklistItem.objects.filter(is_active=True)
        ]


class CancelForm(StyledForm):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        max_length=300,
        help_text=_("Misalnya: hari libur, instruktur sakit, sesi tidak terlaksana. Dicatat di log audit."),
        error_messages={"required": _("Tulis alasan pembatalan; alasan ini dicatat.")},
    )


class CodeForm(StyledForm):
    code = forms.CharField(
        label=_("Kode hadir"),
        max_length=20,
        help_text=_("Kode di bawah kode QR yang ditampilkan operator, atau kode hadir sesi daring."),
        error_messages={"required": _("Tulis kode hadir.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )


class MarkRestForm(StyledForm):
    """One status for everyone not yet recorded (`MarkForm` adds the participant and a correction's reason)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=AttendanceStatus.choices,
        error_messages={
            "required": _("Pilih status kehadiran dari daftar."),
            "invalid_choice": _("Pilih status kehadiran dari daftar."),
        },
    )


class MarkForm(MarkRestForm):
    enrollment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Alasan (untuk koreksi)"), required=False, max_length=300)


def validate_sheet_size(file: Any) -> None:
    if file.size > SHEET_MAX_BYTES:
        raise forms.ValidationError(_("Berkas terlalu besar: paling besar 10 MB."))


# The first bytes of each accepted kind: a renamed .docx or .exe called "daftar.pdf" is refused at the door, so that
# what reviewers later open is what the name says.
SHEET_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_sheet_content(file: Any) -> None:
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    signatures = SHEET_SIGNATURES.get(extension)
    if signatures is None:
        return  # the extension validator has already said what is accepted
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(signatures):
        raise forms.ValidationError(
            _(
                "Isi berkas bukan %(kind)s, walau namanya berakhiran .%(extension)s. Unggah foto atau pindaian aslinya."
            ),
            params={"kind": extension.upper().replace("JPEG", "JPG"), "extension": extension},
        )


class SheetForm(StyledForm):
    file = forms.FileField(
        label=_("Foto atau pindaian daftar hadir bertanda tangan"),
        help_text=_("PDF, JPG atau PNG, paling besar 10 MB."),
        validators=[
            FileExtensionValidator(SHEET_EXTENSIONS, message=_("Unggah berkas PDF, JPG atau PNG.")),
            validate_sheet_size,
            validate_sheet_content,
        ],
        error_messages={"required": _("Pilih berkas."), "empty": _("Berkas itu kosong.")},
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=300)


class VisitForm(StyledForm):
    visited_on = _date_field(_("Tanggal kunjungan"))
    rating = forms.TypedChoiceField(
        label=_("Nilai (1 = buruk, 5 = sangat baik)"),
        choices=[("", _("Pilih nilai…")), *((n, str(n)) for n in range(1, 6))],
        coerce=int,
        error_messages={"required": _("Pilih nilai."), "invalid_choice": _("Pilih nilai 1 sampai 5.")},
    )
    notes = forms.CharField(
        label=_("Catatan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tuliskan catatan kunjungan.")},
    )

    def setup(self) -> None:
        if not self.is_bound:
            self.initial.setdefault("visited_on", timezone.localdate())

    def clean_visited_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal kunjungan tidak boleh di masa depan."))
        return day


class AssessmentForm(StyledForm):
    enrollment = forms.IntegerField(widget=forms.HiddenInput)
    passed = forms.TypedChoiceField(
        label=_("Hasil uji"),
        choices=[("1", _("Lulus")), ("0", _("Tidak lulus"))],
        coerce=lambda v: v == "1",
        error_messages={"required": _("Pilih hasil uji."), "invalid_choice": _("Pilih hasil uji.")},
    )
    score = DecimalCommaField(
        label=_("Nilai (0–100)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        error_messages={
            "invalid": _("Tulis angka 0 sampai 100."),
            "min_value": _("Nilai paling kecil 0."),
            "max_value": _("Nilai paling besar 100."),
            "max_decimal_places": _("Paling banyak dua angka di belakang koma, misalnya 87,25."),
        },
    )


class AssistedAnswerForm(StyledForm):
    """The answer a resident gives at the centre, with the code they read back from the SMS just sent."""

    answer = forms.ChoiceField(
        label=_("Jawaban warga"),
        choices=[("accept", _("Menerima kursi")), ("decline", _("Menolak kursi"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jawaban warga.")},
    )
    code = forms.RegexField(
        label=_("Kode dari SMS warga"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"required": _("Isi kode 6 angka."), "invalid": _("Kode terdiri dari 6 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "6"}),
    )
