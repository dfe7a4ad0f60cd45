"""The EKS actions fleetui adds to or changes on moto's EKSResponse (moto dispatches a REST route to the method
named after the operation in snake case): nodegroups with real ASGs and lazy scaling, DescribeUpdate and
ListUpdates, and add-ons. Shapes and error codes follow the EKS API reference.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.eks.models import DEFAULT_SCALING_CONFIG, Nodegroup
from moto.eks.responses import EKSResponse
from moto.moto_api._internal import mock_random

from . import nodegroups
from .state import (
    CONFIG,
    SETTLE_LOCK,
    addons_of,
    cluster_get,
    in_use,
    invalid,
    nodegroup_get,
    not_found,
    now,
    op_of,
    updates_of,
)

# The add-ons fleetui's demo and tests use, with the default version per Kubernetes version (DescribeAddonVersions'
# defaultVersion in 2025); any other version string of the right form is accepted too.
ADDON_DEFAULTS = {
    "vpc-cni": {"1.29": "v1.18.3-eksbuild.2", "1.30": "v1.18.5-eksbuild.1", "1.31": "v1.19.0-eksbuild.1"},
    "coredns": {"1.29": "v1.11.1-eksbuild.13", "1.30": "v1.11.3-eksbuild.1", "1.31": "v1.11.3-eksbuild.2"},
    "kube-proxy": {"1.29": "v1.29.7-eksbuild.9", "1.30": "v1.30.3-eksbuild.9", "1.31": "v1.31.1-eksbuild.2"},
    "aws-ebs-csi-driver": {"1.29": "v1.35.0-eksbuild.1", "1.30": "v1.35.0-eksbuild.1", "1.31": "v1.35.0-eksbuild.1"},
    "eks-pod-identity-agent": {"1.29": "v1.3.2-eksbuild.2", "1.30": "v1.3.2-eksbuild.2", "1.31": "v1.3.2-eksbuild.2"},
}


class NodegroupResponses(EKSResponse):
    """Nodegroup actions whose originals moto has: they run moto's, then add what moto lacks."""

    def create_nodegroup(self) -> ActionResult:
        cluster_name, name = self._get_param("name"), self._get_param("nodegroupName")
        scaling = self._get_param("scalingConfig") or dict(DEFAULT_SCALING_CONFIG)
        nodegroups.scaling_validate(scaling, clusterName=cluster_name, nodegroupName=name)
        result = ORIGINAL["create_nodegroup"](self)
        nodegroup = nodegroup_get(self.eks_backend, cluster_name, name)
        nodegroup.scaling_config = dict(scaling)
        nodegroups.infra_create(nodegroup, account_id=self.current_account, region=self.region)
        return result

    def describe_nodegroup(self) -> ActionResult:
        nodegroup = nodegroup_get(self.eks_backend, self._get_param("name"), self._get_param("nodegroupName"))
        return ActionResult({"nodegroup": nodegroups.settle(nodegroup)})

    def delete_nodegroup(self) -> ActionResult:
        nodegroup = nodegroup_get(self.eks_backend, self._get_param("name"), self._get_param("nodegroupName"))
        nodegroups.infra_delete(nodegroup)
        result = ORIGINAL["delete_nodegroup"](self)
        nodegroup.status = "DELETING"
        return result

    def update_nodegroup_config(self) -> ActionResult:
        """Scaling goes through the sandbox's lazy update; labels and taints through moto's (applied at once).

        Errors: ResourceNotFoundException (no such cluster or nodegroup), InvalidParameterException (a bad
        scalingConfig, or nothing to update), ResourceInUseException (another update is in progress)."""
        cluster_name, name = self._get_param("name"), self._get_param("nodegroupName")
        ids = {"clusterName": cluster_name, "nodegroupName": name}
        nodegroup = nodegroups.settle(nodegroup_get(self.eks_backend, cluster_name, name))
        scaling = self._get_param("scalingConfig") or {}
        others = {key: self._get_param(key) for key in ("labels", "taints", "updateConfig", "nodeRepairConfig")}
        if not scaling and not any(others.values()):
            raise invalid("No changes needed", **ids)
        if op_of(nodegroup) is not None:
            raise in_use(f"Nodegroup {name} is currently {nodegroup.status} and cannot be updated", **ids)
        merged = {**nodegroup.scaling_config, **scaling}
        nodegroups.scaling_validate(merged, **ids)
        moto_update = self.eks_backend.update_nodegroup_config(
            cluster_name=cluster_name,
            nodegroup_name=name,
            labels=others["labels"],
            taints=others["taints"],
            update_config=others["updateConfig"],
            node_repair_config=others["nodeRepairConfig"],
        )
        params = [p for p in moto_update["params"] if p["type"] != "ScalingConfig"]
        params += [
            {"type": kind, "value": str(scaling[key])}
            for kind, key in (("MinSize", "minSize"), ("MaxSize", "maxSize"), ("DesiredSize", "desiredSize"))
            if key in scaling
        ]
        update_id = str(mock_random.uuid4())
        update: dict[str, Any] = {
            "id": update_id,
            "status": "InProgress" if scaling else "Successful",
            "type": "ConfigUpdate",
            "params": params,
            "createdAt": now(),
            "errors": [],
        }
        updates_of(cluster_get(self.eks_backend, cluster_name))[update_id] = {"update": update, "nodegroup": name}
        if scaling:
            nodegroups.scale(nodegroup, scaling, update)
        return ActionResult({"update": update})


