"""Briefs built on a Dask cluster (#28): the same bytes as --jobs 1, nothing lost with a worker,
no folder shared with the workers, one line when the scheduler cannot be reached."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip(
    "distributed", reason="the dask extra is not installed (make dask): cluster tests skipped"
)

import dask
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from bench.synthetic import country_csv
from pipeline import config
from pipeline.cli import main
from pipeline.config import Dirs
from pipeline.core.outcomes import Status
from pipeline.run import cluster, remote, runner
from pipeline.run.remote import Bundle, Payload, SchedulerUnreachable
from tests.conftest import SEED
from tests.fakes import CrashOnce, buggy_build, fake_pdf, fast_build

pytestmark = pytest.mark.slow  # starts a cluster

#: Nothing listens on port 1 of the loopback.
NOWHERE = "tcp://127.0.0.1:1"

#: Paths under these folders opened by a worker (its audit hook, `WatchOpens`).
_opened: list[str] = []


class WatchOpens(WorkerPlugin):
    """Each worker notes every file it opens below `watched` (the tests' folders)."""

    idempotent = True
    name = "watch-opens"

    def __init__(self, watched: str) -> None:
        self.watched = watched

    def setup(self, worker: Any) -> None:
        watched = self.watched

        def hook(event: str, args: tuple[Any, ...]) -> None:
            if event == "open" and isinstance(args[0], str | Path):
                path = os.path.abspath(args[0])
                if path.startswith(watched):
                    _opened.append(path)

        sys.addaudithook(hook)


def _opened_by_workers() -> list[str]:
    return list(_opened)


def _worker_directory() -> str:
    return os.getcwd()


@pytest.fixture(scope="session")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Client]]:
    """Two worker processes of one thread, started in a working directory of their own."""
    elsewhere = tmp_path_factory.mktemp("worker-cwd")
    here = Path.cwd()
    os.chdir(elsewhere)  # the workers start here: nothing of the project is beside them
    try:
        with dask.config.set(cluster.SCHEDULER_SETTINGS):
            local = LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=50,
            )
    finally:
        os.chdir(here)
    client = Client(local, set_as_default=False)
    client.register_plugin(WatchOpens(str(tmp_path_factory.getbasetemp())))
    yield local.scheduler_address, client
    client.close()
    local.close()


def _countries(dirs: Dirs, **sizes: int) -> None:
    for seed, (name, size) in enumerate(sizes.items()):
        (dirs.raw / f"{name}.csv").write_text(country_csv(size, seed), encoding="utf-8")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _twin(dirs: Dirs, name: str) -> Dirs:
    """Other output folders for the same data/raw."""
    root = dirs.raw.parent / name
    return Dirs(dirs.raw, root / "processed", root / "reports")


def test_a_cluster_builds_the_same_bytes_as_jobs_1(
    dirs: Dirs, scheduler: tuple[str, Client]
) -> None:
    shutil.copy(SEED / "kenya.csv", dirs.raw)  # the real table, with its findings
    _countries(dirs, uganda=4, tanzania=3)
    (dirs.raw / "uganda.md").write_text("## Story\n\nA story from Uganda.\n", encoding="utf-8")
    (dirs.raw / "atlantis.csv").write_text(country_csv(2, 9), encoding="utf-8")  # refused
    here = _twin(dirs, "here")
    started: list[str] = []

    local = runner.run(here, jobs=1, isolate=False, render=fake_pdf)
    there = runner.run(
        dirs, scheduler=scheduler[0], render=fake_pdf, on_start=lambda p: started.append(p.name)
    )

    assert _tree(dirs.reports) == _tree(here.reports)
    assert _tree(dirs.processed) == _tree(here.processed)
    assert [c.to_json() for c in there.countries] == [c.to_json() for c in local.countries]
    assert sorted(started) == ["atlantis.csv", "kenya.csv", "tanzania.csv", "uganda.csv"]
    assert any("2 workers" in note for note in there.notes)

    (dirs.raw / "tanzania.csv").write_text(country_csv(5, 7), encoding="utf-8")
    started.clear()
    again = runner.run(
        dirs, scheduler=scheduler[0], render=fake_pdf, on_start=lambda p: started.append(p.name)
    )

    assert started == ["tanzania.csv"]  # unchanged countries are not sent
    assert again.ok is local.ok


