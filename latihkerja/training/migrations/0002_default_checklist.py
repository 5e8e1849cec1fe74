"""The health-protocol checklist of the 2020 programme (SPEC: masks, hand-washing, distancing, ventilation,
screening). Bappeda can edit, reorder or retire items in the admin; sign-offs keep a snapshot."""

from django.db import migrations

DEFAULT_ITEMS = [
    ("masker", "Semua peserta dan pengajar memakai masker", "Everyone wears a mask"),
    ("cuci-tangan", "Tempat cuci tangan dengan sabun tersedia", "A hand-washing station with soap is available"),
    ("jaga-jarak", "Kursi diatur berjarak minimal 1 meter", "Seats are at least 1 metre apart"),
    ("ventilasi", "Ruangan berventilasi baik (jendela/pintu terbuka)", "The room is well ventilated"),
    ("skrining", "Suhu tubuh peserta diperiksa di pintu masuk", "Body temperature is screened at the door"),
]


def add_items(apps, schema_editor):
    ChecklistItem = apps.get_model("training", "ChecklistItem")
    for position, (code, label, label_en) in enumerate(DEFAULT_ITEMS, start=1):
        ChecklistItem.objects.get_or_create(
            code=code, defaults={"label": label, "label_en": label_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(add_items, migrations.RunPython.noop)]
