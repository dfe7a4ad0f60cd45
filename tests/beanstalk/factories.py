"""factory_boy factories for the Beanstalk inventory, shaped like what the sync writes (ids, CNAMEs and ARNs in
AWS's formats), plus a succeeded swap Action as the swap operation records it."""

import datetime as dt

import factory
from django.utils import timezone

from fleetui.actions.models import Action
from fleetui.beanstalk.models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent
from tests.factories import AccountFactory


class _Synced(factory.django.DjangoModelFactory):
    account = factory.SubFactory(AccountFactory, account_id="123456789012", name="default")
    region = "us-east-1"
    first_seen = factory.LazyFunction(timezone.now)
    last_seen = factory.LazyFunction(timezone.now)


class ApplicationFactory(_Synced):
    class Meta:
        model = BeanstalkApplication

    application_name = "storefront"
    arn = factory.LazyAttribute(
        lambda o: f"arn:aws:elasticbeanstalk:{o.region}:{o.account.account_id}:application/{o.application_name}"
    )
    version_labels = factory.LazyFunction(lambda: ["v41", "v42"])
    date_created = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    date_updated = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class VersionFactory(_Synced):
    class Meta:
        model = ApplicationVersion

    application_name = "storefront"
    version_label = factory.Sequence(lambda n: f"v{n}")
    arn = factory.LazyAttribute(
        lambda o: (
            f"arn:aws:elasticbeanstalk:{o.region}:{o.account.account_id}:applicationversion/"
            f"{o.application_name}/{o.version_label}"
        )
    )
    status = "PROCESSED"
    source_bundle = factory.LazyAttribute(lambda o: f"s3://bundles/{o.application_name}/{o.version_label}.zip")
    date_created = factory.LazyFunction(timezone.now)


class EnvironmentFactory(_Synced):
    class Meta:
        model = Environment

    class Params:
        prefix = factory.LazyAttribute(lambda o: o.environment_name)

    environment_id = factory.Sequence(lambda n: f"e-{n:010d}")
    environment_name = factory.Sequence(lambda n: f"env-{n}")
    application_name = "storefront"
    arn = factory.LazyAttribute(
        lambda o: (
            f"arn:aws:elasticbeanstalk:{o.region}:{o.account.account_id}:environment/"
            f"{o.application_name}/{o.environment_name}"
        )
    )
    tier = "WebServer"
    tier_type = "Standard"
    status = "Ready"
    health = "Green"
    health_status = "Ok"
    cname = factory.LazyAttribute(
        lambda o: f"{o.prefix}.{o.region}.elasticbeanstalk.com" if o.tier == "WebServer" else ""
    )
    endpoint_url = factory.LazyAttribute(
        lambda o: (
            f"awseb-{o.environment_id}-stack-AWSEBLoadBal-1A2B3C.{o.region}.elb.amazonaws.com"
            if o.tier == "WebServer"
            else ""
        )
    )
    solution_stack = "64bit Amazon Linux 2023 v4.3.0 running Python 3.11"
    version_label = "v42"
    date_created = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    date_updated = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))
    resources = factory.LazyAttribute(
        lambda o: {
            "auto_scaling_groups": [f"awseb-{o.environment_id}-stack-AWSEBAutoScalingGroup-X"],
            "instances": [],
            "load_balancers": [f"awseb-{o.environment_id[2:8]}-AWSEBLoa-1A2B3C"] if o.tier == "WebServer" else [],
            "launch_configurations": [],
            "launch_templates": [],
            "triggers": [],
            "queues": [] if o.tier == "WebServer" else [{"name": "WorkerQueue", "url": "https://sqs/q"}],
        }
    )


class EventFactory(_Synced):
    class Meta:
        model = EnvironmentEvent

    event_key = factory.Sequence(lambda n: f"{n:064x}")
    event_date = factory.LazyFunction(timezone.now)
    application_name = "storefront"
    environment_name = "storefront-blue"
    version_label = "v42"
    severity = "INFO"
    message = factory.Sequence(lambda n: f"Event number {n}.")


def swap_action(*, user, promoted: Environment, standby: Environment, finished_ago=dt.timedelta(minutes=10), **extra):
    """A succeeded beanstalk.swap as the operation records it: `promoted` took `standby`'s CNAME."""
    finished = timezone.now() - finished_ago
    before = {promoted.environment_id: promoted.cname, standby.environment_id: standby.cname}
    after = {promoted.environment_id: standby.cname, standby.environment_id: promoted.cname}
    return Action.objects.create(
        kind="beanstalk.swap",
        account=promoted.account,
        region=promoted.region,
        targets=[promoted.environment_id],
        params={"application": promoted.application_name, "partner": standby.environment_id},
        requested_by=user,
        status=extra.pop("status", Action.Status.SUCCEEDED),
        started_at=finished - dt.timedelta(minutes=1),
        finished_at=finished,
        result={
            "application": promoted.application_name,
            "promoted": promoted.environment_id,
            "standby": standby.environment_id,
            "production_url": standby.cname,
            "before": before,
            "after": after,
            "warnings": extra.pop("warnings", []),
        },
        **extra,
    )
