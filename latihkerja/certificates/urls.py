from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.verify_form, name="verify-form"),
    path("saya/", views.mine, name="mine"),
    path("kelola/", views.batch_index, name="batches"),
    path("kelola/kelas/<int:batch_id>/", views.batch_detail, name="batch"),
    path("kelola/kelas/<int:batch_id>/terbitkan/", views.batch_issue, name="batch-issue"),
    path("kelola/kelas/<int:batch_id>/ekspor.zip", views.batch_export, name="batch-export"),
    path("unduh/<str:number>/", views.download, name="download"),
    path("cabut/<str:number>/", views.revoke_view, name="revoke"),
    path("<str:number>/", views.verify, name="verify"),
]
