"""The overview reads its fleet mix from FleetRollup (0009), so the instances' covering index for it serves no query
now; dropped, it is one index fewer that every instance write (a sync's, a cost's) must update."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ec2", "0010_reservation_units_unused"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="instance",
            name="instance_overview_mix_idx",
        ),
    ]
