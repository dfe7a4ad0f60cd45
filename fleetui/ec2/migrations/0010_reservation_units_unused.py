"""ReservedInstance.units_unused: the normalized units no instance uses, derived from the stored coverage
(fleetui.ec2.reservations.units_unused_store), so the overview's tile and `?unused=` read a column. Filled here from
the uses already stored, so the tile keeps its number until each scope's next sync."""

from django.db import migrations, models
from django.db.models import Sum

from fleetui.ec2.coverage import units_of  # a pure function of the type's name


def units_unused_fill(apps, schema_editor):
    ReservedInstance = apps.get_model("ec2", "ReservedInstance")
    ReservationUse = apps.get_model("ec2", "ReservationUse")
    used = dict(ReservationUse.objects.values("reservation").annotate(units=Sum("units")).values_list("reservation", "units"))
    changed = []
    for pk, kind, count in ReservedInstance.objects.values_list("pk", "instance_type", "instance_count"):
        changed.append(ReservedInstance(pk=pk, units_unused=round(count * units_of(kind) - used.get(pk, 0.0), 6)))
    ReservedInstance.objects.bulk_update(changed, ["units_unused"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('ec2', '0009_fleet_rollup'),
    ]

    operations = [
        migrations.AddField(
            model_name='reservedinstance',
            name='units_unused',
            field=models.FloatField(default=0, help_text='normalized units bought that no running instance uses'),
        ),
        migrations.RunPython(units_unused_fill, migrations.RunPython.noop),
    ]
