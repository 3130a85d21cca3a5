from django.contrib.admin.apps import AdminConfig


class TaisakuAdminConfig(AdminConfig):
    default_site = "config.admin.TaisakuAdminSite"
