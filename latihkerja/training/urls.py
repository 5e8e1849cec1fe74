from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.batches, name="batches"),
    path("tanpa-ceklis/", views.flagged, name="flagged"),
    path("kelas/<slug:code>/", views.batch_detail, name="batch"),
    path("kelas/<slug:code>/jadwal/", views.schedule, name="schedule"),
    path("kelas/<slug:code>/penilaian/", views.assessments, name="assessments"),
    path("kelas/<slug:code>/kunjungan/", views.visit, name="visit"),
    path("kelas/<slug:code>/tutup/", views.close, name="close"),
    path("kelas/<slug:code>/tawaran/<int:pk>/jawab/", views.answer_offer, name="answer-offer"),
    path("kelas/<slug:code>/bukti/", views.evidence, name="evidence"),
    path("kelas/<slug:code>/bukti.csv", views.evidence_export, {"fmt": "csv"}, name="evidence-csv"),
    path("kelas/<slug:code>/bukti.xlsx", views.evidence_export, {"fmt": "xlsx"}, name="evidence-xlsx"),
    path("sesi/<int:pk>/", views.session_detail, name="session"),
    path("sesi/<int:pk>/pindah/", views.move, name="move"),
    path("sesi/<int:pk>/batal/", views.cancel, name="cancel"),
    path("sesi/<int:pk>/ceklis/", views.sign, name="sign"),
    path("sesi/<int:pk>/mulai/", views.start, name="start"),
    path("sesi/<int:pk>/akhiri/", views.end, name="end"),
    path("sesi/<int:pk>/qr/", views.qr, name="qr"),
    path("sesi/<int:pk>/qr/kode/", views.qr_fragment, name="qr-fragment"),
    path("sesi/<int:pk>/tandai/", views.mark, name="mark"),
    path("sesi/<int:pk>/tandai-sisanya/", views.mark_rest, name="mark-rest"),
    path("sesi/<int:pk>/lembar/", views.sheet_upload, name="sheet-upload"),
    path("sesi/<int:pk>/lembar/<int:sheet_pk>/", views.sheet_download, name="sheet"),
    path("sesi/<int:pk>/kontak.csv", views.contacts, name="contacts"),
    path("jadwal-saya/", views.my_schedule, name="my-schedule"),
    path("jadwal-saya/<int:pk>/hadir/", views.check_in_with_code, name="check-in-code"),
    path("hadir/<int:pk>/<str:code>/", views.check_in_page, name="check-in"),
]
