"""Organization codes prefix incident references, which become unique across organizations.

The first organization (by id) takes INC, so its references (the founding case's
INC-2022-0001) stay as they were; every other organization gets a code from its English
name and its references are rewritten from INC-... to CODE-...
"""

import incidents.models.case
from django.db import migrations, models


def assign_codes(apps, schema_editor):
    Organization = apps.get_model("incidents", "Organization")
    Incident = apps.get_model("incidents", "Incident")
    taken = set()
    for organization in Organization.objects.order_by("pk"):
        base = "".join(c for c in organization.name_en.upper() if c.isascii() and c.isalnum())[:8]
        if len(base) < 2 or not base[0].isalpha():
            base = "ORG"
        candidates = ("INC", base, *(f"{base[:7]}{n}" for n in range(2, 10000)))
        code = next(c for c in candidates if c not in taken)
        taken.add(code)
        organization.code = code
        organization.save(update_fields=["code"])
        if code == "INC":
            continue
        for incident in Incident.objects.filter(organization=organization):
            if incident.reference.startswith("INC-"):
                incident.reference = f"{code}-{incident.reference.removeprefix('INC-')}"
                incident.save(update_fields=["reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0012_support_and_request_to_customers"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="code",
            field=models.CharField(max_length=10, null=True, verbose_name="organization code"),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="code",
            field=models.CharField(max_length=10, null=True, verbose_name="organization code"),
        ),
        migrations.RemoveConstraint(
            model_name="incident",
            name="incident_reference_unique_per_org",
        ),
        migrations.RunPython(assign_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="code",
            field=models.CharField(
                help_text=(
                    "The prefix of the organization's incident references: ACME gives "
                    "ACME-2022-0001. References already given keep their prefix when the code "
                    "changes."
                ),
                max_length=10,
                unique=True,
                validators=[incidents.models.case.organization_code_validator],
                verbose_name="organization code",
            ),
        ),
        migrations.AlterField(
            model_name="historicalorganization",
            name="code",
            field=models.CharField(
                db_index=True,
                default="INC",
                help_text=(
                    "The prefix of the organization's incident references: ACME gives "
                    "ACME-2022-0001. References already given keep their prefix when the code "
                    "changes."
                ),
                max_length=10,
                validators=[incidents.models.case.organization_code_validator],
                verbose_name="organization code",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="reference",
            field=models.CharField(
                editable=False,
                help_text="Assigned automatically from the organization's code and the year, e.g. ACME-2022-0001; unique across organizations.",
                max_length=32,
                verbose_name="reference",
            ),
        ),
        migrations.AlterField(
            model_name="incident",
            name="reference",
            field=models.CharField(
                editable=False,
                help_text="Assigned automatically from the organization's code and the year, e.g. ACME-2022-0001; unique across organizations.",
                max_length=32,
                verbose_name="reference",
            ),
        ),
        migrations.AddConstraint(
            model_name="incident",
            constraint=models.UniqueConstraint(
                fields=["reference"], name="incident_reference_unique"
            ),
        ),
    ]
