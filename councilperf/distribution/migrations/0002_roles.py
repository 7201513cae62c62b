"""The staff roles as groups, each with the permissions of ``roles.ACTIONS``."""

from django.db import migrations

ACTIONS = {
    "import_casework": ("analyst", "administrator"),
    "compute_statistics": ("analyst", "administrator"),
    "freeze_year": ("analyst", "administrator"),
    "preview_letters": ("analyst", "publisher", "administrator"),
    "approve_year": ("publisher", "administrator"),
    "send_letters": ("publisher", "administrator"),
    "resend_letter": ("publisher", "administrator"),
    "correct_year": ("publisher", "administrator"),
}


def create_roles(apps, schema_editor):
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
            group, _ = Group.objects.get_or_create(name=role)
            group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["analyst", "publisher", "administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
