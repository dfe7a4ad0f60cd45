"""The EC2 models moved to the ec2 app (fleetui/ec2/migrations/0001_initial.py). State only: their tables keep
their names and every row stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0004_instance_live_index_covers_id'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='image',
                    name='account',
                ),
                migrations.RemoveField(
                    model_name='instance',
                    name='account',
                ),
                migrations.RemoveField(
                    model_name='instance',
                    name='instance_type',
                ),
                migrations.RemoveField(
                    model_name='keypair',
                    name='account',
                ),
                migrations.RemoveField(
                    model_name='networkinterface',
                    name='account',
                ),
                migrations.RemoveField(
                    model_name='placementgroup',
                    name='account',
                ),
                migrations.RemoveField(
                    model_name='securitygroup',
                    name='account',
                ),
                migrations.RemoveField(
                    model_name='volume',
                    name='account',
                ),
                migrations.DeleteModel(
                    name='ElasticIP',
                ),
                migrations.DeleteModel(
                    name='Image',
                ),
                migrations.DeleteModel(
                    name='Instance',
                ),
                migrations.DeleteModel(
                    name='InstanceType',
                ),
                migrations.DeleteModel(
                    name='KeyPair',
                ),
                migrations.DeleteModel(
                    name='NetworkInterface',
                ),
                migrations.DeleteModel(
                    name='PlacementGroup',
                ),
                migrations.DeleteModel(
                    name='SecurityGroup',
                ),
                migrations.DeleteModel(
                    name='Volume',
                ),
            ],
        ),
    ]
