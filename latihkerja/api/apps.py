from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "latihkerja.api"
    verbose_name = "API"
