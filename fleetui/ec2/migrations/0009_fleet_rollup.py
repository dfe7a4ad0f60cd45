"""FleetRollup: the overview's fleet mix and instance findings per scope, derived from the instances (issue 14's
overview figure at 100,000 instances). Filled here from the instances already stored, so the overview keeps its
numbers until each scope's next sync rebuilds them."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q


def fleet_rollup_fill(apps, schema_editor):
    """What fleetui.ec2.cost_store.fleet_rollup_store writes, for every scope at once (historical models)."""
    Instance = apps.get_model("ec2", "Instance")
    FleetRollup = apps.get_model("ec2", "FleetRollup")
    dimensions = ("account_id", "region", "state", "family", "category", "lifecycle", "tenancy")
    groups = (
        Instance.objects.filter(gone_at__isnull=True)
        .values(*dimensions)
        .annotate(
            instances=Count("pk"),
            no_key_pair=Count("pk", filter=Q(key_name="")),
            missing_owner=Count("pk", filter=~Q(tags__has_key="Owner")),
            public_ip=Count("pk", filter=Q(public_ip__isnull=False)),
            instance_store=Count("pk", filter=Q(has_instance_store=True)),
        )
        .order_by()
    )
    FleetRollup.objects.bulk_create([FleetRollup(**group) for group in groups], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('ec2', '0008_cost_prices'),
        ('inventory', '0008_history_overlay'),
    ]

    operations = [
        migrations.CreateModel(
            name='FleetRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('region', models.CharField(max_length=32)),
                ('state', models.CharField(max_length=16)),
                ('family', models.CharField(max_length=32)),
                ('category', models.CharField(max_length=32)),
                ('lifecycle', models.CharField(max_length=16)),
                ('tenancy', models.CharField(max_length=16)),
                ('instances', models.PositiveIntegerField()),
                ('no_key_pair', models.PositiveIntegerField(help_text='launched without a key pair')),
                ('missing_owner', models.PositiveIntegerField(help_text='without an Owner tag')),
                ('public_ip', models.PositiveIntegerField(help_text='with a public IP')),
                ('instance_store', models.PositiveIntegerField(help_text='with instance-store volumes')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('account', 'region', 'state', 'family', 'category', 'lifecycle', 'tenancy'), name='uniq_fleet_rollup')],
            },
        ),
        migrations.RunPython(fleet_rollup_fill, migrations.RunPython.noop),
    ]
