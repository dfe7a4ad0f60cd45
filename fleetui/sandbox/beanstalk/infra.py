"""What Beanstalk builds behind an environment in the sandbox: ids, DNS names, resource names, and real moto EC2
instances (tagged the way Beanstalk tags them, so the EC2 inventory can link an instance to its environment).

Ids come from moto's seeded RNG, so they are deterministic after `POST /moto-api/seed`.
"""

from __future__ import annotations

import re
import string
from typing import Any

from moto.ec2.exceptions import InvalidInstanceIdError
from moto.ec2.models import ec2_backends
from moto.elasticbeanstalk.models import eb_backends
from moto.moto_api._internal import mock_random

from .state import SandboxEnvironment, error

_ALNUM = string.ascii_lowercase + string.digits
_UPPER = string.ascii_uppercase + string.digits
INSTANCES_PER_TIER = {"WebServer": 2, "Worker": 1}
DEFAULT_INSTANCE_TYPE = "t3.micro"
# Stack "64bit Amazon Linux 2023 v4.6.0 running Python 3.11"
# <-> platform ARN ".../platform/Python 3.11 running on 64bit Amazon Linux 2023/4.6.0".
_STACK = re.compile(r"^(?P<os>.+?) v(?P<version>[\d.]+) running (?P<runtime>.+)$")
_PLATFORM = re.compile(r"platform/(?P<runtime>.+?) running on (?P<os>.+)/(?P<version>[\d.]+)$")


def _random(alphabet: str, length: int) -> str:
    return "".join(mock_random.choice(alphabet) for _ in range(length))


def environment_id_new() -> str:
    """ "e-" + 10 lowercase alphanumerics, like e-abc123defg."""
    return "e-" + _random(_ALNUM, 10)


def cname_for(*, prefix: str | None, env_name: str, region: str) -> str:
    """`<prefix>.<region>.elasticbeanstalk.com`; without a prefix AWS appends a random `eba-` label to the name."""
    if prefix:
        return f"{prefix}.{region}.elasticbeanstalk.com"
    return f"{env_name}.eba-{_random(_ALNUM, 8)}.{region}.elasticbeanstalk.com"


def cname_check(cname: str, region: str) -> None:
    """DNS names are global in a region: one held by a live environment of any account is not available."""
    for account in list(eb_backends.keys()):
        backend = eb_backends[account].get(region) if region in eb_backends[account] else None
        for app in backend.applications.values() if backend else []:
            for env in app.environments.values():
                if getattr(env, "cname", None) == cname and getattr(env, "status", "") != "Terminated":
                    raise error(f"DNS name ({cname}) is not available.")


def platform_arn_from_stack(stack: str | None, region: str) -> str | None:
    match = _STACK.match(stack or "")
    if not match:
        return None
    return f"arn:aws:elasticbeanstalk:{region}::platform/{match['runtime']} running on {match['os']}/{match['version']}"


def stack_from_platform_arn(arn: str | None) -> str | None:
    match = _PLATFORM.search(arn or "")
    return f"{match['os']} v{match['version']} running {match['runtime']}" if match else None


def resources_new(*, env_id: str, tier: dict[str, str], account_id: str, region: str) -> dict[str, Any]:
    """Names of what CloudFormation would create for the env's stack (ASG, launch template, LB or SQS queue)."""
    stack = f"awseb-{env_id}-stack"
    suffix = _random(_UPPER, 12)
    resources: dict[str, Any] = {
        "asg": f"{stack}-AWSEBAutoScalingGroup-{suffix}",
        "launch_template": "lt-" + _random("0123456789abcdef", 17),
    }
    if tier["Name"] == "WebServer":
        resources["load_balancer"] = f"{stack}-AWSEBLoadBal-{suffix}"
        resources["lb_dns"] = f"{stack}-AWSEBLoadBal-{suffix}-{_random(string.digits, 9)}.{region}.elb.amazonaws.com"
    else:
        queue = f"{stack}-AWSEBWorkerQueue-{suffix}"
        resources["queue"] = {"Name": queue, "URL": f"https://sqs.{region}.amazonaws.com/{account_id}/{queue}"}
    return resources


def _image_id(backend: Any) -> str:
    """An Amazon Linux 2 AMI from moto's preloaded images (the first by id, so the choice is stable)."""
    images = sorted(backend.amis.values(), key=lambda image: image.id)
    amazon_linux = [image for image in images if (image.name or "").startswith("amzn2-ami-hvm")]
    return (amazon_linux or images)[0].id


def _instance_type(env: SandboxEnvironment) -> str:
    for setting in env.option_settings:
        key = (setting.get("Namespace"), setting.get("OptionName"))
        if key == ("aws:ec2:instances", "InstanceTypes") and setting.get("Value"):
            return str(setting["Value"]).split(",")[0].strip()
        if key == ("aws:autoscaling:launchconfiguration", "InstanceType") and setting.get("Value"):
            return str(setting["Value"])
    return DEFAULT_INSTANCE_TYPE


def instances_launch(env: SandboxEnvironment) -> list[str]:
    """Launch the env's instances in moto EC2 (same account and region), tagged as Beanstalk tags them."""
    backend = ec2_backends[env.account_id][env.region]
    tags = {
        "Name": env.environment_name,
        "elasticbeanstalk:environment-id": env.environment_id,
        "elasticbeanstalk:environment-name": env.environment_name,
        "aws:autoscaling:groupName": env.resources["asg"],
        "aws:cloudformation:stack-name": f"awseb-{env.environment_id}-stack",
    }
    reservation = backend.run_instances(
        _image_id(backend),
        INSTANCES_PER_TIER[env.tier["Name"]],
        None,
        [],
        instance_type=_instance_type(env),
        is_instance_type_default=False,
        region_name=env.region,
        tags={"instance": tags},
    )
    env.instance_ids = [instance.id for instance in reservation.instances]
    return env.instance_ids


def instances_terminate(env: SandboxEnvironment) -> None:
    """Terminate the env's instances that are still around (an operator may have terminated some already)."""
    backend = ec2_backends[env.account_id][env.region]
    live = [i for i in env.instance_ids if _exists(backend, i) and backend.get_instance(i).state != "terminated"]
    if live:
        backend.terminate_instances(live)


def _exists(backend: Any, instance_id: str) -> bool:
    try:
        backend.get_instance(instance_id)
    except InvalidInstanceIdError:  # the instance may be long gone
        return False
    return True
