from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0008_diagnosis"),
    ]

    operations = [
        migrations.AddField(
            model_name="deal",
            name="external_id",
            field=models.CharField(blank=True, max_length=100, verbose_name="CRM id"),
        ),
        migrations.AddField(
            model_name="historicaldeal",
            name="external_id",
            field=models.CharField(blank=True, max_length=100, verbose_name="CRM id"),
        ),
        migrations.AddConstraint(
            model_name="deal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("plan", "external_id"),
                name="deal_external_id_unique",
                violation_error_message="The plan already has a deal with this CRM id.",
            ),
        ),
    ]
