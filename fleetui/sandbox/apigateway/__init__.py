"""API Gateway in the sandbox: moto's REST (v1) and HTTP/WebSocket (v2) APIs, with what moto 5.2.5 lacks for the
inventory added in AWS's shape (extensions.py: a REST stage's createdDate and lastUpdatedDate), and the API
Gateway part of the demo (seed.py: REST, WebSocket and HTTP APIs in front of Lambda functions and an EC2 instance).
"""

from .extensions import install
from .seed import describe, seed

# "apigateway" sorts before every older service package, and the demo's ids (moto's seeded RNG) follow the order of
# calls: every one of them runs first, as before this package existed (the seed also reads EC2's instances).
AFTER = ("batch", "beanstalk", "ec2", "ecs", "eks", "emr")

__all__ = ["AFTER", "describe", "install", "seed"]
