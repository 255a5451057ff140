"""Scheduled re-ingestion: the ingest flow as a Prefect deployment that runs on a cron schedule."""
from __future__ import annotations

from pathlib import Path

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL
from prefect.types.entrypoint import EntrypointType

from .ingest import ingest_flow

DEPLOYMENT = "scheduled-ingest"


class ScheduleError(Exception):
    """A schedule that cannot be served; the message says what to do."""


class InvalidSchedule(ScheduleError):
    """The cron expression or the time zone is not valid."""


class NoPrefectServer(ScheduleError):
    """No Prefect API is configured or it does not answer, so scheduled runs would never fire."""


def ingest_deployment(
    cron: str, corpus: str | Path, db: str | Path, *, timezone: str = "UTC", name: str = DEPLOYMENT,
) -> RunnerDeployment:
    """The ingest flow over `corpus` into `db` as a deployment that runs on `cron` in `timezone`."""
    try:
        schedule = Cron(cron, timezone=timezone)
        return ingest_flow.to_deployment(
            name=name,
            schedule=schedule,
            parameters={"paths": [str(Path(corpus).resolve())], "db_path": str(Path(db).resolve())},
            description=f"Re-ingest {corpus} into {db} on the cron schedule {cron!r} ({timezone}).",
            tags=["shuzi"],
            # Entry point by module, so the runner finds the flow from any working directory.
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
    except ValueError as exc:
        errors = getattr(exc, "errors", None)
        reason = errors()[0]["msg"] if callable(errors) else str(exc)
        raise InvalidSchedule(
            f"--cron {cron!r} --timezone {timezone!r}: {reason}; "
            "give five cron fields (minute hour day month weekday), e.g. \"0 6 * * *\", "
            "and an IANA time zone such as Asia/Shanghai"
        ) from None


def require_prefect_server() -> str:
    """The URL of a Prefect API that answers; raise NoPrefectServer otherwise."""
    url = PREFECT_API_URL.value()
    if not url:
        raise NoPrefectServer(
            "no Prefect API is configured, so scheduled runs would never fire; run `prefect server start` "
            "in another terminal, then `prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api`")
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        failure = client.api_healthcheck()
    if failure is not None:
        raise NoPrefectServer(f"the Prefect API at {url} does not answer ({failure}); "
                              "start it with `prefect server start` or fix PREFECT_API_URL")
    return url


def serve_schedule(cron: str, corpus: str | Path, db: str | Path, *, timezone: str = "UTC") -> None:
    """Serve the scheduled ingest deployment until interrupted; the Prefect server triggers each run."""
    from prefect import serve

    if not Path(corpus).is_dir():
        raise ScheduleError(f"{corpus}: no such folder; pass the reports folder with --corpus")
    deployment = ingest_deployment(cron, corpus, db, timezone=timezone)
    require_prefect_server()
    serve(deployment)
