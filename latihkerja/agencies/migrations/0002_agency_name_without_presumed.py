"""Agency names loaded with the source's "(dugaan)" (presumed) marker lose it: it showed on class pages and
certificates. `name_verified` already records that the name is unconfirmed."""

from django.db import migrations

PRESUMED = " (dugaan)"


def strip_marker(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    for agency in Agency.objects.filter(name__endswith=PRESUMED):
        agency.name = agency.name.removesuffix(PRESUMED)
        agency.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]

    operations = [migrations.RunPython(strip_marker, migrations.RunPython.noop)]
