from django.urls import path

from . import views

urlpatterns = [
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
]
