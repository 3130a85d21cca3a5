"""What was done for the people affected (renamed from `response_to_affected`, data kept) and
the request to customers: two narratives of the public documents (issue #10)."""

import django.core.validators
from django.db import migrations, models

SUPPORT_HELP = "e.g. apology, a call centre, monitoring of misuse (本人への対応)."
REQUEST_HELP = (
    "What readers are asked to do, e.g. not to open attachments or links of suspicious mail, "
    "to delete it, to check the sender address (お客様へのお願い)."
)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0011_status_effective_time"),
    ]

    operations = [
        migrations.RenameField("incident", "response_to_affected", "support_for_affected"),
        migrations.RenameField("historicalincident", "response_to_affected", "support_for_affected"),
        migrations.AlterField(
            model_name="incident",
            name="support_for_affected",
            field=models.TextField(
                blank=True,
                help_text=SUPPORT_HELP,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="what was done for the people affected",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="support_for_affected",
            field=models.TextField(
                blank=True,
                help_text=SUPPORT_HELP,
                verbose_name="what was done for the people affected",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="request_to_customers",
            field=models.TextField(
                blank=True, help_text=REQUEST_HELP, verbose_name="request to customers"
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="request_to_customers",
            field=models.TextField(
                blank=True,
                help_text=REQUEST_HELP,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="request to customers",
            ),
        ),
    ]
