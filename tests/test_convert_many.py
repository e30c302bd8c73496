"""convert_many: the Python API on a process pool, a thread pool, fsspec URLs and a Dask
LocalCluster; plugin hosts travel to worker processes as their recipe."""

from __future__ import annotations

import concurrent.futures
import pickle
import shutil
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import fsspec
import pytest
from batchfiles import make_inputs, tree

import captionbridge
from captionbridge.batch import run as batch
from captionbridge.errors import CaptionbridgeError
from captionbridge.flow import stop
from captionbridge.host.registry import PluginHost, make_host


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    folder = tmp_path_factory.mktemp("many") / "in"
    make_inputs(folder, seed_path)
    return folder


@pytest.fixture(scope="module")
def local_pool(inputs: Path, host: PluginHost) -> dict[str, bytes]:
    out = inputs.parent / "pool"
    results = captionbridge.convert_many(
        [inputs], to=["srt", "vtt"], out_dir=out, recursive=True, jobs=2, host=host
    )
    failed = [r for r in results if not r.ok]
    assert len(failed) == 1 and ":1:" in (failed[0].error or "")
    assert sum(r.cues for r in results) > 0
    return tree(out)


def test_results_describe_each_file(inputs: Path, host: PluginHost, tmp_path: Path) -> None:
    results = captionbridge.convert_many(
        str(inputs / "part1"), to="vtt", out_dir=tmp_path, host=host
    )
    assert [Path(r.input).name for r in results] == [
        f"talk{i:02d}.txt" for i in (1, 4, 7, 10, 13, 16, 19, 22)
    ]
    first = results[0]
    assert first.outputs == (str(tmp_path / "talk01.vtt"),) and first.cues == 30
    assert first.error is None and first.ok


def test_thread_executor_equals_process_pool(
    inputs: Path, host: PluginHost, local_pool: dict[str, bytes]
) -> None:
    out = inputs.parent / "threads"
    with ThreadPoolExecutor(3) as executor:
        captionbridge.convert_many(
            [inputs], to="srt,vtt", out_dir=out, recursive=True, executor=executor, host=host
        )
    assert tree(out) == local_pool


def test_memory_filesystem_with_threads(inputs: Path, local_pool: dict[str, bytes]) -> None:
    memory = fsspec.filesystem("memory")
    for path in inputs.rglob("*.txt"):
        memory.pipe_file(f"/talks/{path.relative_to(inputs).as_posix()}", path.read_bytes())
    try:
        with ThreadPoolExecutor(2) as executor:
            results = captionbridge.convert_many(
                ["memory://talks"],
                to="srt,vtt",
                out_dir="memory://captions",
                recursive=True,
                executor=executor,
            )
        assert len([r for r in results if r.ok]) == 24
        produced = {p[len("/captions/") :]: memory.cat_file(p) for p in memory.find("/captions")}
        assert produced == local_pool
    finally:
        memory.rm("/talks", recursive=True)
        if memory.exists("/captions"):
            memory.rm("/captions", recursive=True)


def test_memory_urls_refused_with_worker_processes() -> None:
    with pytest.raises(CaptionbridgeError, match="memory://"):
        captionbridge.convert_many(["memory://x"], to="srt", out_dir="memory://y", jobs=2)


