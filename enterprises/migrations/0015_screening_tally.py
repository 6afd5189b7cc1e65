from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

TALLIES = {"criteria_met": "met", "criteria_conditional": "conditional", "criteria_not_met": "not_met"}


def count_criteria(apps, schema_editor):
    """Every screening made before: its tally counted from its criteria, one UPDATE per verdict."""
    Screening = apps.get_model("enterprises", "Screening")
    CriterionResult = apps.get_model("enterprises", "CriterionResult")
    for field, verdict in TALLIES.items():
        counted = (
            CriterionResult.objects.filter(screening=OuterRef("pk"), verdict=verdict)
            .order_by()
            .values("screening")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Screening.objects.update(**{field: Coalesce(Subquery(counted), 0)})


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0014_search_statistics"),
    ]

    operations = [
        migrations.AddField(
            model_name="screening",
            name="criteria_conditional",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="screening",
            name="criteria_met",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="screening",
            name="criteria_not_met",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(count_criteria, migrations.RunPython.noop, elidable=True),
    ]
