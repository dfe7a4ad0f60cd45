"""/api/v1/: the inventory (read-only) and the actions (request and read), the OpenAPI schema and a docs page
served without any CDN. Project-level glue: each app keeps its own viewsets."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from fleetui.actions.api import ActionViewSet
from fleetui.beanstalk import api as beanstalk_api
from fleetui.core.roles import IsViewer
from fleetui.inventory import api

app_name = "api"

router = DefaultRouter()
router.register("ec2/instances", api.InstanceViewSet, basename="instance")
router.register("ec2/placement-groups", api.PlacementGroupViewSet, basename="placementgroup")
router.register("ec2/key-pairs", api.KeyPairViewSet, basename="keypair")
router.register("ec2/elastic-ips", api.ElasticIPViewSet, basename="elasticip")
router.register("ec2/images", api.ImageViewSet, basename="image")
router.register("ec2/security-groups", api.SecurityGroupViewSet, basename="securitygroup")
router.register("ec2/network-interfaces", api.NetworkInterfaceViewSet, basename="networkinterface")
router.register("ec2/volumes", api.VolumeViewSet, basename="volume")
router.register("ec2/instance-types", api.InstanceTypeViewSet, basename="instancetype")
router.register("beanstalk/applications", beanstalk_api.ApplicationViewSet, basename="beanstalkapplication")
router.register("beanstalk/versions", beanstalk_api.VersionViewSet, basename="beanstalkversion")
router.register("beanstalk/environments", beanstalk_api.EnvironmentViewSet, basename="beanstalkenvironment")
router.register("beanstalk/events", beanstalk_api.EventViewSet, basename="beanstalkevent")
router.register("accounts", api.AccountViewSet, basename="account")
router.register("sync-runs", api.SyncRunViewSet, basename="syncrun")
router.register("actions", ActionViewSet, basename="action")

# drf-spectacular serves its views to anyone by default; here they need a role, like the rest of the API.
ACCESS = {"authentication_classes": api.InventoryViewSet.authentication_classes, "permission_classes": [IsViewer]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**ACCESS), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", **ACCESS), name="docs"),
    path(
        "ec2/instances/<str:account_id>/<str:region>/<str:instance_id>/",
        api.InstanceByAwsIdViewSet.as_view({"get": "retrieve"}),
        name="instance-by-aws-id",
    ),
    path("", include(router.urls)),
]
