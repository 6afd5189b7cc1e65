"""Statistics of the upper-cased names, cities and registrations that the searches compare (`icontains`
is UPPER(column) LIKE UPPER('%term%') on PostgreSQL).

Without them PostgreSQL guessed that a search term matches one row in 200 and sorted every match
instead of reading the list's index in order: the report picker's search for "Indus" took 6 ms at
5,000 enterprises instead of 0.2 ms. Expression statistics need PostgreSQL 14; elsewhere nothing is done.
"""

from django.db import migrations

STATISTICS = {
    "enterprise_search_stats": (
        "enterprises_enterprise",
        "(upper(legal_name::text)), (upper(city::text)), (upper(registration_key::text))",
    ),
    "eoi_search_stats": (
        "enterprises_expressionofinterest",
        "(upper(legal_name::text)), (upper(city::text)), (upper(registration_key::text))",
    ),
}


def _postgresql_14(schema_editor) -> bool:
    connection = schema_editor.connection
    return connection.vendor == "postgresql" and connection.pg_version >= 140000


def create(apps, schema_editor):
    if _postgresql_14(schema_editor):
        for name, (table, expressions) in STATISTICS.items():
            schema_editor.execute(f"CREATE STATISTICS IF NOT EXISTS {name} ON {expressions} FROM {table}")
            schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if _postgresql_14(schema_editor):
        for name in STATISTICS:
            schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0013_enterprise_by_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