class UpdateResponses(EKSResponse):
    def describe_update(self) -> ActionResult:
        """DescribeUpdate of a nodegroup's (nodegroupName) or the cluster's update; ResourceNotFoundException
        when the id is not one of that resource's."""
        cluster = cluster_get(self.eks_backend, self._get_param("name"))
        update_id, nodegroup_name = self._get_param("updateId"), self._get_param("nodegroupName")
        found = updates_of(cluster).get(update_id)
        if found is None or found["nodegroup"] != nodegroup_name:
            raise not_found(
                f"No update found for ID: {update_id}", clusterName=cluster.name, nodegroupName=nodegroup_name
            )
        if nodegroup_name in cluster.nodegroups:
            nodegroups.settle(cluster.nodegroups[nodegroup_name])
        return ActionResult({"update": found["update"]})

    def list_updates(self) -> ActionResult:
        cluster = cluster_get(self.eks_backend, self._get_param("name"))
        nodegroup_name = self._get_param("nodegroupName")
        ids = [uid for uid, found in updates_of(cluster).items() if found["nodegroup"] == nodegroup_name]
        return ActionResult({"updateIds": ids})


class AddonResponses(EKSResponse):
    def create_addon(self) -> ActionResult:
        cluster = cluster_get(self.eks_backend, self._get_param("name"))
        name = self._get_param("addonName")
        ids = {"clusterName": cluster.name, "addonName": name}
        if name in addons_of(cluster):
            raise in_use(f"Addon already exists with name: {name}", **ids)
        defaults = ADDON_DEFAULTS.get(name)
        if defaults is None:
            raise invalid(f"Addon {name} specified is not supported in {cluster.version} cluster version", **ids)
        version = self._get_param("addonVersion") or defaults.get(cluster.version) or sorted(defaults.values())[-1]
        if not version.startswith("v"):
            raise invalid(f"Addon version {version} specified is not supported", **ids)
        uuid = str(mock_random.uuid4())
        created = now()
        addon = {
            "addonName": name,
            "clusterName": cluster.name,
            "status": "CREATING",
            "addonVersion": version,
            "health": {"issues": []},
            "addonArn": f"arn:aws:eks:{self.region}:{self.current_account}:addon/{cluster.name}/{name}/{uuid}",
            "createdAt": created,
            "modifiedAt": created,
            "serviceAccountRoleArn": self._get_param("serviceAccountRoleArn"),
            "tags": self._get_param("tags") or {},
            "configurationValues": self._get_param("configurationValues"),
            "fleetuiDue": created.timestamp() + CONFIG.delay,
        }
        addons_of(cluster)[name] = addon
        return ActionResult({"addon": _addon_shape(addon)})

    def describe_addon(self) -> ActionResult:
        return ActionResult({"addon": _addon_shape(self._addon())})

    def delete_addon(self) -> ActionResult:
        addon = self._addon()
        del addons_of(cluster_get(self.eks_backend, addon["clusterName"]))[addon["addonName"]]
        return ActionResult({"addon": {**_addon_shape(addon), "status": "DELETING"}})

    def list_addons(self) -> ActionResult:
        cluster = cluster_get(self.eks_backend, self._get_param("name"))
        return ActionResult({"addons": sorted(addons_of(cluster))})

    def _addon(self) -> dict[str, Any]:
        cluster = cluster_get(self.eks_backend, self._get_param("name"))
        name = self._get_param("addonName")
        addon = addons_of(cluster).get(name)
        if addon is None:
            raise not_found(
                f"No addon: {name} found in cluster: {cluster.name}", clusterName=cluster.name, addonName=name
            )
        return addon


def _addon_shape(addon: dict[str, Any]) -> dict[str, Any]:
    """The Addon shape, CREATING turned ACTIVE once its due time passed (lazily, like the nodegroups)."""
    with SETTLE_LOCK:
        if addon["status"] == "CREATING" and now().timestamp() >= addon["fleetuiDue"]:
            addon["status"] = "ACTIVE"
    return {key: value for key, value in addon.items() if value is not None and key != "fleetuiDue"}


def nodegroup_health_set(nodegroup: Nodegroup, issues: list[dict[str, Any]]) -> None:
    """Replace the nodegroup's health issues (DEGRADED while it has some, unless an operation is running)."""
    groups: Any = nodegroup.resources.get("autoScalingGroups") or []
    resource = groups[0]["name"] if groups else ""
    nodegroup.health = {
        "issues": [
            {"code": str(issue["code"]), "message": str(issue.get("message") or issue["code"]),
             "resourceIds": list(issue.get("resourceIds") or ([resource] if resource else []))}
            for issue in issues
        ]
    }  # fmt: skip
    if op_of(nodegroup) is None and nodegroup.status in ("ACTIVE", "DEGRADED"):
        nodegroup.status = "DEGRADED" if issues else "ACTIVE"


ORIGINAL: dict[str, Any] = {}
ACTIONS: tuple[tuple[type, tuple[str, ...]], ...] = (
    (NodegroupResponses, ("create_nodegroup", "describe_nodegroup", "delete_nodegroup", "update_nodegroup_config")),
    (UpdateResponses, ("describe_update", "list_updates")),
    (AddonResponses, ("create_addon", "describe_addon", "delete_addon", "list_addons", "_addon")),
)