def test_dask_local_cluster_equals_local_pool(inputs: Path, local_pool: dict[str, bytes]) -> None:
    distributed = pytest.importorskip("distributed")
    out = inputs.parent / "dask"
    # memory:// is private to each process: the cluster reads and writes a shared disk
    # through file:// URLs, as it would an object store
    with (
        distributed.LocalCluster(
            # ":0": any free port. None means the default 8787, and when another run holds
            # it dask warns (an error here), so the test failed beside any other cluster
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        results = captionbridge.convert_many(
            [inputs.as_uri()],
            to="srt,vtt",
            out_dir=out.as_uri(),
            recursive=True,
            executor=client.get_executor(),
        )
    assert all(r.input.startswith("file://") for r in results)
    assert len([r for r in results if r.ok]) == 24
    assert tree(out) == local_pool


def test_host_pickles_as_its_recipe(host: PluginHost) -> None:
    copy = pickle.loads(pickle.dumps(host))
    assert copy is pickle.loads(pickle.dumps(host))  # built once per process
    assert set(copy.writers) == set(host.writers)
    assert pickle.loads(pickle.dumps(captionbridge.host.registry.default_host())) is (
        captionbridge.host.registry.default_host()
    )


def test_hand_built_host_cannot_travel() -> None:
    import pluggy

    with pytest.raises(CaptionbridgeError, match="thread executor"):
        pickle.dumps(PluginHost(pluggy.PluginManager("captionbridge")))


def test_existing_outputs_fail_skip_or_overwrite(inputs: Path, tmp_path: Path) -> None:
    source = inputs / "part2"
    host = make_host(entry_points=False)
    captionbridge.convert_many(source, to="srt", out_dir=tmp_path, host=host)
    again = captionbridge.convert_many(source, to="srt", out_dir=tmp_path, host=host)
    assert all("exists; use --force" in (r.error or "") for r in again)
    skipped = captionbridge.convert_many(
        source, to="srt", out_dir=tmp_path, skip_existing=True, host=host
    )
    assert all(r.skipped == "outputs exist" for r in skipped)
    forced = captionbridge.convert_many(source, to="srt", out_dir=tmp_path, force=True, host=host)
    assert all(r.ok and r.outputs for r in forced)
    shutil.rmtree(tmp_path)


def test_fail_fast_stops_at_the_first_failure(inputs: Path, tmp_path: Path) -> None:
    results = captionbridge.convert_many(
        [inputs / "part0" / "broken.txt", inputs / "part0"],
        to="srt",
        out_dir=tmp_path,
        fail_fast=True,
    )
    assert not results[0].ok
    assert all(r.skipped == "not started (stopped early)" for r in results[1:])
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("slow", [True, False], ids=["slow writes: thread", "fast: in-line"])
def test_in_process_pipeline_keeps_order_and_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow: bool
) -> None:
    """With --jobs 1 files are written in-line while writing is fast, by a helper thread (many
    in flight) once it is slow: either way each result belongs to its file, a failed write is
    reported on its own file, and the interpreter's switch interval is restored afterwards."""
    monkeypatch.setattr(batch._Pipeline, "SLOW", 0.0 if slow else 60.0)
    writers: set[str] = set()
    write_one = batch._write_one

    def spy(*args: Any) -> batch.FileResult:
        writers.add(threading.current_thread().name)
        return write_one(*args)

    monkeypatch.setattr(batch, "_write_one", spy)
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    names = [f"t{index:03d}" for index in range(300)]
    for index, name in enumerate(names):
        (source / f"{name}.txt").write_text(
            f"[00:00:00.000 --> 00:00:0{index % 9 + 1}.000]  {name}\n"
        )
    taken = set(names[::7])
    for name in taken:
        (out / f"{name}.srt").write_text("earlier\n")
    interval = sys.getswitchinterval()
    results = captionbridge.convert_many(
        [source], to="srt", out_dir=out, jobs=1, host=make_host(entry_points=False)
    )
    assert sys.getswitchinterval() == interval
    assert [Path(r.input).stem for r in results] == names
    for name, result in zip(names, results, strict=True):
        if name in taken:
            assert "exists; use --force" in (result.error or "")
            assert (out / f"{name}.srt").read_text() == "earlier\n"
        else:
            assert result.ok and result.outputs == (str(out / f"{name}.srt"),)
            assert name in (out / f"{name}.srt").read_text()
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.srt" for n in names)
    main = threading.current_thread().name
    assert (writers - {main} != set()) is slow  # the probe's first writes are in-line


def test_first_ctrl_c_stops_between_files_second_interrupts() -> None:
    """In-process batches turn the first SIGINT into a request to stop after the current file
    (no KeyboardInterrupt can land mid-write); a second one raises as usual; the previous
    handler is back afterwards. The first also asks a streamed file to stop between chunks,
    a request that ends with the batch."""
    before = signal.getsignal(signal.SIGINT)
    with stop.deferred_ctrl_c(stop_streams=True) as ctrl_c:
        # raise_signal delivers to this thread and runs the Python handler before it returns
        # (os.kill may hand the signal to another thread of the process, to be seen later)
        signal.raise_signal(signal.SIGINT)
        assert ctrl_c.is_set() and stop.requested.is_set()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before
    assert not stop.requested.is_set()


def _talks(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    names = [f"t{index:03d}" for index in range(count)]
    for name in names:
        (folder / f"{name}.txt").write_text(f"[00:00:00.000 --> 00:00:01.000]  {name}\n")
    return names


def test_ctrl_c_during_the_last_file_still_interrupts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stop request is not lost when no file is left to stop before: the caller gets its
    KeyboardInterrupt, after the file being converted was written whole."""
    _talks(tmp_path / "in", 3)
    convert_one = batch._convert_one

    def ctrl_c_on_last(job: Any, *args: Any) -> Any:
        if job.source.endswith("t002.txt"):
            signal.raise_signal(signal.SIGINT)
        return convert_one(job, *args)

    monkeypatch.setattr(batch, "_convert_one", ctrl_c_on_last)
    with pytest.raises(KeyboardInterrupt):
        captionbridge.convert_many(
            [tmp_path / "in"], to="srt", out_dir=tmp_path / "out", jobs=1,
            host=make_host(entry_points=False),
        )  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "t000.srt", "t001.srt", "t002.srt"
    ]  # fmt: skip


class _InterruptedWait(concurrent.futures.Future[batch.FileResult]):
    """A write whose first wait is interrupted by Ctrl-C."""

    def __init__(self, result: batch.FileResult) -> None:
        super().__init__()
        self.set_result(result)
        self.interrupted = False

    def done(self) -> bool:
        return False

    def result(self, timeout: float | None = None) -> batch.FileResult:
        if not self.interrupted:
            self.interrupted = True
            raise KeyboardInterrupt
        return super().result(timeout)


def test_an_interrupted_drain_loses_no_result() -> None:
    pipeline = batch._Pipeline(batch.Settings(make_host(entry_points=False), (), {}))
    results = [batch.FileResult(f"f{index}") for index in range(4)]
    pipeline._pending.extend([results[0], results[1], _InterruptedWait(results[2]), results[3]])
    with pytest.raises(KeyboardInterrupt):
        pipeline.drain()
    assert pipeline.drain() == results
