"""The AWS Price List API (`pricing`) in the sandbox: moto has no such service. GetProducts and DescribeServices for
ServiceCode AmazonEC2, answered through the middleware's JSON-target hook (`JSON_TARGETS`) from prices computed on
the fly (products.py): no data file, no state, nothing seeded."""

from .products import JSON_TARGETS


def install() -> None:
    """Nothing to patch: moto has no `pricing` service to extend; the middleware answers its JSON targets."""


__all__ = ["JSON_TARGETS", "install"]
