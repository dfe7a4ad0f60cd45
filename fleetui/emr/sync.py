"""EMR's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS`): clusters first, then what
is read per cluster (their fetchers get the live clusters' ids as `parents`)."""

from fleetui.aws import emr
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .models import EmrCluster, EmrInstance, InstanceGroup, Step


def cluster_names() -> dict[str, str]:
    """The children's transform context: {cluster id: name} of every stored cluster (one query). EMR's child
    items do not carry their cluster's name, and cluster ids (`j-` + 13 random characters) are unique."""
    return dict(EmrCluster.objects.values_list("cluster_id", "name"))


SYNCS = {
    "emr_clusters": ResourceSync(emr.cluster_pages, transforms.cluster_fields, EmrCluster, EmrCluster.KEY),
    "emr_instance_groups": ResourceSync(
        emr.instance_group_pages,
        transforms.instance_group_fields,
        InstanceGroup,
        InstanceGroup.KEY,
        context=cluster_names,
        parent="emr_clusters",
    ),
    "emr_steps": ResourceSync(
        emr.step_pages, transforms.step_fields, Step, Step.KEY, context=cluster_names, parent="emr_clusters"
    ),
    "emr_instances": ResourceSync(
        emr.instance_pages,
        transforms.instance_fields,
        EmrInstance,
        EmrInstance.KEY,
        context=cluster_names,
        parent="emr_clusters",
    ),
}
