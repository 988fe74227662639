"""nastavnik evaluate, worker: the kept results (services.results) worked out again."""

from __future__ import annotations

import sys
import time

import click

from . import actor_option, dump, json_option, tenant_option, with_database, work_on


@click.command("evaluate")
@tenant_option
@actor_option
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing: compare the kept results with a whole evaluation made "
                   "now, and list where they differ (exit 1 if they do).")
@click.option("--queue", "on_queue", is_flag=True,
              help="Hand it to the workers ($REDIS_URL) and return at once.")
@json_option
@with_database
def evaluate(tenant_slug, actor, check_only, on_queue, as_json):
    """Work out every finding and deadline of the tenant again and keep them (after a
    new version of its regime is installed, or to repair); reads answer from the results
    kept before until it is done."""
    from ..services import jobs, results

    with work_on(tenant_slug, actor) as work:
        if check_only:
            found = results.differences(work)
            if as_json:
                dump({"tenant": tenant_slug, "differences": found})
            else:
                for line in found:
                    click.echo(line)
                click.echo(f"{len(found)} differences" if found else
                           "the kept results agree with a whole evaluation")
            if found:
                sys.exit(1)
            return
        if on_queue:
            if jobs.queue_url() is None:
                raise click.UsageError("--queue needs $REDIS_URL (the workers' queue)")
            work.tenant.results_fingerprint = None  # out of date until the job is done
            progress = jobs.request_evaluation(work)
            return dump(progress) if as_json else click.echo(
                f"queued: {tenant_slug} ({progress['state']})")
        shown = _Progress(as_json)
        figures = results.evaluate_all(work, shown)
    shown.end()
    if as_json:
        return dump({"tenant": tenant_slug, **figures})
    click.echo(f"{tenant_slug}: {figures['owners']} mentorships and councils evaluated "
               f"(load {figures['load']:.2f} s, rules {figures['rules']:.2f} s, "
               f"write {figures['write']:.2f} s)")


class _Progress:
    """Rows written so far, on one line of the terminal, at most ten times a second."""

    def __init__(self, quiet: bool):
        self.quiet, self.last, self.shown = quiet or not sys.stderr.isatty(), 0.0, False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.quiet or (now - self.last < 0.1 and done < total):
            return
        self.last, self.shown = now, True
        click.echo(f"\rkept {done:,} of {total:,} rows ({done * 100 // max(total, 1)}%)",
                   nl=False, err=True)

    def end(self) -> None:
        if self.shown:
            click.echo(err=True)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_database
def worker(burst):
    """Run a worker of the queue ($REDIS_URL): whole re-evaluations of tenants' results,
    on the database of $DATABASE_URL. Run as many as there are cores to spare, on any
    number of machines."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    from ..services import jobs

    url = jobs.queue_url()
    if url is None:
        raise click.UsageError("set $REDIS_URL to the queue's Redis")
    connection = Redis.from_url(url)
    # SimpleWorker runs each job in this process, on the database bound here
    SimpleWorker([Queue(jobs.QUEUE, connection=connection)], connection=connection).work(
        burst=burst)
