"""The scheduled ingest deployment: its cron schedule, its parameters, and one-line errors without a server."""
from __future__ import annotations

import importlib

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.cli import main
from flows.schedule import InvalidSchedule, NoPrefectServer, ingest_deployment, require_prefect_server


@pytest.mark.parametrize(("cron", "timezone"), [
    ("0 6 * * *", "UTC"),
    ("30 2 * * 1-5", "Asia/Shanghai"),
    ("*/15 * * * *", "Europe/Berlin"),
])
def test_deployment_runs_the_ingest_flow_on_its_cron(tmp_path, cron, timezone):
    deployment = ingest_deployment(cron, tmp_path / "corpus", tmp_path / "w.db", timezone=timezone)
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == (cron, timezone, True)
    assert deployment.parameters == {"paths": [str(tmp_path / "corpus")], "db_path": str(tmp_path / "w.db")}
    module, _, name = deployment.entrypoint.rpartition(".")
    assert getattr(importlib.import_module(module), name).name == deployment.flow_name == "shuzi-ingest"


def test_relative_folders_become_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deployment = ingest_deployment("0 6 * * *", "corpus", "w.db")
    assert deployment.parameters == {"paths": [str(tmp_path / "corpus")], "db_path": str(tmp_path / "w.db")}


@pytest.mark.parametrize(("cron", "timezone", "named"), [
    ("61 6 * * *", "UTC", "61 6 * * *"),
    ("every morning", "UTC", "every morning"),
    ("0 6 * * *", "Mars/Olympus", "Mars/Olympus"),
])
def test_invalid_schedule_names_what_to_fix(tmp_path, cron, timezone, named):
    with pytest.raises(InvalidSchedule, match="five cron fields") as raised:
        ingest_deployment(cron, tmp_path, tmp_path / "w.db", timezone=timezone)
    assert named in str(raised.value)


@pytest.mark.parametrize(("url", "says"), [
    (None, "prefect server start"),
    ("http://127.0.0.1:9/api", "does not answer"),
])
def test_no_prefect_server_is_refused_before_serving(url, says):
    with temporary_settings(updates={PREFECT_API_URL: url}):
        with pytest.raises(NoPrefectServer, match=says):
            require_prefect_server()


@pytest.mark.parametrize(("argv", "says"), [
    (["schedule", "--cron", "0 25 * * *"], "--cron '0 25 * * *'"),
    (["schedule", "--corpus", "no/such/folder"], "no/such/folder: no such folder"),
])
def test_schedule_command_prints_one_line_and_exits_2(capsys, argv, says):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and says in err
