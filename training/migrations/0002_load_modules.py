"""The five SCORE training modules and their objectives, as the programme brochure lists them."""

from django.db import migrations

MODULES = [
    (
        1,
        "Workplace Cooperation – A foundation for business success",
        "Unite employees around shared targets\nInvolve the entire workforce in continuous improvement",
    ),
    (
        2,
        "Quality – Managing Continuous Improvement",
        "Identify customer needs\nDevelop quality assurance culture\nReduce defects systematically",
    ),
    (
        3,
        "Productivity Through Cleaner Production",
        "Save costs and increase efficiency\nSystematically reduce waste & energy usage",
    ),
    (
        4,
        "Workforce Management for Cooperation and Business Success",
        "Develop Human Resource strategies for better recruitment & retention\n"
        "Motivate & develop the right people to make staff a competitive advantage",
    ),
    (
        5,
        "Safety & Health at Work: A Platform for Productivity",
        "Eliminate or minimise workplace health & safety risks that lead to injuries, expenses & lower productivity",
    ),
]


def load(apps, schema_editor):
    Module = apps.get_model("training", "Module")
    for number, title, objectives in MODULES:
        Module.objects.update_or_create(number=number, defaults={"title": title, "objectives": objectives})


def unload(apps, schema_editor):
    apps.get_model("training", "Module").objects.filter(number__in=[m[0] for m in MODULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_visits_eit_photos"),
    ]

    operations = [migrations.RunPython(load, unload)]
