"""Every narrative in Japanese and in English (issue #10): `<field>_ja` and `<field>_en` columns
(incidents/translation.py), and the text recorded so far moved into one of them.

Which column: the record does not say in which language a text was written (documents are ja or
en, the case is not). Text with any Japanese character (kana, kanji, full-width forms) goes to
`_ja`; text with none goes to `_en`, so that an English text entered through the API is not
printed in a Japanese document as if it were Japanese, and the founding case's Japanese text
stays Japanese. The other language is left empty: a document in it shows the gap instead of
the wrong language. The plain column is kept (django-modeltranslation keeps it in step).
"""

import re

import django.core.validators
import incidents.limits
from django.db import migrations, models


JAPANESE = re.compile(
    "[\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)

NARRATIVES = {
    "organization": [
        "address",
        "representative_title",
        "representative_name",
        "regulator_contact_name",
        "public_contact_name",
        "copyright_notice",
    ],
    "incident": [
        "title",
        "summary",
        "discovered_by",
        "description_of_events",
        "personal_data_detail",
        "cause",
        "secondary_damage",
        "support_for_affected",
        "request_to_customers",
        "data_subject_categories",
        "gdpr_unlikely_risk_reason",
        "gdpr_delay_reason",
    ],
    "milestone": ["title", "detail"],
    "engagement": ["vendor", "scope"],
    "finding": ["summary", "conclusion"],
    "action": ["title", "description", "verification"],
}


def split_by_language(apps, schema_editor):
    for model_name, fields in NARRATIVES.items():
        model = apps.get_model("incidents", model_name)
        for row in model.objects.only("pk", *fields).iterator(chunk_size=500):
            changed = []
            for field in fields:
                value = getattr(row, field)
                if value:
                    language = "ja" if JAPANESE.search(value) else "en"
                    setattr(row, f"{field}_{language}", value)
                    changed.append(f"{field}_{language}")
            if changed:
                row.save(update_fields=changed)


def join_languages(apps, schema_editor):
    """Back: the plain column keeps its value all along; nothing to undo."""


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0013_organization_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="description_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="description_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="title_en",
            field=models.CharField(max_length=300, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="action",
            name="title_ja",
            field=models.CharField(max_length=300, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="action",
            name="verification_en",
            field=models.TextField(
                blank=True,
                help_text="How it was verified that the measure works.",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="verification",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="verification_ja",
            field=models.TextField(
                blank=True,
                help_text="How it was verified that the measure works.",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="verification",
            ),
        ),
        migrations.AddField(
            model_name="engagement",
            name="scope_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="scope",
            ),
        ),
        migrations.AddField(
            model_name="engagement",
            name="scope_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="scope",
            ),
        ),
        migrations.AddField(
            model_name="engagement",
            name="vendor_en",
            field=models.CharField(max_length=200, null=True, verbose_name="vendor"),
        ),
        migrations.AddField(
            model_name="engagement",
            name="vendor_ja",
            field=models.CharField(max_length=200, null=True, verbose_name="vendor"),
        ),
        migrations.AddField(
            model_name="finding",
            name="conclusion_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="conclusion",
            ),
        ),
        migrations.AddField(
            model_name="finding",
            name="conclusion_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="conclusion",
            ),
        ),
        migrations.AddField(
            model_name="finding",
            name="summary_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="finding",
            name="summary_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="description_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="description_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="title_en",
            field=models.CharField(max_length=300, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="title_ja",
            field=models.CharField(max_length=300, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="verification_en",
            field=models.TextField(
                blank=True,
                help_text="How it was verified that the measure works.",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="verification",
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="verification_ja",
            field=models.TextField(
                blank=True,
                help_text="How it was verified that the measure works.",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="verification",
            ),
        ),
        migrations.AddField(
            model_name="historicalengagement",
            name="scope_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="scope",
            ),
        ),
        migrations.AddField(
            model_name="historicalengagement",
            name="scope_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="scope",
            ),
        ),
        migrations.AddField(
            model_name="historicalengagement",
            name="vendor_en",
            field=models.CharField(max_length=200, null=True, verbose_name="vendor"),
        ),
        migrations.AddField(
            model_name="historicalengagement",
            name="vendor_ja",
            field=models.CharField(max_length=200, null=True, verbose_name="vendor"),
        ),
        migrations.AddField(
            model_name="historicalfinding",
            name="conclusion_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="conclusion",
            ),
        ),
        migrations.AddField(
            model_name="historicalfinding",
            name="conclusion_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="conclusion",
            ),
        ),
        migrations.AddField(
            model_name="historicalfinding",
            name="summary_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="historicalfinding",
            name="summary_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="cause_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="cause",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="cause_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="cause",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="data_subject_categories_en",
            field=models.TextField(
                blank=True,
                help_text="e.g. customers, business partners, employees (GDPR Art. 33(3)(a)).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="categories of data subjects",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="data_subject_categories_ja",
            field=models.TextField(
                blank=True,
                help_text="e.g. customers, business partners, employees (GDPR Art. 33(3)(a)).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="categories of data subjects",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="description_of_events_en",
            field=models.TextField(
                blank=True,
                help_text="What happened, in order (事実経過).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description of events",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="description_of_events_ja",
            field=models.TextField(
                blank=True,
                help_text="What happened, in order (事実経過).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description of events",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="discovered_by_en",
            field=models.CharField(
                blank=True,
                help_text="Who found it (発見者).",
                max_length=200,
                null=True,
                verbose_name="discovered by",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="discovered_by_ja",
            field=models.CharField(
                blank=True,
                help_text="Who found it (発見者).",
                max_length=200,
                null=True,
                verbose_name="discovered by",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="gdpr_delay_reason_en",
            field=models.TextField(
                blank=True,
                help_text="Accompanies a GDPR notification made after 72 hours (Art. 33(1)).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="reasons for a late notification",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="gdpr_delay_reason_ja",
            field=models.TextField(
                blank=True,
                help_text="Accompanies a GDPR notification made after 72 hours (Art. 33(1)).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="reasons for a late notification",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="gdpr_unlikely_risk_reason_en",
            field=models.TextField(
                blank=True,
                max_length=4000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(4000)],
                verbose_name="why a risk is unlikely",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="gdpr_unlikely_risk_reason_ja",
            field=models.TextField(
                blank=True,
                max_length=4000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(4000)],
                verbose_name="why a risk is unlikely",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="personal_data_detail_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="personal-data details",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="personal_data_detail_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="personal-data details",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="request_to_customers_en",
            field=models.TextField(
                blank=True,
                help_text="What readers are asked to do, e.g. not to open attachments or links of suspicious mail, to delete it, to check the sender address (お客様へのお願い).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="request to customers",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="request_to_customers_ja",
            field=models.TextField(
                blank=True,
                help_text="What readers are asked to do, e.g. not to open attachments or links of suspicious mail, to delete it, to check the sender address (お客様へのお願い).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="request to customers",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="secondary_damage_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="secondary damage",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="secondary_damage_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="secondary damage",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="summary_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="summary_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="support_for_affected_en",
            field=models.TextField(
                blank=True,
                help_text="e.g. apology, a call centre, monitoring of misuse (本人への対応).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="what was done for the people affected",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="support_for_affected_ja",
            field=models.TextField(
                blank=True,
                help_text="e.g. apology, a call centre, monitoring of misuse (本人への対応).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="what was done for the people affected",
            ),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="title_en",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalincident",
            name="title_ja",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="detail_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="detail",
            ),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="detail_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="detail",
            ),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="title_en",
            field=models.CharField(max_length=300, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="title_ja",
            field=models.CharField(max_length=300, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="address_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="address",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="address_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="address",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="copyright_notice_en",
            field=models.CharField(
                blank=True,
                help_text="Printed at the foot of public documents, e.g. “(c) 2016 D1 Seihan-P”.",
                max_length=200,
                null=True,
                verbose_name="copyright notice",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="copyright_notice_ja",
            field=models.CharField(
                blank=True,
                help_text="Printed at the foot of public documents, e.g. “(c) 2016 D1 Seihan-P”.",
                max_length=200,
                null=True,
                verbose_name="copyright notice",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="public_contact_name_en",
            field=models.CharField(
                blank=True, max_length=200, null=True, verbose_name="contact for the public"
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="public_contact_name_ja",
            field=models.CharField(
                blank=True, max_length=200, null=True, verbose_name="contact for the public"
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="regulator_contact_name_en",
            field=models.CharField(
                blank=True, max_length=200, null=True, verbose_name="contact for the regulator"
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="regulator_contact_name_ja",
            field=models.CharField(
                blank=True, max_length=200, null=True, verbose_name="contact for the regulator"
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="representative_name_en",
            field=models.CharField(
                blank=True, max_length=100, null=True, verbose_name="representative's name"
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="representative_name_ja",
            field=models.CharField(
                blank=True, max_length=100, null=True, verbose_name="representative's name"
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="representative_title_en",
            field=models.CharField(
                blank=True, max_length=100, null=True, verbose_name="representative's title"
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="representative_title_ja",
            field=models.CharField(
                blank=True, max_length=100, null=True, verbose_name="representative's title"
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="cause_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="cause",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="cause_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="cause",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="data_subject_categories_en",
            field=models.TextField(
                blank=True,
                help_text="e.g. customers, business partners, employees (GDPR Art. 33(3)(a)).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="categories of data subjects",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="data_subject_categories_ja",
            field=models.TextField(
                blank=True,
                help_text="e.g. customers, business partners, employees (GDPR Art. 33(3)(a)).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="categories of data subjects",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="description_of_events_en",
            field=models.TextField(
                blank=True,
                help_text="What happened, in order (事実経過).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description of events",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="description_of_events_ja",
            field=models.TextField(
                blank=True,
                help_text="What happened, in order (事実経過).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description of events",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="discovered_by_en",
            field=models.CharField(
                blank=True,
                help_text="Who found it (発見者).",
                max_length=200,
                null=True,
                verbose_name="discovered by",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="discovered_by_ja",
            field=models.CharField(
                blank=True,
                help_text="Who found it (発見者).",
                max_length=200,
                null=True,
                verbose_name="discovered by",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="gdpr_delay_reason_en",
            field=models.TextField(
                blank=True,
                help_text="Accompanies a GDPR notification made after 72 hours (Art. 33(1)).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="reasons for a late notification",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="gdpr_delay_reason_ja",
            field=models.TextField(
                blank=True,
                help_text="Accompanies a GDPR notification made after 72 hours (Art. 33(1)).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="reasons for a late notification",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="gdpr_unlikely_risk_reason_en",
            field=models.TextField(
                blank=True,
                max_length=4000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(4000)],
                verbose_name="why a risk is unlikely",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="gdpr_unlikely_risk_reason_ja",
            field=models.TextField(
                blank=True,
                max_length=4000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(4000)],
                verbose_name="why a risk is unlikely",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="personal_data_detail_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="personal-data details",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="personal_data_detail_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="personal-data details",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="request_to_customers_en",
            field=models.TextField(
                blank=True,
                help_text="What readers are asked to do, e.g. not to open attachments or links of suspicious mail, to delete it, to check the sender address (お客様へのお願い).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="request to customers",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="request_to_customers_ja",
            field=models.TextField(
                blank=True,
                help_text="What readers are asked to do, e.g. not to open attachments or links of suspicious mail, to delete it, to check the sender address (お客様へのお願い).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="request to customers",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="secondary_damage_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="secondary damage",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="secondary_damage_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="secondary damage",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="summary_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="summary_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="support_for_affected_en",
            field=models.TextField(
                blank=True,
                help_text="e.g. apology, a call centre, monitoring of misuse (本人への対応).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="what was done for the people affected",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="support_for_affected_ja",
            field=models.TextField(
                blank=True,
                help_text="e.g. apology, a call centre, monitoring of misuse (本人への対応).",
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="what was done for the people affected",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="title_en",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="incident",
            name="title_ja",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="milestone",
            name="detail_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="detail",
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="detail_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="detail",
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="title_en",
            field=models.CharField(max_length=300, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="milestone",
            name="title_ja",
            field=models.CharField(max_length=300, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="organization",
            name="address_en",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="address",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="address_ja",
            field=models.TextField(
                blank=True,
                max_length=20000,
                null=True,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="address",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="copyright_notice_en",
            field=models.CharField(
                blank=True,
                help_text="Printed at the foot of public documents, e.g. “(c) 2016 D1 Seihan-P”.",
                max_length=200,
                null=True,
                verbose_name="copyright notice",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="copyright_notice_ja",
            field=models.CharField(
                blank=True,
                help_text="Printed at the foot of public documents, e.g. “(c) 2016 D1 Seihan-P”.",
                max_length=200,
                null=True,
                verbose_name="copyright notice",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="public_contact_name_en",
            field=models.CharField(
                blank=True, max_length=200, null=True, verbose_name="contact for the public"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="public_contact_name_ja",
            field=models.CharField(
                blank=True, max_length=200, null=True, verbose_name="contact for the public"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="regulator_contact_name_en",
            field=models.CharField(
                blank=True, max_length=200, null=True, verbose_name="contact for the regulator"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="regulator_contact_name_ja",
            field=models.CharField(
                blank=True, max_length=200, null=True, verbose_name="contact for the regulator"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="representative_name_en",
            field=models.CharField(
                blank=True, max_length=100, null=True, verbose_name="representative's name"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="representative_name_ja",
            field=models.CharField(
                blank=True, max_length=100, null=True, verbose_name="representative's name"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="representative_title_en",
            field=models.CharField(
                blank=True, max_length=100, null=True, verbose_name="representative's title"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="representative_title_ja",
            field=models.CharField(
                blank=True, max_length=100, null=True, verbose_name="representative's title"
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="description",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="done_at",
            field=models.DateTimeField(
                blank=True,
                null=True,
                validators=[incidents.limits.validate_in_range],
                verbose_name="done at",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="due_date",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[incidents.limits.validate_in_range],
                verbose_name="due date",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="verification",
            field=models.TextField(
                blank=True,
                help_text="How it was verified that the measure works.",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="verification",
            ),
        ),
        migrations.AlterField(
            model_name="historicalengagement",
            name="requested_at",
            field=models.DateTimeField(
                validators=[incidents.limits.validate_in_range], verbose_name="requested at"
            ),
        ),
        migrations.AlterField(
            model_name="historicalengagement",
            name="scope",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="scope",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfinding",
            name="conclusion",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="conclusion",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfinding",
            name="reported_at",
            field=models.DateTimeField(
                validators=[incidents.limits.validate_in_range], verbose_name="reported at"
            ),
        ),
        migrations.AlterField(
            model_name="historicalfinding",
            name="summary",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="appi_exemption_reason",
            field=models.TextField(
                blank=True,
                help_text="Which principal was notified and when, or how the data was encrypted.",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="why the exemption holds",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="cause",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="cause",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="data_subject_categories",
            field=models.TextField(
                blank=True,
                help_text="e.g. customers, business partners, employees (GDPR Art. 33(3)(a)).",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="categories of data subjects",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="description_of_events",
            field=models.TextField(
                blank=True,
                help_text="What happened, in order (事実経過).",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="description of events",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="gdpr_delay_reason",
            field=models.TextField(
                blank=True,
                help_text="Accompanies a GDPR notification made after 72 hours (Art. 33(1)).",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="reasons for a late notification",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="gdpr_unlikely_risk_reason",
            field=models.TextField(
                blank=True,
                max_length=4000,
                validators=[django.core.validators.MaxLengthValidator(4000)],
                verbose_name="why a risk is unlikely",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="personal_data_detail",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="personal-data details",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="request_to_customers",
            field=models.TextField(
                blank=True,
                help_text="What readers are asked to do, e.g. not to open attachments or links of suspicious mail, to delete it, to check the sender address (お客様へのお願い).",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="request to customers",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="secondary_damage",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="secondary damage",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="summary",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="summary",
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="support_for_affected",
            field=models.TextField(
                blank=True,
                help_text="e.g. apology, a call centre, monitoring of misuse (本人への対応).",
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="what was done for the people affected",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmilestone",
            name="detail",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="detail",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmilestone",
            name="occurred_at",
            field=models.DateTimeField(
                validators=[incidents.limits.validate_in_range], verbose_name="occurred at"
            ),
        ),
        migrations.AlterField(
            model_name="historicalorganization",
            name="address",
            field=models.TextField(
                blank=True,
                max_length=20000,
                validators=[django.core.validators.MaxLengthValidator(20000)],
                verbose_name="address",
            ),
        ),
        migrations.RunPython(split_by_language, join_languages),
    ]