def test_workers_in_another_folder_never_read_data_raw_nor_write_reports(
    dirs: Dirs, scheduler: tuple[str, Client]
) -> None:
    _countries(dirs, kenya=3)
    client = scheduler[1]

    outcome = runner.run(dirs, scheduler=scheduler[0], render=fake_pdf)

    assert outcome.ok and config.brief_pdf(dirs.reports, "kenya").is_file()
    opened = [p for paths in client.run(_opened_by_workers).values() for p in paths]
    assert not [p for p in opened if p.startswith(str(dirs.raw.parent))]
    folders = set(client.run(_worker_directory).values())
    assert Path.cwd() not in {Path(f) for f in folders}


def test_a_country_whose_retry_loses_its_worker_too_fails_alone_with_its_rows(
    dirs: Dirs,
) -> None:
    """What the client makes of a second lost worker (two more deaths would cost two restarts)."""
    _countries(dirs, tanzania=4)

    class Lost:
        status = "error"

        def exception(self) -> BaseException:
            worker = type("WorkerState", (), {"address": "tcp://10.0.0.7:4000"})()
            return distributed.KilledWorker("ib-tanzania", worker, 0)

    result = cluster._outcome(Lost(), dirs.raw / "tanzania.csv", dirs, {"tanzania.csv": 5})  # type: ignore[arg-type]

    assert result.status is Status.FAILED
    assert [f.rule for f in result.findings] == ["worker-lost"]
    assert "stopped twice (the last was tcp://10.0.0.7:4000)" in result.findings[0].message
    assert (result.rows_read, result.rows_refused) == (5, 5)  # told by the worker before it died


def test_a_bug_fails_its_country_alone_with_a_log(
    dirs: Dirs, scheduler: tuple[str, Client]
) -> None:
    _countries(dirs, kenya=3, uganda=2)

    outcome = runner.run(dirs, scheduler=scheduler[0], task=buggy_build("uganda"))

    status = {c.file: c.status for c in outcome.countries}
    assert status == {"kenya.csv": Status.BUILT, "uganda.csv": Status.FAILED}
    uganda = next(c for c in outcome.countries if c.file == "uganda.csv")
    assert "ZeroDivisionError" in uganda.findings[0].message
    assert "a bug in the build" in config.error_log(dirs.reports).read_text(encoding="utf-8")


