from django.urls import path

from . import views

app_name = "allocation"
urlpatterns = [
    path("", views.runs, name="runs"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/umumkan/", views.publish, name="publish"),
    path("hasil-saya/", views.my_result, name="my-result"),
    path("tawaran/<int:pk>/terima/", views.accept, name="accept"),
    path("tawaran/<int:pk>/tolak/", views.decline, name="decline"),
    path("kursi/<int:pk>/mundur/", views.withdraw, name="withdraw"),
]
