import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0009_edit_letter_template"),
        ("statistics", "0006_publication_time"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReleaseChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("old_date", models.DateField()),
                ("old_time", models.TimeField()),
                ("new_date", models.DateField()),
                ("new_time", models.TimeField()),
                (
                    "reason",
                    models.TextField(
                        help_text="Why the release moved (shown on the release calendar)."
                    ),
                ),
                (
                    "changed_by",
                    models.CharField(
                        help_text="Who changed it (or the command line).", max_length=150
                    ),
                ),
                ("changed_at", models.DateTimeField()),
                (
                    "review_year",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="release_changes",
                        to="statistics.reviewyear",
                    ),
                ),
            ],
            options={
                "ordering": ["review_year__year", "changed_at", "pk"],
            },
        ),
    ]
