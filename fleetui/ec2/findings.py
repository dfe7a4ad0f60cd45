"""Security-group findings by severity: what an ingress rule open to the world (0.0.0.0/0 or ::/0) exposes.

- critical: an admin or database port (SSH, RDP, MySQL, PostgreSQL, SQL Server, MongoDB, Redis, Elasticsearch),
  including a port range or an all-traffic rule (protocol -1) that contains one;
- warning: any other port or protocol open to the world (a UDP range, 8080, ...);
- info: only 80 and 443 (a web server is meant to be reachable), or ICMP (ping; no service is exposed).

Egress to anywhere is AWS's default and not a finding, so only ingress rules are graded.
"""

from typing import Any

CRITICAL, WARNING, INFO = "critical", "warning", "info"
SEVERITIES = (CRITICAL, WARNING, INFO)  # most severe first
CRITICAL_PORTS = (22, 3389, 3306, 5432, 1433, 27017, 6379, 9200)
WEB_PORTS = (80, 443)
WORLD = {"0.0.0.0/0", "::/0"}
TCP = {"tcp", "6"}
ICMP = {"icmp", "1", "icmpv6", "58"}


def rule_severity(rule: dict[str, Any]) -> str:
    """The severity of one ingress rule ({"protocol", "from_port", "to_port", "sources"}), "" for none."""
    if not WORLD.intersection(rule.get("sources") or []):
        return ""
    protocol = str(rule.get("protocol", "-1"))
    if protocol == "-1":
        return CRITICAL
    if protocol in ICMP:
        return INFO
    low, high = rule.get("from_port"), rule.get("to_port")
    if low is None:  # every port of the protocol
        return CRITICAL if protocol in TCP else WARNING
    high = low if high is None else high
    if protocol in TCP and any(low <= port <= high for port in CRITICAL_PORTS):
        return CRITICAL
    if protocol in TCP and low == high and low in WEB_PORTS:
        return INFO
    return WARNING


def group_severity(ingress_rules: list[dict[str, Any]]) -> str:
    """The most severe of a group's ingress rules' severities, "" when none is open to the world."""
    found = {rule_severity(rule) for rule in ingress_rules}
    return next((level for level in SEVERITIES if level in found), "")
