"""batch.cancel_jobs: stop up to 100 Batch jobs with a reason AWS keeps (each job's statusReason), and wait until
each one is FAILED, which is how Batch shows a cancelled or terminated job.

Batch has two calls, by how far a job got: CancelJob for a job not started yet (SUBMITTED, PENDING, RUNNABLE) and
TerminateJob for one STARTING or RUNNING. CancelJob "succeeds" without doing anything for a job that has started in
the meantime, so a cancelled job seen STARTING or RUNNING while the action waits is terminated. A job already
finished (SUCCEEDED or FAILED) is skipped and the result says so.

Each delivery reads the jobs first (DescribeJobs) and keeps what it sent in the result (`sent`), so a redelivery
sends nothing twice: a job already asked to stop is only waited for. A job Batch no longer lists (it keeps finished
jobs for a limited time) or refuses (ClientException) is recorded as failed with AWS's words; the others go ahead,
and the action fails at the end, listing each job's outcome. The jobs and their queues are re-synced when it ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetui.actions.common import poll_interval, wait_timeout
from fleetui.actions.registry import ActionFailed, ActionInvalid, Operation, known_rows, operation, shown
from fleetui.aws import AwsInvalidRequest, AwsNotFound
from fleetui.aws import batch_environments as aws
from fleetui.batch.models import Job

from .forms import CancelJobsForm

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

JOBS = "batch_jobs"  # this app's resource types (sync.SYNCS)
QUEUES = "batch_job_queues"
NOT_STARTED = frozenset({"SUBMITTED", "PENDING", "RUNNABLE"})  # CancelJob
STARTED = frozenset({"STARTING", "RUNNING"})  # TerminateJob
FINISHED = frozenset({"SUCCEEDED", "FAILED"})
CANCEL, TERMINATE = "CancelJob", "TerminateJob"
DONE_WORDS = {CANCEL: "cancelled", TERMINATE: "terminated"}
REFUSED = (AwsNotFound, AwsInvalidRequest)


@operation
class CancelJobs(Operation):
    kind, label, verb = "batch.cancel_jobs", "Cancel Batch jobs", "Cancel"
    target_type, min_targets, max_targets = JOBS, 1, 100
    form_class = CancelJobsForm
    help = (
        "CancelJob for jobs not started yet, TerminateJob for jobs STARTING or RUNNING, with the reason; then wait "
        "until each is FAILED. Finished jobs are skipped."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        rows = known_rows(Job, account=account, region=region, ids=targets)
        if all(row.status in FINISHED for row in rows.values()):
            raise ActionInvalid(
                f"{'The job has' if len(targets) == 1 else 'Every job has'} finished already (SUCCEEDED or FAILED): "
                "there is nothing to cancel. Sync AWS Batch if the inventory is out of date.",
                field="targets",
            )
        return targets

    def touched(self, action: Action) -> dict[str, list[str]]:
        queues = Job.objects.filter(account=action.account, region=action.region, job_id__in=action.targets)
        arns = sorted({arn for arn in queues.values_list("job_queue_arn", flat=True) if arn})
        return {JOBS: list(action.targets), **({QUEUES: arns} if arns else {})}

    def describe(self, action: Action) -> str:
        count = len(action.targets)
        if count == 1:
            row = Job.objects.filter(account=action.account, region=action.region, job_id=action.targets[0]).first()
            return f"Cancel the Batch job {row.name if row else action.targets[0]}"
        return f"Cancel {count} Batch jobs"

    @staticmethod
    def stop_reason(action: Action) -> str:
        """The reason sent to AWS: the one given, else the action's reason with who asked and the action's id."""
        given = str(action.params.get("reason", "")).strip()
        who = f"fleetui action #{action.pk} by {action.requested_by.get_username()}"
        return given or (f"{action.reason} ({who})" if action.reason else f"Cancelled by {who}")

    def run(self, ctx: ActionContext) -> None:
        ctx.step(f"Reading {len(ctx.targets)} job(s)", progress=5)
        found = aws.jobs_describe(account=ctx.account, region=ctx.region, job_ids=ctx.targets)
        names = {job_id: str(job.get("jobName", job_id)) for job_id, job in found.items()}
        ctx.note(names={**ctx.result.get("names", {}), **names})
        outcome: dict[str, str] = {}
        sent: dict[str, str] = dict(ctx.result.get("sent", {}))
        todo: dict[str, str] = {}  # job id -> the call to make
        for job_id in ctx.targets:
            job = found.get(job_id)
            status = job.get("status", "") if job else ""
            if job is None:
                outcome[job_id] = "failed: not found in AWS (DescribeJobs does not list it: it ended too long ago)"
            elif status in FINISHED:
                outcome[job_id] = self._ended(job, sent.get(job_id))
            elif job_id in sent and (sent[job_id] == TERMINATE or status in NOT_STARTED):
                continue  # an earlier delivery asked already: only wait
            else:
                todo[job_id] = CANCEL if status in NOT_STARTED else TERMINATE
        skipped = [job_id for job_id, text in outcome.items() if text.startswith("skipped")]
        if skipped:
            ctx.log(f"Skipped {len(skipped)} job(s) already finished: {self._names(ctx, skipped)}.")
        ctx.note(jobs=outcome)
        if todo:
            reason = self.stop_reason(ctx.action)
            ctx.note(reason=reason)
            ctx.step(f"Stopping {len(todo)} job(s): {reason}", progress=15)
            self._send(ctx, todo, reason, sent, outcome)
        waiting = [job_id for job_id in ctx.targets if job_id not in outcome]
        if waiting:
            outcome.update(self._wait(ctx, waiting, sent))
            ctx.note(jobs=outcome)
        self._report(ctx, outcome)

    def _send(
        self, ctx: ActionContext, todo: dict[str, str], reason: str, sent: dict[str, str], outcome: dict[str, str]
    ) -> None:
        """CancelJob or TerminateJob for each job; each call is recorded in the result as soon as it is made."""
        for job_id, call in todo.items():
            stop = aws.job_cancel if call == CANCEL else aws.job_terminate
            try:
                stop(account=ctx.account, region=ctx.region, job_id=job_id, reason=reason)
            except REFUSED as error:
                outcome[job_id] = f"failed: {error}"
                continue
            sent[job_id] = call
            ctx.note(sent=sent)
        calls = [call for job_id, call in todo.items() if sent.get(job_id) == call]
        ctx.log(
            f"Sent CancelJob for {calls.count(CANCEL)} job(s) not started yet and TerminateJob for "
            f"{calls.count(TERMINATE)} job(s) STARTING or RUNNING."
        )

    @staticmethod
    def _ended(job: dict[str, Any], call: str | None) -> str:
        """The outcome of a finished job: stopped by this action, finished before it could be, or skipped."""
        status = job.get("status", "")
        if call is None:
            return f"skipped: already {status}"
        if status == "FAILED":
            return DONE_WORDS[call]
        return f"finished {status} before it could be stopped"

    def _wait(self, ctx: ActionContext, job_ids: list[str], sent: dict[str, str]) -> dict[str, str]:
        ctx.step(f"Waiting until {len(job_ids)} job(s) are FAILED", progress=30)
        ended: dict[str, str] = {}
        last: dict[str, str] = {}

        def all_ended() -> dict[str, str] | None:
            found = aws.jobs_describe(account=ctx.account, region=ctx.region, job_ids=job_ids)
            for job_id in job_ids:
                job = found.get(job_id)
                if job_id in ended:
                    continue
                if job is None:
                    ended[job_id] = "failed: no longer listed by DescribeJobs while the action waited"
                    continue
                status = str(job.get("status", ""))
                if last.get(job_id) != status:
                    last[job_id] = status
                    ctx.log(f"{self._names(ctx, [job_id])}: {status}.")
                if status in FINISHED:
                    ended[job_id] = self._ended(job, sent.get(job_id))
                elif status in STARTED and sent.get(job_id) == CANCEL:
                    # It started before the cancel took: CancelJob leaves a started job running.
                    ctx.log(f"{self._names(ctx, [job_id])} started before it was cancelled: terminating it.")
                    self._send(ctx, {job_id: TERMINATE}, str(ctx.result.get("reason", "")), sent, ended)
            ctx.progress(30 + 65 * len(ended) // len(job_ids))
            return dict(ended) if len(ended) == len(job_ids) else None

        try:
            return ctx.wait(all_ended, what="the jobs to be FAILED", timeout=wait_timeout(), interval=poll_interval())
        except ActionFailed as late:
            if not str(late).startswith("Timed out"):
                raise
            left = [job_id for job_id in job_ids if job_id not in ended]
            raise ActionFailed(
                f"{late} Still not finished: "
                + ", ".join(f"{self._names(ctx, [job_id])} ({last.get(job_id, '?')})" for job_id in left[:10])
                + ". They were asked to stop; Batch goes on without fleetui (a PENDING job is cancelled only once "
                "the jobs it depends on have finished)."
            ) from None

    def _report(self, ctx: ActionContext, outcome: dict[str, str]) -> None:
        """The step log's summary by outcome; fails the action when a job could not be stopped."""
        groups: dict[str, list[str]] = {}
        for job_id in ctx.targets:
            text = outcome.get(job_id, "unknown")
            groups.setdefault(text.split(":", 1)[0], []).append(job_id)
        for word in ("cancelled", "terminated"):
            if groups.get(word):
                ctx.log(f"{word.capitalize()} {len(groups[word])} job(s): {self._names(ctx, groups[word])}.")
        late = [job_id for job_id, text in outcome.items() if text.startswith("finished")]
        if late:
            ctx.log(f"{len(late)} job(s) finished before they could be stopped: {self._names(ctx, late)}.")
        failed = [job_id for job_id in ctx.targets if outcome.get(job_id, "").startswith("failed")]
        if failed:
            raise ActionFailed(
                f"{len(failed)} of {len(ctx.targets)} job(s) could not be stopped: "
                + "; ".join(f"{self._names(ctx, [j])}: {outcome[j].removeprefix('failed: ')}" for j in failed[:10])
                + ". The result lists each job's outcome."
            )

    @staticmethod
    def _names(ctx: ActionContext, job_ids: list[str]) -> str:
        names = ctx.result.get("names", {})
        return shown([f"{names[job_id]} ({job_id})" if job_id in names else job_id for job_id in job_ids])
