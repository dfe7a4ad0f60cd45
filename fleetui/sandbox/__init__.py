"""The sandbox AWS: moto's real server extended with the APIs it lacks, fault injection and the demo seed.

The shared part lives here (server.py, middleware.py and faults, seed.py's driver, the `sandbox` and `demo`
commands); each AWS service's support is a package of its own (ec2/, beanstalk/, ...), found by services.py.
Adding a service means adding a package: no shared file changes. A service package's `__init__.py` defines:

- `install() -> None`: patch moto; called before the server starts, and must be safe to call again.
- `control(path: str, method: str) -> ControlHandler | None` (optional): the JSON handler of one of its control
  paths under `/fleetui-sandbox/` (see middleware.py), or None when the path is not its own.
- `reset() -> None` (optional): forget its run-time settings on `POST /moto-api/reset` (moto clears its state).
- `seed(demo: DemoSeed) -> None` and `describe(summary) -> str` (optional): seed its part of the demo through
  boto3 into `demo.summary`, and say in a few words what it made (see seed.py).
- `JSON_TARGETS: dict[str, dict[str, handler]]` (optional): for a JSON-protocol service moto lacks altogether (the
  Price List API), `{"AWSPriceListService": {"GetProducts": handler}}`; the middleware answers requests whose
  `X-Amz-Target` has that prefix with `handler(request JSON)` (see middleware.py).
- `AFTER: tuple[str, ...]` (optional): the services whose hooks must run before its own (by package name).
"""
