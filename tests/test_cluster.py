"""The command line on a Dask cluster (``--scheduler``, ``CAPTIONBRIDGE_SCHEDULER``) and on
fsspec URLs: a real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, started
here, give the same outputs, records, summary and exit code as a run on this machine.

``memory://`` lives in one process, so the cluster runs read and write a local folder through
``file://`` URLs (standing in for an object store every worker sees); ``memory://`` is tested
in this process, where the command line converts on its own.
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import fsspec
import pytest
from batchfiles import make_inputs, tree
from fsspec.implementations.memory import MemoryFile, MemoryFileSystem
from waiting import HANG

from captionbridge.cli.app import main
from captionbridge.testing.cluster import free_port, local_cluster

distributed = pytest.importorskip("distributed")

FORMATS = "srt,vtt,ttml"
#: a connect timeout short enough for the unreachable-scheduler test
QUICK_TIMEOUT = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}


def _cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "CAPTIONBRIDGE_SCHEDULER"}
    return subprocess.run(
        [sys.executable, "-m", "captionbridge", "convert", *args],
        cwd=cwd,
        env={**environment, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two one-thread workers, all stopped afterwards."""
    with local_cluster(2, tmp_path_factory.mktemp("cluster")) as address:
        yield address


def _chunks_run(address: str) -> int:
    """How many chunks the scheduler has run so far."""

    def count(dask_scheduler: object) -> int:
        prefix = dask_scheduler.task_prefixes.get("run_chunk")  # type: ignore[attr-defined]
        return 0 if prefix is None else sum(prefix.state_counts.values())

    with distributed.Client(address, timeout=f"{HANG:.0f}s", set_as_default=False) as client:
        return int(client.run_on_scheduler(count))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    folder = tmp_path_factory.mktemp("batch") / "in"
    make_inputs(folder, seed_path, count=40, parts=2)
    return folder


def _normalised(text: str, names: dict[str, str], summary: bool = False) -> str:
    for name, short in names.items():
        text = text.replace(name, short)
    return re.sub(r"in [\d.]+ s$", "in T s", text, flags=re.M) if summary else text


def test_cluster_run_equals_local_run(scheduler: str, inputs: Path) -> None:
    base = inputs.parent
    args = [inputs.as_uri(), "-r", "-t", FORMATS, "--json"]
    local = _cli(*args, "-d", (base / "local").as_uri(), cwd=base)
    before = _chunks_run(scheduler)
    remote = _cli(*args, "-d", (base / "remote").as_uri(), "--scheduler", scheduler, cwd=base)
    assert _chunks_run(scheduler) > before  # the chunks ran on the cluster
    assert remote.returncode == local.returncode == 1  # broken.txt failed in both
    assert tree(base / "remote") == tree(base / "local")
    assert len(tree(base / "local")) == 40 * 3
    local_names = {(base / "local").as_uri(): "OUT"}
    remote_names = {(base / "remote").as_uri(): "OUT"}
    assert _normalised(remote.stdout, remote_names) == _normalised(local.stdout, local_names)
    local_records = [json.loads(line) for line in local.stdout.splitlines()]
    assert len(local_records) == 41 and sum(1 for r in local_records if r["error"]) == 1
    assert _shape(remote.stderr, remote_names) == _shape(local.stderr, local_names)
    assert "40 converted, 0 skipped, 1 failed" in local.stderr
    assert "Traceback" not in remote.stderr

    # again, with an unreachable scheduler in the environment: the flag wins over it
    unreachable = {"CAPTIONBRIDGE_SCHEDULER": f"tcp://127.0.0.1:{free_port()}", **QUICK_TIMEOUT}
    again = _cli(*args, "-d", (base / "remote").as_uri(), "--scheduler", scheduler, cwd=base,
                 env=unreachable)  # fmt: skip
    assert again.returncode == 1 and "--skip-existing" in again.stderr
    assert f"{(base / 'remote').as_uri()}/" in again.stderr  # named as it was given: a URL
    assert tree(base / "remote") == tree(base / "local")  # untouched


