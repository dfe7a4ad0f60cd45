"""The service packages the shared sandbox finds (fleetui/sandbox/__init__.py states their contract)."""

import requests

from fleetui.sandbox.services import service_hooks, service_packages


def test_every_service_package_is_found_in_hook_order_and_installs():
    packages = service_packages()
    names = [package.__name__.rsplit(".", 1)[-1] for package in packages]
    assert names[:2] == ["ec2", "beanstalk"]  # Beanstalk comes AFTER EC2; so does every service that declares it
    for position, package in enumerate(packages):
        assert all(names.index(before) < position for before in getattr(package, "AFTER", ())), names
    assert len(service_hooks("install")) == len(names)
    assert all(callable(hook) for name in ("control", "seed", "describe") for hook in service_hooks(name))
    targets = service_hooks("JSON_TARGETS")
    assert targets and all(
        callable(h) for prefixes in targets for actions in prefixes.values() for h in actions.values()
    )


def test_each_control_path_belongs_to_one_service_and_others_reach_moto(aws):
    claims = {
        path: [control for control in service_hooks("control") if control(path, "POST") is not None]
        for path in ("/fleetui-sandbox/backdate", "/fleetui-sandbox/beanstalk", "/fleetui-sandbox/beanstalk/health")
    }
    assert all(len(controls) == 1 for controls in claims.values()), claims
    assert not any(control("/fleetui-sandbox/nothing", "GET") for control in service_hooks("control"))
    assert requests.get(f"{aws}/fleetui-sandbox/nothing", timeout=10).status_code == 404
