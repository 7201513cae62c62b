"""Analysts (and administrators) may upload casework in the admin: add cases, see imports."""

from django.db import migrations

GRANTS = {
    ("casework", "add_case"): ("analyst", "administrator"),
    ("casework", "view_importrun"): ("analyst", "administrator"),
    ("casework", "view_case"): ("analyst", "administrator"),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("casework")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for (app, codename), roles in GRANTS.items():
        permission = Permission.objects.get(content_type__app_label=app, codename=codename)
        for role in roles:
            Group.objects.get_or_create(name=role)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for (app, codename), roles in GRANTS.items():
        permission = Permission.objects.filter(content_type__app_label=app, codename=codename)
        for group in Group.objects.filter(name__in=roles):
            group.permissions.remove(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0003_sent_email"),
        ("casework", "0005_drop_received_date_index"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
