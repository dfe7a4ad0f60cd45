"""`manage.py sandbox`: starts, prints the endpoint and the ready line, serves boto3, stops on SIGTERM."""

import re
import signal
import subprocess
import sys
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]


def test_sandbox_command_serves_until_sigterm():
    process = subprocess.Popen(
        [sys.executable, "manage.py", "sandbox", "--port", "0", "--no-seed"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("sandbox ready on"):
                break
        ready = re.fullmatch(r"sandbox ready on (http://127\.0\.0\.1:\d+)\n", lines[-1])
        assert ready, lines
        url = ready.group(1)
        assert f"export AWS_ENDPOINT_URL={url}\n" in [line.strip(" ") for line in lines]
        ec2 = boto3.client(
            "ec2", region_name="eu-west-1", endpoint_url=url, aws_access_key_id="k", aws_secret_access_key="s"
        )
        assert ec2.describe_instances()["Reservations"] == []  # --no-seed: empty
        assert ec2.create_placement_group(GroupName="g", Strategy="cluster")["PlacementGroup"]["GroupName"] == "g"
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "sandbox stopped" in rest
