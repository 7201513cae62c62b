"""Drop the normal-approximation funnel limits stored with every authority's figures.

``figures[part]["funnel_95"]`` and ``["funnel_998"]`` were the normal approximation at the
council's own size, which nothing read: the site labels and draws funnels from exact tail
probabilities (``statistics.core.tails``). Every other stored figure stays as it was.
"""

from typing import Any

from django.db import migrations

DROPPED = ("funnel_95", "funnel_998")


def without_normal_limits(figures: dict[str, Any]) -> dict[str, Any]:
    """``figures`` with the dropped keys left out of every part."""
    return {
        part: {k: v for k, v in found.items() if k not in DROPPED}
        if isinstance(found, dict)
        else found
        for part, found in figures.items()
    }


def drop(apps: Any, schema_editor: Any) -> None:
    rows = apps.get_model("statistics", "AuthorityStatistics").objects
    for pk, figures in rows.values_list("pk", "figures").iterator(chunk_size=2000):
        if not figures:
            continue
        cleaned = without_normal_limits(figures)
        if cleaned != figures:
            rows.filter(pk=pk).update(figures=cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0003_method_notes"),
    ]

    operations = [
        migrations.RunPython(drop, migrations.RunPython.noop),
    ]
