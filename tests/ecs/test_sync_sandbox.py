"""The ECS sync against the sandbox (moto with fleetui's ECS scheduler), into PostgreSQL: every resource type, an
unchanged re-sync that writes nothing, a deleted service marked gone, targeted re-syncs by ARN, container
instances linked to EC2 instances, and AccessDenied failing only its own scope."""

import re
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.ec2.models import Instance
from fleetui.ecs.models import Cluster, ContainerInstance, Service, Task, TaskDefinition
from fleetui.inventory.sync import TargetedResult, sync_ids, sync_scope
from fleetui.sandbox.faults import fault_inject

from .conftest import DELAY, ECS_TYPES, sync, sync_all

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"ecs_\w+"', re.IGNORECASE)
SHOP = "arn:aws:ecs:us-east-1:123456789012:cluster/shop-prod"
WEB = "arn:aws:ecs:us-east-1:123456789012:service/shop-prod/web"


def test_every_resource_type_is_synced(synced):
    shop = Cluster.objects.get(cluster_arn=SHOP)
    assert shop.cluster_name == "shop-prod" and shop.status == "ACTIVE"
    assert shop.capacity_providers == ["FARGATE", "FARGATE_SPOT"]
    assert shop.default_strategy == [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]
    assert (shop.active_services_count, shop.running_tasks_count, shop.container_instances_count) == (5, 13, 3)
    assert shop.tags == {"Env": "prod", "Owner": "shop-team"}
    services = {s.service_name: s for s in Service.objects.filter(cluster_arn=SHOP)}
    assert set(services) == {"web", "checkout-api", "image-resizer", "orders-worker", "reports-generator"}
    web = services["web"]
    assert (web.launch_type, web.desired_count, web.running_count, web.rollout_state) == ("FARGATE", 3, 3, "COMPLETED")
    assert web.load_balancers[0]["containerPort"] == 8080 and web.network_configuration["subnets"]
    assert web.events[0]["message"] == "(service web) has reached a steady state."
    spot = services["image-resizer"]
    assert spot.launch_type == "" and "FARGATE_SPOT" in spot.capacity_providers
    assert services["reports-generator"].below_desired and services["reports-generator"].running_count == 0
    assert Service.objects.get(service_name="dashboards").rollout_state == "FAILED"
    tasks = Task.objects.filter(cluster_arn=SHOP, gone_at__isnull=True)
    assert tasks.count() == 13 and set(tasks.values_list("last_status", flat=True)) == {"RUNNING"}
    assert tasks.filter(capacity_provider_name="FARGATE_SPOT").count() == 3
    ec2_task = tasks.filter(launch_type="EC2").first()
    assert ec2_task.container_instance_arn and ec2_task.group == "service:orders-worker"
    assert ec2_task.cpu == "512" and ec2_task.memory == "1024" and ec2_task.started_at is not None
    definition = TaskDefinition.objects.get(family="storefront-web")
    assert definition.revision == 1 and "FARGATE" in definition.compatibilities and definition.cpu == "512"
    assert definition.images == ["public.ecr.aws/nginx/nginx:1.27"]


def test_container_instances_are_the_ec2_instances_of_the_inventory(synced):
    hosts = ContainerInstance.objects.filter(cluster_arn=SHOP)
    assert hosts.count() == 3
    ids = set(hosts.values_list("ec2_instance_id", flat=True))
    instances = Instance.objects.filter(instance_id__in=ids, account=synced, region="us-east-1")
    assert instances.count() == 3 and set(instances.values_list("state", flat=True)) == {"running"}
    assert all(host.cluster_name == "shop-prod" and host.memory_registered == 7482 for host in hosts)
    assert sum(host.running_tasks_count for host in hosts) == 4  # orders-worker's tasks


def test_an_unchanged_resync_writes_nothing(synced):
    with CaptureQueriesContext(connection) as queries:
        runs = {name: sync(synced, name) for name in ECS_TYPES}
    assert [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])] == []
    assert all(run.added == run.changed == run.gone == 0 for run in runs.values())


def test_scaling_converges_and_the_resync_follows(synced, ecs_client):
    ecs_client.update_service(cluster="shop-prod", service="web", desiredCount=5)
    sync(synced, "ecs_services")
    web = Service.objects.get(service_arn=WEB)
    assert (web.desired_count, web.running_count, web.pending_count) == (5, 3, 2)
    time.sleep(DELAY + 0.2)
    sync(synced, "ecs_services")
    sync(synced, "ecs_tasks")
    web.refresh_from_db()
    assert (web.running_count, web.pending_count) == (5, 0)
    assert Task.objects.filter(group="service:web", gone_at__isnull=True, last_status="RUNNING").count() == 5


def test_a_deleted_service_and_its_stopped_tasks_are_gone(synced, ecs_client):
    ecs_client.delete_service(cluster="shop-prod", service="checkout-api", force=True)
    time.sleep(DELAY + 0.2)
    assert sync(synced, "ecs_services").gone == 1
    assert sync(synced, "ecs_tasks").gone == 2
    assert Service.objects.get(service_name="checkout-api").gone_at is not None


def test_targeted_resync_by_arn(synced, ecs_client):
    ecs_client.update_service(cluster="shop-prod", service="web", desiredCount=1)
    result = sync_ids(account=synced, region="us-east-1", resource_type="ecs_services", ids=[WEB])
    assert result == TargetedResult(seen=1, changed=1)
    assert Service.objects.get(service_arn=WEB).desired_count == 1
    task = Task.objects.filter(group="service:checkout-api").first()
    ecs_client.stop_task(cluster="shop-prod", task=task.task_arn, reason="fleetui test")
    assert sync_ids(account=synced, region="us-east-1", resource_type="ecs_tasks", ids=[task.task_arn]).changed == 1
    task.refresh_from_db()
    assert task.desired_status == "STOPPED" and task.stopped_reason == "fleetui test"
    missing = WEB.replace("/web", "/nope")
    assert sync_ids(account=synced, region="us-east-1", resource_type="ecs_services", ids=[missing]) == TargetedResult()


def test_access_denied_on_ecs_fails_only_that_scope(synced, aws):
    fault_inject(endpoint=aws, action="ListServices", error="AccessDeniedException", count=1)
    denied = sync_scope(account=synced, region="us-east-1", resource_type="ecs_services")
    assert denied.status == "failed" and "AccessDenied" in denied.error
    assert Service.objects.filter(cluster_arn=SHOP, gone_at__isnull=True).count() == 5  # kept, not swept
    assert sync(synced, "ecs_tasks").seen == 13  # the other ECS types of the scope still sync
    assert sync(synced, "instances").status == "succeeded"


def test_sync_all_in_a_fresh_region_finds_nothing(account, ecs_client):
    runs = sync_all(account, "ap-southeast-2")
    assert all(run.seen == 0 for name, run in runs.items() if name != "instances")
