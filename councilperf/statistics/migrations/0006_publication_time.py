import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0005_authoritystatistics_population_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewyear",
            name="publication_time",
            field=models.TimeField(
                default=datetime.time(9, 30),
                help_text="The time of day (Europe/London, the site's zone) the year is published.",
            ),
        ),
    ]