def test_a_worker_with_other_code_refuses_and_names_itself_and_what_differs(
    dirs: Dirs, scheduler: tuple[str, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    _countries(dirs, kenya=3)
    parts = dict(remote.local_code()[1])
    parts["packages"] = {**parts["packages"], "weasyprint": "0.1"}  # type: ignore[dict-item]
    monkeypatch.setattr(cluster, "code_sha256", lambda: "another fingerprint")
    monkeypatch.setattr(cluster, "code_here", lambda: ("another fingerprint", parts))

    outcome = runner.run(dirs, scheduler=scheduler[0], render=fake_pdf)

    (kenya,) = outcome.countries
    assert kenya.status is Status.FAILED
    message = kenya.findings[0].message
    assert kenya.findings[0].rule == "worker-code-differs"
    assert "It stopped" not in message  # it never started: its rows were not read
    assert "tcp://127.0.0.1:" in message and "weasyprint" in message and "0.1 here" in message
    assert not config.brief_pdf(dirs.reports, "kenya").exists()


def test_ctrl_c_cancels_the_rest_and_leaves_nothing_half_written(
    dirs: Dirs, scheduler: tuple[str, Client]
) -> None:
    _countries(dirs, kenya=3, uganda=2, tanzania=2, zambia=2)

    def interrupt(_: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runner.run(dirs, scheduler=scheduler[0], render=fake_pdf, on_done=interrupt)

    assert not config.manifest(dirs.reports).exists()
    assert not list(dirs.reports.rglob("*.tmp")) and not list(dirs.processed.rglob("*.tmp"))
    assert runner.run(dirs, scheduler=scheduler[0], render=fake_pdf).ok  # the next run recovers


def test_an_unreachable_scheduler_is_one_line_and_no_output(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 0.5)
    _countries(dirs, kenya=3)
    args = ["report", "--raw", str(dirs.raw), "--processed", str(dirs.processed)]
    args += ["--reports", str(dirs.reports), "--scheduler", NOWHERE]

    code = main(args)

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"error: the Dask scheduler at {NOWHERE} could not be reached")
    assert len(err.strip().splitlines()) == 1
    assert not [p for p in dirs.reports.rglob("*") if not p.name.startswith(".")]
    assert not list(dirs.processed.rglob("*.csv"))


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--scheduler", "127.0.0.1:8786"], "give a Dask scheduler's address"),
        (["--scheduler", "tls://h:1", "--scheduler-security", "/nowhere.yaml"], "does not exist"),
    ],
)
def test_a_wrong_scheduler_argument_is_a_usage_error(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(["report", "--raw", str(dirs.raw), *args]) == 2
    assert says in capsys.readouterr().err


def test_the_scheduler_may_be_named_by_the_environment(
    dirs: Dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMPACT_BRIEFS_SCHEDULER", NOWHERE)
    from pipeline.cli import parser

    assert parser().parse_args(["report"]).scheduler == NOWHERE


def test_without_dask_scheduler_says_how_to_install_it(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)

    assert main(["report", "--raw", str(dirs.raw), "--scheduler", "local"]) == 2
    assert "make dask" in capsys.readouterr().err


def test_tls_settings_come_from_the_security_file_beside_their_certificates(
    tmp_path: Path,
) -> None:
    security = tmp_path / "dask-security.yaml"
    security.write_text(
        "distributed:\n  comm:\n    require-encryption: true\n    tls:\n"
        "      ca-file: ca.pem\n      client:\n        cert: client.pem\n        key: client.key\n",
        encoding="utf-8",
    )

    settings = cluster._security(security)["security"]

    assert settings.tls_ca_file == str(tmp_path / "ca.pem")
    assert settings.tls_client_key == str(tmp_path / "client.key")
    assert settings.require_encryption is True
    security.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(SchedulerUnreachable, match="holds no settings"):
        cluster._security(security)
    security.write_text("a: [unclosed\n", encoding="utf-8")
    with pytest.raises(SchedulerUnreachable, match="could not be read"):
        cluster._security(security)


def test_a_build_from_bytes_sends_back_every_write_and_removal(dirs: Dirs) -> None:
    """In this process, as a worker runs it: the same result and bytes as a build here."""
    _countries(dirs, kenya=3)
    from pipeline.run.inputs import shared_inputs
    from pipeline.run.parallel import Batch

    shared, _ = shared_inputs(dirs)
    batch = Batch(dirs, shared, fast_build)
    returned = remote.build_remote(
        cluster.payload(dirs.raw / "kenya.csv", ""), cluster.bundle(dirs, batch)
    )
    here = fast_build(dirs.raw / "kenya.csv", dirs, shared)

    assert returned.result is not None and not returned.refusal and not returned.bug
    writes = dict(returned.writes)
    for path in here.outputs:
        where = path.relative_to(dirs.raw.parent).as_posix()
        assert writes[where] == path.read_bytes()
    removed = config.rejected_csv(dirs.processed, "kenya").relative_to(dirs.raw.parent)
    assert writes[removed.as_posix()] is None  # nothing rejected: any earlier list goes
    assert [cluster._local(p.as_posix(), dirs) for p in returned.result.outputs] == here.outputs
    with pytest.raises(ValueError, match="outside the output folders"):
        cluster._local("raw/kenya.csv", dirs)
    other = Bundle(shared, {}, {}, "another", {"version": "0.0.1"})
    refused = remote.build_remote(Payload("kenya.csv", {}), other)
    assert refused.refusal.startswith("Impact Briefs ") and ", 0.0.1 here" in refused.refusal


# Last: the worker that dies is restarted while the session ends, not while a test waits.
def test_a_country_whose_worker_dies_is_retried_alone_and_nothing_is_lost(
    dirs: Dirs, scheduler: tuple[str, Client]
) -> None:
    _countries(dirs, kenya=3, uganda=2, tanzania=4)
    # The first worker to build Uganda dies (one worker death: each costs a worker restart).
    task = CrashOnce("uganda", dirs.raw.parent / "uganda-crashed")

    outcome = runner.run(dirs, scheduler=scheduler[0], task=task)

    assert (dirs.raw.parent / "uganda-crashed").exists()  # a worker did die
    assert {c.file: c.status for c in outcome.countries} == {
        "kenya.csv": Status.BUILT,
        "uganda.csv": Status.BUILT,  # retried alone on another worker
        "tanzania.csv": Status.BUILT,
    }
    assert outcome.invariant() == (12, 12, 0, 0)
    assert config.brief_pdf(dirs.reports, "uganda").is_file()
