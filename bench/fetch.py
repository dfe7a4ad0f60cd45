"""(a) The floor: raw boto3 paginated DescribeInstances over every instance, nothing else."""

import time

from .sandbox import ec2_client


def raw_fetch(*, endpoint: str, region: str) -> tuple[float, int]:
    """Consume every DescribeInstances page (MaxResults=1000) with a fresh client. Returns (seconds, instances)."""
    client = ec2_client(endpoint, region)
    paginator = client.get_paginator("describe_instances")
    started = time.perf_counter()
    count = 0
    for page in paginator.paginate(PaginationConfig={"PageSize": 1000}):
        for reservation in page["Reservations"]:
            count += len(reservation["Instances"])
    return time.perf_counter() - started, count
