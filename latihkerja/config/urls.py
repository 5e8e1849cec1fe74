from django.contrib import admin
from django.urls import include, path

from latihkerja.api.urls import api
from latihkerja.common.views import favicon, healthz

urlpatterns = [
    path("", include("latihkerja.programs.urls")),
    path("pelatihan/", include("latihkerja.batches.urls")),
    path("blk/", include("latihkerja.centers.urls")),
    path("akun/", include("latihkerja.accounts.urls")),
    path("daftar/", include("latihkerja.registration.urls")),
    path("akun/saya/bantu-daftar/", include("latihkerja.registration.assisted_urls")),
    path("akun/saya/", include("latihkerja.residents.urls")),
    path("saya/impor/", include("latihkerja.registration.import_urls")),
    path("alokasi/", include("latihkerja.allocation.urls")),
    path("rencana/", include("latihkerja.planning.urls")),
    path("pemberi-kerja/", include("latihkerja.demand.urls")),
    path("pelatihan-berjalan/", include("latihkerja.training.urls")),
    path("sertifikat/", include("latihkerja.certificates.urls")),
    path("dasbor/", include("latihkerja.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("dev/", include("latihkerja.notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "latihkerja.common.views.bad_request"
handler403 = "latihkerja.common.views.permission_denied"
handler404 = "latihkerja.common.views.page_not_found"
handler500 = "latihkerja.common.views.server_error"
