"""The AWS Price List API (`pricing`) in the sandbox: moto has no such service. GetProducts, DescribeServices and
GetAttributeValues for ServiceCode AmazonEC2, answered through the middleware's JSON-target hook (`JSON_TARGETS`)
from prices computed on the fly (products.py): no data file, no state."""

from .products import JSON_TARGETS

__all__ = ["JSON_TARGETS"]
