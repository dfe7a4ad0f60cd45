"""The EC2 models, moved here from the inventory app. State only: the tables they had there (`inventory_instance`,
...) are theirs now, with every row, index and constraint; their content types follow them, so permissions and admin
history stay attached."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = [
    "instancetype", "instance", "placementgroup", "keypair", "elasticip", "image", "securitygroup",
    "networkinterface", "volume",
]


def _relabel(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_move(apps, schema_editor):
    _relabel(apps, "inventory", "ec2")


def content_types_move_back(apps, schema_editor):
    _relabel(apps, "ec2", "inventory")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('inventory', '0005_move_ec2_models_to_ec2'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='InstanceType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=64, unique=True)),
                        ('family', models.CharField(db_index=True, max_length=32)),
                        ('category', models.CharField(db_index=True, max_length=32)),
                        ('vcpus', models.PositiveIntegerField()),
                        ('memory_mib', models.PositiveIntegerField()),
                        ('gpus', models.PositiveIntegerField(default=0)),
                        ('gpu_memory_mib', models.PositiveIntegerField(default=0)),
                        ('accelerators', models.PositiveIntegerField(default=0)),
                        ('instance_storage_gb', models.PositiveIntegerField(default=0)),
                        ('network_performance', models.CharField(blank=True, max_length=64)),
                        ('architectures', models.JSONField(blank=True, default=list)),
                        ('current_generation', models.BooleanField(default=True)),
                        ('last_seen', models.DateTimeField()),
                    ],
                    options={
                        'db_table': 'inventory_instancetype',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ElasticIP',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.CharField(max_length=32)),
                        ('tags', models.JSONField(blank=True, default=dict)),
                        ('first_seen', models.DateTimeField()),
                        ('last_seen', models.DateTimeField()),
                        ('gone_at', models.DateTimeField(blank=True, help_text='Set when a complete sync no longer saw it.', null=True)),
                        ('allocation_id', models.CharField(max_length=32)),
                        ('public_ip', models.GenericIPAddressField()),
                        ('domain', models.CharField(blank=True, max_length=16)),
                        ('association_id', models.CharField(blank=True, max_length=32)),
                        ('instance_id', models.CharField(blank=True, db_index=True, max_length=32)),
                        ('network_interface_id', models.CharField(blank=True, max_length=32)),
                        ('private_ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
                    ],
                    options={
                        'db_table': 'inventory_elasticip',
                        'verbose_name': 'Elastic IP',
                        'ordering': ['public_ip'],
                        'constraints': [models.UniqueConstraint(fields=('account', 'region', 'allocation_id'), name='uniq_eip')],
                    },
                ),
                migrations.CreateModel(
                    name='Image',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.CharField(max_length=32)),
                        ('tags', models.JSONField(blank=True, default=dict)),
                        ('first_seen', models.DateTimeField()),
                        ('last_seen', models.DateTimeField()),
                        ('gone_at', models.DateTimeField(blank=True, help_text='Set when a complete sync no longer saw it.', null=True)),
                        ('image_id', models.CharField(max_length=32)),
                        ('name', models.CharField(blank=True, max_length=255)),
                        ('description', models.TextField(blank=True)),
                        ('state', models.CharField(max_length=16)),
                        ('owner_id', models.CharField(blank=True, max_length=12)),
                        ('public', models.BooleanField(default=False)),
                        ('architecture', models.CharField(blank=True, max_length=16)),
                        ('platform', models.CharField(blank=True, max_length=64)),
                        ('root_device_type', models.CharField(blank=True, max_length=16)),
                        ('virtualization_type', models.CharField(blank=True, max_length=16)),
                        ('creation_date', models.DateTimeField(blank=True, null=True)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
                    ],
                    options={
                        'db_table': 'inventory_image',
                        'verbose_name': 'AMI',
                        'ordering': ['-creation_date'],
                        'constraints': [models.UniqueConstraint(fields=('account', 'region', 'image_id'), name='uniq_image')],
                    },
                ),
                migrations.CreateModel(
                    name='Instance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.CharField(max_length=32)),
                        ('tags', models.JSONField(blank=True, default=dict)),
                        ('first_seen', models.DateTimeField()),
                        ('last_seen', models.DateTimeField()),
                        ('gone_at', models.DateTimeField(blank=True, help_text='Set when a complete sync no longer saw it.', null=True)),
                        ('instance_id', models.CharField(max_length=32)),
                        ('name', models.CharField(blank=True, db_index=True, max_length=256)),
                        ('state', models.CharField(db_index=True, max_length=16)),
                        ('availability_zone', models.CharField(db_index=True, max_length=32)),
                        ('family', models.CharField(db_index=True, max_length=32)),
                        ('category', models.CharField(db_index=True, max_length=32)),
                        ('lifecycle', models.CharField(db_index=True, help_text='on-demand, spot, scheduled, capacity-block', max_length=16)),
                        ('spot_request_id', models.CharField(blank=True, max_length=64)),
                        ('tenancy', models.CharField(db_index=True, max_length=16)),
                        ('host_id', models.CharField(blank=True, max_length=64)),
                        ('placement_group', models.CharField(blank=True, db_index=True, max_length=255)),
                        ('partition_number', models.PositiveIntegerField(blank=True, null=True)),
                        ('key_name', models.CharField(blank=True, db_index=True, max_length=255)),
                        ('image_id', models.CharField(blank=True, db_index=True, max_length=32)),
                        ('platform', models.CharField(blank=True, max_length=64)),
                        ('architecture', models.CharField(blank=True, max_length=16)),
                        ('launch_time', models.DateTimeField(db_index=True, null=True)),
                        ('private_ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('public_ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('vpc_id', models.CharField(blank=True, max_length=32)),
                        ('subnet_id', models.CharField(blank=True, max_length=32)),
                        ('security_groups', models.JSONField(blank=True, default=list, help_text='[{"id": ..., "name": ...}]')),
                        ('eni_count', models.PositiveIntegerField(default=0)),
                        ('volume_ids', models.JSONField(blank=True, default=list)),
                        ('iam_instance_profile', models.CharField(blank=True, max_length=2048)),
                        ('search_text', models.TextField(blank=True)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
                        ('instance_type', models.ForeignKey(db_column='instance_type', db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ec2.instancetype', to_field='name')),
                    ],
                    options={
                        'db_table': 'inventory_instance',
                        'ordering': ['instance_id'],
                        'indexes': [models.Index(fields=['instance_id'], name='instance_id_idx'), models.Index(condition=models.Q(('gone_at__isnull', True)), fields=['instance_id', 'id'], name='instance_live_idx')],
                        'constraints': [models.UniqueConstraint(fields=('account', 'region', 'instance_id'), name='uniq_instance')],
                    },
                ),
                migrations.CreateModel(
                    name='KeyPair',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.CharField(max_length=32)),
                        ('tags', models.JSONField(blank=True, default=dict)),
                        ('first_seen', models.DateTimeField()),
                        ('last_seen', models.DateTimeField()),
                        ('gone_at', models.DateTimeField(blank=True, help_text='Set when a complete sync no longer saw it.', null=True)),
                        ('key_name', models.CharField(max_length=255)),
                        ('key_pair_id', models.CharField(blank=True, max_length=32)),
                        ('key_type', models.CharField(blank=True, max_length=16)),
                        ('fingerprint', models.CharField(blank=True, max_length=128)),
                        ('create_time', models.DateTimeField(blank=True, null=True)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
                    ],
                    options={
                        'db_table': 'inventory_keypair',
                        'ordering': ['key_name'],
                        'constraints': [models.UniqueConstraint(fields=('account', 'region', 'key_name'), name='uniq_keypair')],
                    },
                ),
                migrations.CreateModel(
                    name='NetworkInterface',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.CharField(max_length=32)),
                        ('tags', models.JSONField(blank=True, default=dict)),
                        ('first_seen', models.DateTimeField()),
                        ('last_seen', models.DateTimeField()),
                        ('gone_at', models.DateTimeField(blank=True, help_text='Set when a complete sync no longer saw it.', null=True)),
                        ('network_interface_id', models.CharField(max_length=32)),
                        ('status', models.CharField(max_length=16)),
                        ('interface_type', models.CharField(blank=True, max_length=32)),
                        ('availability_zone', models.CharField(blank=True, max_length=32)),
                        ('vpc_id', models.CharField(blank=True, max_length=32)),
                        ('subnet_id', models.CharField(blank=True, max_length=32)),
                        ('private_ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('public_ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('mac_address', models.CharField(blank=True, max_length=17)),
                        ('description', models.CharField(blank=True, max_length=255)),
                        ('instance_id', models.CharField(blank=True, db_index=True, max_length=32)),
                        ('device_index', models.PositiveIntegerField(blank=True, null=True)),
                        ('security_groups', models.JSONField(blank=True, default=list)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
                    ],
                    options={
                        'db_table': 'inventory_networkinterface',
                        'ordering': ['network_interface_id'],
                        'constraints': [models.UniqueConstraint(fields=('account', 'region', 'network_interface_id'), name='uniq_eni')],
                    },
                ),
                migrations.CreateModel(
                    name='PlacementGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.CharField(max_length=32)),
                        ('tags', models.JSONField(blank=True, default=dict)),
                        ('first_seen', models.DateTimeField()),
                        ('last_seen', models.DateTimeField()),
                        ('gone_at', models.DateTimeField(blank=True, help_text='Set when a complete sync no longer saw it.', null=True)),
                        ('group_name', models.CharField(max_length=255)),
                        ('group_id', models.CharField(blank=True, max_length=32)),
                        ('strategy', models.CharField(db_index=True, max_length=16)),
                        ('partition_count', models.PositiveIntegerField(blank=True, null=True)),
                        ('spread_level', models.CharField(blank=True, max_length=16)),
                        ('state', models.CharField(max_length=16)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
                    ],
                    options={
                        'db_table': 'inventory_placementgroup',
                        'ordering': ['group_name'],
                        'constraints': [models.UniqueConstraint(fields=('account', 'region', 'group_name'), name='uniq_pg')],
                    },
                ),
                migrations.CreateModel(
                    name='SecurityGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.CharField(max_length=32)),
                        ('tags', models.JSONField(blank=True, default=dict)),
                        ('first_seen', models.DateTimeField()),
                        ('last_seen', models.DateTimeField()),
                        ('gone_at', models.DateTimeField(blank=True, help_text='Set when a complete sync no longer saw it.', null=True)),
                        ('group_id', models.CharField(max_length=32)),
                        ('group_name', models.CharField(max_length=255)),
                        ('description', models.CharField(blank=True, max_length=255)),
                        ('vpc_id', models.CharField(blank=True, max_length=32)),
                        ('ingress_rules', models.JSONField(blank=True, default=list)),
                        ('egress_rules', models.JSONField(blank=True, default=list)),
                        ('world_open_admin', models.BooleanField(db_index=True, default=False)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
                    ],
                    options={
                        'db_table': 'inventory_securitygroup',
                        'ordering': ['group_name'],
                        'constraints': [models.UniqueConstraint(fields=('account', 'region', 'group_id'), name='uniq_sg')],
                    },
                ),
                migrations.CreateModel(
                    name='Volume',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('region', models.CharField(max_length=32)),
                        ('tags', models.JSONField(blank=True, default=dict)),
                        ('first_seen', models.DateTimeField()),
                        ('last_seen', models.DateTimeField()),
                        ('gone_at', models.DateTimeField(blank=True, help_text='Set when a complete sync no longer saw it.', null=True)),
                        ('volume_id', models.CharField(max_length=32)),
                        ('size_gib', models.PositiveIntegerField()),
                        ('volume_type', models.CharField(max_length=16)),
                        ('iops', models.PositiveIntegerField(blank=True, null=True)),
                        ('state', models.CharField(max_length=16)),
                        ('availability_zone', models.CharField(blank=True, max_length=32)),
                        ('encrypted', models.BooleanField(default=False)),
                        ('snapshot_id', models.CharField(blank=True, max_length=32)),
                        ('instance_id', models.CharField(blank=True, db_index=True, max_length=32)),
                        ('device', models.CharField(blank=True, max_length=64)),
                        ('create_time', models.DateTimeField(blank=True, null=True)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inventory.account')),
                    ],
                    options={
                        'db_table': 'inventory_volume',
                        'ordering': ['volume_id'],
                        'constraints': [models.UniqueConstraint(fields=('account', 'region', 'volume_id'), name='uniq_volume')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_move, content_types_move_back),
    ]
