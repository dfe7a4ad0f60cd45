"""Moving the EC2 models from the inventory app to the ec2 app loses nothing.

The database is taken back to the migrations that held every model before the move, filled with rows of every
model through the historical models (a running action with its lock and log, and a finished swap that makes a
Beanstalk environment the standby), then migrated forward. Every row, value and relation must still be there, read
through today's models, and the content types (which permissions hang on) must have followed the models.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fleetui.actions.models import Action, ActionLock, ActionLogEntry
from fleetui.beanstalk import swaps
from fleetui.beanstalk.models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent
from fleetui.ec2.models import (
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    Volume,
)
from fleetui.inventory.models import Account, SyncRun

# Every app at its latest migration, but the inventory before the move and no ec2 app yet.
MOVED_AWAY = {"inventory": "0004_instance_live_index_covers_id", "ec2": None}
EC2_MODELS = [
    InstanceType,
    Instance,
    PlacementGroup,
    KeyPair,
    ElasticIP,
    Image,
    SecurityGroup,
    NetworkInterface,
    Volume,
]
NOW = timezone.now().replace(microsecond=0)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1] is not None]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _before_the_move():
    """Every app at its latest migration but the moved ones, and none of the apps that came after the move (a later
    service's models need the inventory app as it is after the move)."""
    graph = MigrationExecutor(connection).loader.graph
    move = ("inventory", "0005_move_ec2_models_to_ec2")
    return [
        (app, None if app not in MOVED_AWAY and move in graph.forwards_plan((app, name)) else MOVED_AWAY.get(app, name))
        for app, name in _latest()
    ]


def _fill(apps) -> dict:
    """One row of every model, through the models as they were before the move."""
    model = apps.get_model
    account = model("inventory", "Account").objects.create(account_id="123456789012", name="prod")
    seen = {"account": account, "region": "eu-west-1", "first_seen": NOW, "last_seen": NOW}
    model("inventory", "SyncRun").objects.create(
        account=account, region="eu-west-1", resource_type="instances", status="succeeded", seen=1, added=1
    )
    model("inventory", "InstanceType").objects.create(
        name="m5.large", family="m5", category="general_purpose", vcpus=2, memory_mib=8192, last_seen=NOW
    )
    model("inventory", "Instance").objects.create(
        **seen, instance_id="i-0123456789abcdef0", name="web-1", state="running", availability_zone="eu-west-1a",
        instance_type_id="m5.large", family="m5", category="general_purpose", lifecycle="spot", tenancy="default",
        placement_group="web-spread", key_name="ops", image_id="ami-0abc", tags={"Owner": "ops", "Env": "prod"},
        security_groups=[{"id": "sg-0abc", "name": "web"}], private_ip="10.0.0.5", launch_time=NOW,
    )  # fmt: skip
    model("inventory", "PlacementGroup").objects.create(
        **seen, group_name="web-spread", strategy="spread", state="available"
    )
    model("inventory", "KeyPair").objects.create(**seen, key_name="ops", fingerprint="aa:bb")
    model("inventory", "ElasticIP").objects.create(**seen, allocation_id="eipalloc-1", public_ip="203.0.113.7")
    model("inventory", "Image").objects.create(**seen, image_id="ami-0abc", name="base", state="available")
    model("inventory", "SecurityGroup").objects.create(
        **seen, group_id="sg-0abc", group_name="web", world_open_admin=True, ingress_rules=[SSH_TO_THE_WORLD]
    )
    model("inventory", "NetworkInterface").objects.create(
        **seen, network_interface_id="eni-1", status="in-use", instance_id="i-0123456789abcdef0"
    )
    model("inventory", "Volume").objects.create(
        **seen, volume_id="vol-1", size_gib=100, volume_type="gp3", state="in-use", instance_id="i-0123456789abcdef0"
    )
    model("beanstalk", "BeanstalkApplication").objects.create(**seen, application_name="shop")
    model("beanstalk", "ApplicationVersion").objects.create(
        **seen, arn="arn:aws:elasticbeanstalk:eu-west-1:123456789012:applicationversion/shop/v1",
        application_name="shop", version_label="v1",
    )  # fmt: skip
    for env_id, name, cname in [("e-blue", "shop-blue", "shop-x.eu-west-1.elasticbeanstalk.com"),
                                ("e-green", "shop-green", "shop.eu-west-1.elasticbeanstalk.com")]:  # fmt: skip
        model("beanstalk", "Environment").objects.create(
            **seen, environment_id=env_id, environment_name=name, application_name="shop", tier="WebServer",
            status="Ready", cname=cname, resources={"instances": ["i-0123456789abcdef0"]},
        )  # fmt: skip
    model("beanstalk", "EnvironmentEvent").objects.create(
        **seen, event_key="k1", event_date=NOW, application_name="shop", message="Swap done."
    )
    user = model("auth", "User").objects.create(username="otto")
    swap = model("actions", "Action").objects.create(
        kind="beanstalk.swap", account=account, region="eu-west-1", requested_by=user, reason="release 42",
        params={"application": "shop"}, status="succeeded", progress=100, finished_at=NOW - dt.timedelta(minutes=5),
        result={"promoted": "e-green", "standby": "e-blue", "production_url": "shop.eu-west-1.elasticbeanstalk.com"},
    )  # fmt: skip
    running = model("actions", "Action").objects.create(
        kind="ec2.stop", account=account, region="eu-west-1", requested_by=user, reason="night",
        targets=["i-0123456789abcdef0"], status="running", progress=40, step="Stopping", owner="w1/1",
        started_at=NOW, heartbeat_at=NOW, deliveries=1, parent=swap,
    )  # fmt: skip
    model("actions", "ActionLock").objects.create(resource="123456789012/eu-west-1/i-0123456789abcdef0", action=running)
    model("actions", "ActionLogEntry").objects.create(action=running, message="Stopping 1 instance.")
    # A database from before the move has the inventory app's content types, with permissions on them.
    content_types = apps.get_model("contenttypes", "ContentType").objects
    content_types.filter(app_label="ec2").delete()
    for ec2_model in EC2_MODELS:
        content_types.get_or_create(app_label="inventory", model=ec2_model._meta.model_name)
    return {"swap": swap.pk, "running": running.pk}


SSH_TO_THE_WORLD = {"protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "world_open": True}


@pytest.mark.django_db(transaction=True)
def test_moving_the_ec2_models_keeps_every_row_and_relation():
    old_apps = _migrate(_before_the_move())
    try:
        assert "instance" in old_apps.all_models["inventory"] and "instance" not in old_apps.all_models["ec2"]
        ids = _fill(old_apps)
        instance_ct = ContentType.objects.get(app_label="inventory", model="instance")
        permission = Permission.objects.create(content_type=instance_ct, codename="audit_instance", name="Audit")
    finally:
        _migrate(_latest())

    for model in [*EC2_MODELS, Account, SyncRun, BeanstalkApplication, ApplicationVersion, EnvironmentEvent]:
        assert model.objects.count() == 1, model
    assert Environment.objects.count() == 2
    instance = Instance.objects.select_related("account", "instance_type").get()
    assert (instance.account.account_id, instance.instance_type.memory_mib) == ("123456789012", 8192)
    assert (instance.lifecycle, instance.tags, instance.security_groups) == (
        "spot", {"Owner": "ops", "Env": "prod"}, [{"id": "sg-0abc", "name": "web"}]
    )  # fmt: skip
    assert (instance.launch_time, str(instance.private_ip)) == (NOW, "10.0.0.5")
    # 0003 grades the stored groups from their rules: SSH open to the world is critical before any re-sync.
    group = SecurityGroup.objects.get()
    assert (group.ingress_rules, group.severity) == ([{**SSH_TO_THE_WORLD, "severity": "critical"}], "critical")
    assert Volume.objects.get().size_gib == 100

    running = Action.objects.select_related("account", "parent").get(pk=ids["running"])
    assert (running.status, running.progress, running.owner, running.parent_id) == ("running", 40, "w1/1", ids["swap"])
    assert ActionLock.objects.get().action_id == running.pk
    assert ActionLogEntry.objects.get().action_id == running.pk
    standby = swaps.standby_of(account=running.account, region="eu-west-1", environment_id="e-blue")
    assert standby is not None and standby.action.pk == ids["swap"]

    moved = ContentType.objects.get(pk=instance_ct.pk)
    assert (moved.app_label, moved.model) == ("ec2", "instance")
    assert Permission.objects.get(pk=permission.pk).content_type_id == instance_ct.pk
    assert not ContentType.objects.filter(app_label="inventory", model__in=["instance", "volume"]).exists()
