"""Staff edit a year's letter template in the staff pages: the permission and its roles
(``roles.ACTIONS["edit_letter_template"]``)."""

from django.db import migrations

ACTIONS = {
    "edit_letter_template": ("analyst", "publisher", "administrator"),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("distribution")
    config.models_module = True  # let create_permissions run on the migration's app state
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for codename, roles in ACTIONS.items():
        permission = Permission.objects.get(
            content_type__app_label="distribution", codename=codename
        )
        for role in roles:
            Group.objects.get_or_create(name=role)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="distribution", codename__in=list(ACTIONS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0008_job_phases"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="yearcycle",
            options={
                "ordering": ["review_year__year"],
                "permissions": [
                    ("import_casework", "Import casework"),
                    ("compute_statistics", "Compute statistics"),
                    ("freeze_year", "Freeze a year's statistics"),
                    ("preview_letters", "Generate and preview letters"),
                    ("approve_year", "Approve a year's figures and letter template"),
                    ("send_letters", "Send a year's letters"),
                    ("correct_year", "Correct a year after issue"),
                    ("resend_letter", "Send a letter again to one recipient"),
                    ("edit_letter_template", "Edit a year's letter template"),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
