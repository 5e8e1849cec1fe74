from django.urls import path

from . import views

app_name = "centers"
urlpatterns = [path("<slug:code>/", views.center_detail, name="detail")]