def test_environment_names_the_scheduler(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    # relative local paths, from a working directory that is not the workers'
    (tmp_path / "in").symlink_to(inputs, target_is_directory=True)
    env = {"CAPTIONBRIDGE_SCHEDULER": scheduler}
    before = _chunks_run(scheduler)
    by_env = _cli("in/part1", "-t", "srt", "-d", "env", cwd=tmp_path, env=env)
    assert by_env.returncode == 0, by_env.stderr
    assert _chunks_run(scheduler) > before
    outputs = tree(tmp_path / "env")
    assert sorted(outputs) == [f"talk{i:02d}.srt" for i in range(1, 40, 2)]
    assert outputs["talk01.srt"].startswith(b"1\n00:")


def test_unreachable_scheduler_is_one_line_and_exit_2(inputs: Path, tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    result = _cli(str(inputs), "-t", "srt", "-d", "out", "--scheduler", address, cwd=tmp_path,
                  env=QUICK_TIMEOUT)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"captionbridge: cannot reach the Dask scheduler at {address}: Timed out trying to"
        f" connect to {address} after 1 s"
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("foo://host:1", "not a Dask scheduler address: 'foo://host:1' (unknown address scheme"),
        ("tcp://", "not a Dask scheduler address: 'tcp://' (no host)"),
    ],
)
def test_not_an_address(address: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["convert", "in", "-t", "srt", "--scheduler", address])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"captionbridge: {message}") and len(err.splitlines()) == 1


