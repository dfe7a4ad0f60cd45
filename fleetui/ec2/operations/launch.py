"""ec2.launch: launch N instances of one AMI and type, wait until they run, report their ids.

The form refuses everything checkable in advance (the AMI with DescribeImages, the type against the catalog,
the architecture, the tag policy and AWS's tag limits, spot and placement combinations, user data size), so a
refused launch writes no Action row. What only AWS can tell (capacity, quotas) fails the action with AWS's
message. RunInstances carries a ClientToken derived from the action id: a redelivered action gets the same
instances back instead of launching more.
"""

from __future__ import annotations

from typing import Any

from fleetui.actions.common import poll_interval, wait_timeout
from fleetui.actions.context import ActionContext
from fleetui.actions.models import Action
from fleetui.actions.registry import ActionFailed, Operation, operation
from fleetui.aws import ec2_instances
from fleetui.aws.ec2_launch import LaunchSpec, instances_run

from .launch_form import LaunchForm

FAILED_STATES = frozenset({"shutting-down", "terminated"})


def launch_spec(params: dict[str, Any]) -> LaunchSpec:
    """The RunInstances content of an action's cleaned parameters."""
    spot = None
    if params.get("purchase") == "spot":
        spot = {
            "max_price": str(params.get("spot_max_price", "")),
            "spot_type": params.get("spot_type", "one-time"),
            "interruption": params.get("spot_interruption", "terminate"),
        }
    return LaunchSpec(
        image_id=params["image_id"],
        instance_type=params["instance_type"],
        count=int(params["count"]),
        tags=dict(params.get("tags", {})),
        spot=spot,
        tenancy=params.get("tenancy", ""),
        host_id=params.get("host_id", ""),
        placement_group=params.get("placement_group", ""),
        availability_zone=params.get("availability_zone", ""),
        subnet_id=params.get("subnet_id", ""),
        security_group_ids=list(params.get("security_groups", [])),
        key_name=params.get("key_name", ""),
        iam_instance_profile=params.get("iam_instance_profile", ""),
        user_data=params.get("user_data", ""),
    )


@operation
class Launch(Operation):
    kind, label, verb = "ec2.launch", "Launch instances", "Launch"
    target_type = "instances"  # what it creates: the instance list offers it as a "New" button
    min_targets, max_targets = 0, 0  # it creates instances; it takes none
    form_class = LaunchForm
    form_template = "ec2/_launch_fields.html"  # sections, the type search, spot fields only for spot, a summary
    help = "Launch instances of one AMI and type, tagged by the tag policy; the page follows them until they run."

    def lock_keys(self, action: Action) -> list[str]:
        # Two launches into one spread group could each pass the 7-per-AZ check; and a group must not be deleted
        # or emptied while a launch fills it.
        group = action.params.get("placement_group")
        return [group] if group else []

    def touched(self, action: Action) -> dict[str, list[str]]:
        return {"instances": list(action.result.get("instance_ids", []))}

    def describe(self, action: Action) -> str:
        params = action.params
        market = " spot" if params.get("purchase") == "spot" else ""
        return f"Launch {params.get('count', '?')} x {params.get('instance_type', '?')}{market}"

    def run(self, ctx: ActionContext) -> None:
        spec = launch_spec(ctx.params)
        ctx.step(f"Launching {spec.count} x {spec.instance_type}", progress=5)
        if ctx.resumed:
            ctx.log(
                "Resumed: RunInstances is sent again with the same ClientToken, which returns the instances "
                "the first delivery launched instead of launching more."
            )
        ids = instances_run(account=ctx.account, region=ctx.region, spec=spec, client_token=ctx.client_token())
        # Recorded before waiting: if anything fails from here on, the action says what it launched.
        ctx.note(instance_ids=ids)
        ctx.log(f"Launched {', '.join(ids)}.")
        states = self.wait_running(ctx, ids)
        ctx.note(instances=states)

    def wait_running(self, ctx: ActionContext, ids: list[str]) -> dict[str, str]:
        """Poll DescribeInstances until every instance runs; fail when one ends before it ran (e.g. spot capacity
        taken back at once), naming it and AWS's state reason."""
        ctx.step(f"Waiting until {len(ids)} instance(s) are running", progress=30)

        def all_running() -> dict[str, str] | None:
            found = ec2_instances.instances_describe(account=ctx.account, region=ctx.region, ids=ids)
            states = {iid: raw["State"]["Name"] for iid, raw in found.items()}
            ended = {
                iid: found[iid].get("StateReason", {}).get("Message", s)
                for iid, s in states.items()
                if s in FAILED_STATES
            }
            if ended:
                ctx.note(instances={iid: states.get(iid, "not visible yet") for iid in ids})
                listed = "; ".join(f"{iid}: {why}" for iid, why in sorted(ended.items()))
                raise ActionFailed(
                    f"{len(ended)} of {len(ids)} launched instance(s) ended before running ({listed}). "
                    f"The others are left as they are: {', '.join(i for i in ids if i not in ended) or 'none'}."
                )
            running = [iid for iid in ids if states.get(iid) == "running"]
            ctx.progress(30 + 65 * len(running) // len(ids))
            return dict.fromkeys(ids, "running") if len(running) == len(ids) else None

        return ctx.wait(all_running, what="the instances to run", timeout=wait_timeout(), interval=poll_interval())
