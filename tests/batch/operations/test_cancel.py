"""batch.cancel_jobs against the sandbox (eager tasks): CancelJob for jobs not started, TerminateJob for started ones,
finished ones skipped, each job's outcome in the result, the reason kept by AWS; the refusals (no Action row) and a
job AWS no longer lists."""

from __future__ import annotations

import pytest
import requests
from django.test import Client
from django.urls import reverse

from fleetui.actions import services
from fleetui.actions.models import Action
from fleetui.batch.models import Job

from .fleet import REGION, BatchFleet, fleet_build

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "batch.cancel_jobs"
JOBS = {"waiting": "RUNNABLE", "queued": "SUBMITTED", "working": "RUNNING", "done": "SUCCEEDED"}


@pytest.fixture
def fleet(aws, account) -> BatchFleet:
    return fleet_build(aws, account, delay=0.3, jobs=JOBS)


def log_of(action: Action) -> list[str]:
    return list(action.log.order_by("pk").values_list("message", flat=True))


def test_cancel_from_the_page_cancels_terminates_and_skips(operator_client, account, fleet):
    ids = [fleet.jobs[name] for name in ("waiting", "working", "done")]
    data = {"account": account.account_id, "region": REGION, "targets": "\n".join(ids), "p-reason": "INC-7 bad input",
            "reason": "INC-7", "idempotency_key": "c1", "submit": "1"}  # fmt: skip
    done = operator_client.post(reverse("actions:new", args=[KIND]), data)

    action = Action.objects.get()
    assert done.status_code == 302, done.content.decode()[:2000]
    assert (action.status, action.error) == ("succeeded", ""), action.error
    waiting, working, finished = ids
    assert action.result["jobs"] == {
        waiting: "cancelled",
        working: "terminated",
        finished: "skipped: already SUCCEEDED",
    }
    assert action.result["sent"] == {waiting: "CancelJob", working: "TerminateJob"}
    for name in ("waiting", "working"):
        job = fleet.job(name)
        assert (job["status"], job["statusReason"]) == ("FAILED", "INC-7 bad input")
    assert fleet.job("done")["status"] == "SUCCEEDED"
    rows = dict(Job.objects.filter(job_id__in=ids).values_list("job_id", "status"))  # re-synced before the end
    assert rows == {waiting: "FAILED", working: "FAILED", finished: "SUCCEEDED"}
    log = log_of(action)
    assert f"Skipped 1 job(s) already finished: done ({finished})." in log
    assert "Sent CancelJob for 1 job(s) not started yet and TerminateJob for 1 job(s) STARTING or RUNNING." in log
    assert f"Cancelled 1 job(s): waiting ({waiting})." in log and f"Terminated 1 job(s): working ({working})." in log


def test_the_default_reason_is_the_actions_with_who_asked(operator_client, operator, fleet):
    body = {"kind": KIND, "targets": [fleet.jobs["queued"]], "params": {}, "reason": "CHG-5 rerun tonight"}
    answer = operator_client.post("/api/v1/actions/", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    got = operator_client.get(f"/api/v1/actions/{answer.json()['id']}/").json()
    assert got["status"] == "succeeded", got["error"]
    expected = f"CHG-5 rerun tonight (fleetui action #{answer.json()['id']} by {operator.get_username()})"
    assert fleet.job("queued")["statusReason"] == expected
    assert got["result"]["jobs"] == {fleet.jobs["queued"]: "cancelled"}


def test_a_job_aws_no_longer_lists_fails_and_the_others_go_ahead(operator, account, fleet):
    ghost = "5c0ffee0-0000-4000-8000-00000000dead"
    row = Job.objects.get(job_id=fleet.jobs["queued"])
    row.pk, row.job_id = None, ghost
    row.save()  # the inventory holds a job that AWS does not (any more)
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[fleet.jobs["waiting"], ghost],
        params={"reason": "cleanup"}, reason="x",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "failed"
    assert action.result["jobs"][fleet.jobs["waiting"]] == "cancelled"
    assert action.error == (
        f"1 of 2 job(s) could not be stopped: {ghost}: not found in AWS (DescribeJobs does not list it: it ended too "
        "long ago). The result lists each job's outcome."
    )
    assert fleet.job("waiting")["status"] == "FAILED"


@pytest.mark.django_db  # nothing is recorded: no need for the slower transactional database
def test_finished_jobs_too_many_jobs_or_too_long_a_reason_are_refused(operator_client, fleet):
    many = [fleet.jobs["waiting"]] + [f"00000000-0000-4000-8000-{n:012d}" for n in range(100)]
    cases = [
        ([fleet.jobs["done"]], {}, "The job has finished already (SUCCEEDED or FAILED): there is nothing to cancel."),
        (many, {}, "Cancel Batch jobs takes at most 100 targets; 101 were given."),
        ([fleet.jobs["waiting"]], {"reason": "x" * 1025}, "Batch keeps at most 1024 characters of a reason."),
    ]
    for targets, params, reason in cases:
        body = {"kind": KIND, "targets": targets, "params": params, "reason": "x"}
        answer = operator_client.post("/api/v1/actions/", body, content_type="application/json")
        assert answer.status_code == 400 and reason in answer.content.decode(), answer.content
    assert not Action.objects.exists() and fleet.job("waiting")["status"] == "RUNNABLE"


@pytest.mark.django_db
def test_a_viewer_may_not_cancel(viewer_client: Client, account, fleet):
    data = {"account": account.account_id, "region": REGION, "targets": fleet.jobs["waiting"], "reason": "x",
            "idempotency_key": "v", "submit": "1"}  # fmt: skip
    assert viewer_client.post(reverse("actions:new", args=[KIND]), data).status_code == 403
    body = {"kind": KIND, "targets": [fleet.jobs["waiting"]], "params": {}, "reason": "x"}
    assert viewer_client.post("/api/v1/actions/", body, content_type="application/json").status_code == 403
    assert not Action.objects.exists() and fleet.job("waiting")["status"] == "RUNNABLE"


def test_a_job_aws_refuses_to_cancel_is_failed_with_its_words(operator, account, fleet):
    fault = {"action": "CancelJob", "error": "ClientException", "count": 1, "message": "Job not found"}
    requests.post(f"{fleet.endpoint}/fleetui-sandbox/faults", json=fault, timeout=10).raise_for_status()
    queued, working = fleet.jobs["queued"], fleet.jobs["working"]
    action = services.action_request(
        user=operator, kind=KIND, account=account, region=REGION, targets=[queued, working], params={}, reason="x",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == "failed"
    assert action.result["jobs"] == {
        queued: "failed: AWS refused the request (CancelJob: Job not found) [ClientException]",
        working: "terminated",
    }
    assert action.error.startswith(f"1 of 2 job(s) could not be stopped: queued ({queued}): AWS refused the request")
    assert fleet.job("queued")["status"] == "SUBMITTED" and fleet.job("working")["status"] == "FAILED"
