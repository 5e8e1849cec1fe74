"""The vocabulary of the summary tables: scopes, dimensions and measures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """Whose dashboard a figure belongs to: the whole city, one OPD (its themes) or one centre."""

    CITY = "city", _("Kota")
    AGENCY = "agency", _("OPD")
    CENTER = "center", _("BLK")


class Dimension(models.TextChoices):
    TOTAL = "total", _("Jumlah")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    THEME = "theme", _("Tema")
    AGENCY = "agency", _("OPD")
    CENTER = "center", _("BLK")
    MODALITY = "modality", _("Modalitas")
    SEX = "sex", _("Jenis kelamin")
    AGE_BAND = "age_band", _("Kelompok usia")
    EMPLOYMENT = "employment", _("Status pekerjaan")
    MONTH = "month", _("Bulan")


class Measure(models.TextChoices):
    """Person measures count residents (suppressed in open data when small); the others count batches,
    sessions or declared headcount."""

    REGISTERED = "registered", _("Pendaftar")
    ALLOCATED = "allocated", _("Mendapat kursi")
    ATTENDING = "attending", _("Hadir pelatihan")
    COMPLETED = "completed", _("Lulus")
    NOT_COMPLETED = "not_completed", _("Tidak lulus")
    DROPPED_OUT = "dropped_out", _("Putus di tengah jalan")
    WITHDRAWN = "withdrawn", _("Mengundurkan diri")
    BATCHES = "batches", _("Kelas")
    BATCHES_AT_MINIMUM = "batches_at_minimum", _("Kelas memenuhi minimum")
    LURING_SESSIONS = "luring_sessions", _("Sesi luring terlaksana")
    SIGNED_SESSIONS = "signed_sessions", _("Sesi luring dengan ceklis protokol")
    DEMAND = "demand", _("Kebutuhan perusahaan (orang)")


PERSON_MEASURES = frozenset(
    {
        Measure.REGISTERED,
        Measure.ALLOCATED,
        Measure.ATTENDING,
        Measure.COMPLETED,
        Measure.NOT_COMPLETED,
        Measure.DROPPED_OUT,
        Measure.WITHDRAWN,
    }
)


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV")
    PDF = "pdf", _("PDF ringkasan")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