def test_memory_urls_refused_on_a_cluster(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["convert", "in", "-d", "memory://out", "--scheduler", "tcp://127.0.0.1:1"])
    assert exit_.value.code == 2
    assert "memory://out: memory:// files live in this process" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("missing", "args", "message"),
    [
        (
            "distributed",
            ["in", "-t", "srt", "--scheduler", "tcp://127.0.0.1:1"],
            "captionbridge: a Dask scheduler needs dask.distributed:"
            " pip install 'captionbridge[cluster]'",
        ),
        (
            "fsspec.core",
            ["s3://bucket/talks/", "-t", "srt"],
            "s3://bucket/talks/: URLs need fsspec: pip install 'captionbridge[cluster]'",
        ),
        (  # checked once before the batch, not once per file
            "s3fs",
            ["in", "-t", "srt", "-d", "s3://bucket/captions/"],
            "s3://bucket/captions/: cannot open: Install s3fs to access S3",
        ),
    ],
)
def test_without_the_cluster_extra(
    missing: str,
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # its import fails
    with pytest.raises(SystemExit) as exit_:
        main(["convert", *args])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == message + "\n"


def _shape(stderr: str, names: dict[str, str]) -> list[str]:
    """The progress lines and summary, sorted, with the time taken and the names of the files
    that warned first left out: chunks finish in any order, and the first warning of a kind
    is printed (and named in the summary) as it arrives, as with a local process pool."""
    text = re.sub(r"talk\d\d", "talkNN", _normalised(stderr, names, summary=True))
    return sorted(text.splitlines())


@pytest.fixture
def memory() -> Iterator[fsspec.AbstractFileSystem]:
    fs = fsspec.filesystem("memory")
    yield fs
    for folder in ("/talks", "/captions"):
        if fs.exists(folder):
            fs.rm(folder, recursive=True)


def _in_process(*args: str) -> int:
    try:
        main(["convert", *args])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_memory_urls_in_process_equal_local_files(
    inputs: Path, tmp_path: Path, memory: fsspec.AbstractFileSystem,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for path in sorted(inputs.rglob("*.txt")):
        memory.pipe_file(f"/talks/{path.relative_to(inputs).as_posix()}", path.read_bytes())
    local = tmp_path / "local"
    assert _in_process(str(inputs), "-r", "-t", FORMATS, "-d", str(local), "--json") == 1
    local_out = capsys.readouterr()
    # 41 files: a batch this big runs in a process pool unless told otherwise, and a pool's
    # processes would write into their own copies of memory://
    assert _in_process("memory://talks", "-r", "-t", FORMATS, "-d", "memory://captions",
                       "--json") == 1  # fmt: skip
    memory_out = capsys.readouterr()
    produced = {p[len("/captions/") :]: memory.cat_file(p) for p in memory.find("/captions")}
    assert produced == tree(local)
    names = {"memory://captions": "OUT", "memory:///talks": "IN"}  # fsspec names it so
    local_names = {str(local): "OUT", str(inputs): "IN"}
    assert _normalised(memory_out.out, names) == _normalised(local_out.out, local_names)
    assert len(memory_out.out.splitlines()) == 41
    assert _shape(memory_out.err, names) == _shape(local_out.err, local_names)

    # existing outputs: untouched without --force (one clear message), replaced with it
    memory.pipe_file("/captions/part1/talk01.srt", b"earlier")
    assert _in_process("memory://talks/part1", "-t", "srt", "-d", "memory://captions/part1") == 1
    assert "--skip-existing" in capsys.readouterr().err
    assert memory.cat_file("/captions/part1/talk01.srt") == b"earlier"
    assert _in_process("memory://talks/part1", "-t", "srt", "-d", "memory://captions/part1",
                       "--force") == 0  # fmt: skip
    assert (
        memory.cat_file("/captions/part1/talk01.srt") == (local / "part1/talk01.srt").read_bytes()
    )


class _OnePutStore(MemoryFileSystem):
    """An object store in memory that takes whole objects only (a streamed write, which an
    object store would upload in parts, fails the test) and refuses to store WebVTT."""

    protocol = ("oneput",)
    store: ClassVar[dict[str, Any]] = {}
    pseudo_dirs: ClassVar[list[str]] = [""]
    puts: ClassVar[list[str]] = []

    @classmethod
    def _strip_protocol(cls, path: str) -> str:
        return str(super()._strip_protocol(path.removeprefix("oneput://")))

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        if path.endswith(".vtt"):
            raise OSError(errno.EIO, "upload refused")
        self.puts.append(path)
        super().pipe_file(path, value, mode=mode, **kwargs)

    def _open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        assert mode == "rb" or "data" in kwargs, f"streamed write of {path}"
        return super()._open(path, mode=mode, **kwargs)


def test_object_store_gets_each_output_in_one_put(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fsspec.register_implementation("oneput", _OnePutStore, clobber=True)
    store = fsspec.filesystem("oneput")
    store.pipe_file("/in/talk.txt", (inputs / "part1" / "talk01.txt").read_bytes())
    _OnePutStore.store["/out/talk.vtt"] = MemoryFile(store, "/out/talk.vtt", b"earlier")
    _OnePutStore.puts.clear()
    try:
        code = _in_process("oneput://in/talk.txt", "-t", "srt,vtt", "-d", "oneput://out", "--force")
        assert code == 1
        err = capsys.readouterr().err
        assert "oneput://out/talk.vtt: cannot write: upload refused" in err.splitlines()
        assert _OnePutStore.puts == ["/out/talk.srt"]  # one put for the object written
        assert store.cat_file("/out/talk.vtt") == b"earlier"  # the one that failed: untouched

        # without --force an existing object stops the file before anything is put
        _OnePutStore.puts.clear()
        assert _in_process("oneput://in/talk.txt", "-t", "srt", "-d", "oneput://out") == 1
        assert "oneput://out/talk.srt: exists; use --force" in capsys.readouterr().err
        assert _OnePutStore.puts == []
    finally:
        _OnePutStore.store.clear()


def test_scheduler_from_the_configuration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "captionbridge.toml").write_text('scheduler = "foo://host:1"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CAPTIONBRIDGE_SCHEDULER", raising=False)
    assert _in_process("in", "-t", "srt") == 2
    assert "not a Dask scheduler address: 'foo://host:1'" in capsys.readouterr().err


class _EmptyCluster:
    """A client of a scheduler that no worker ever joins."""

    def nthreads(self) -> dict[str, int]:
        return {}

    def wait_for_workers(self, n_workers: int, timeout: float) -> None:
        raise TimeoutError(f"only 0/{n_workers} workers arrived after {timeout}")


def test_a_scheduler_without_workers_is_an_error() -> None:
    from captionbridge.batch.cluster import _threads
    from captionbridge.errors import SetupError

    with pytest.raises(SetupError, match=r"^the Dask scheduler at tcp://h:1 has no worker$"):
        _threads(_EmptyCluster(), "tcp://h:1")
