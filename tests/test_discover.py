"""Which files a batch finds and where their outputs go: mirroring, hidden files, globs,
hostile names, symbolic links, duplicates and collisions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from captionbridge.batch.discover import discover

EXTENSIONS = (".txt", ".srt", ".vtt")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for name in (
        "a.txt",
        "sub/b.txt",
        "sub/deeper/c.srt",
        ".hidden.txt",
        "sub/.git/d.txt",
        "notes.md",
        "sub/x\\..\\..\\evil.txt",
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    return root


def test_directory_mirrors_under_out_dir(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    flat = discover([str(tree)], extensions=EXTENSIONS, out_dir=str(out))
    assert [Path(j.source).name for j in flat.jobs] == ["a.txt"]
    deep = discover([str(tree)], extensions=EXTENSIONS, out_dir=str(out), recursive=True)
    assert [(Path(j.source).relative_to(tree).as_posix(), j.dest) for j in deep.jobs] == [
        ("a.txt", str(out / "a")),
        ("sub/b.txt", str(out / "sub" / "b")),
        ("sub/deeper/c.srt", str(out / "sub" / "deeper" / "c")),
    ]
    assert [r.reason for r in deep.rejected] == ["unsafe file name: refused to write outside"]
    beside = discover([str(tree / "sub")], extensions=EXTENSIONS)
    assert [j.dest for j in beside.jobs] == [str(tree / "sub" / "b")]


def test_glob_keeps_paths_below_its_fixed_prefix(tree: Path, tmp_path: Path) -> None:
    plan = discover([f"{tree}/sub/**/*.srt"], extensions=EXTENSIONS, out_dir=str(tmp_path / "o"))
    assert [j.dest for j in plan.jobs] == [str(tmp_path / "o" / "deeper" / "c")]
    none = discover([f"{tree}/*.doc"], extensions=EXTENSIONS, out_dir=str(tmp_path / "o"))
    assert none.rejected[0].reason == "matches no file"


def test_same_input_twice_is_converted_once(tree: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(tree)
    plan = discover(
        [str(tree / "a.txt"), str(tree / "sub" / ".." / "a.txt"), str(alias / "a.txt")],
        extensions=EXTENSIONS,
        out_dir=str(tmp_path / "o"),
    )
    assert len(plan.jobs) == 1 and not plan.rejected


def test_colliding_outputs_are_refused(tree: Path, tmp_path: Path) -> None:
    (tree / "a.srt").write_text("x")
    plan = discover([str(tree)], extensions=EXTENSIONS, out_dir=str(tmp_path / "o"))
    assert len(plan.jobs) == 1
    assert plan.rejected[0].reason.startswith("same output names as ")


def test_symlinks_out_of_the_tree(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    os.symlink(outside / "secret.txt", tree / "link.txt")
    os.symlink(outside, tree / "linkdir")
    os.symlink(tree / "sub", tree / "loop")  # inside the tree: found through its real path
    plan = discover([str(tree)], extensions=EXTENSIONS, out_dir=str(tmp_path / "o"), recursive=True)
    names = [Path(j.source).name for j in plan.jobs]
    assert "secret.txt" not in names and "link.txt" not in names
    assert sorted(r.source for r in plan.rejected if r.skipped) == [
        str(tree / "link.txt"),
        str(tree / "linkdir"),
    ]
    followed = discover(
        [str(tree)],
        extensions=EXTENSIONS,
        out_dir=str(tmp_path / "o"),
        recursive=True,
        follow_symlinks=True,
    )
    dests = [j.dest for j in followed.jobs]
    assert str(tmp_path / "o" / "link") in dests
    # the same file through a second link is converted once; inside links are not walked
    assert str(tmp_path / "o" / "linkdir" / "secret") not in dests
    assert str(tmp_path / "o" / "sub" / "b") in dests
    assert not any("loop" in d for d in dests)


def test_out_dir_inside_the_tree_is_not_read_again(tree: Path) -> None:
    out = tree / "captions"
    (out / "old").mkdir(parents=True)
    (out / "old" / "a.srt").write_text("x")
    plan = discover([str(tree)], extensions=EXTENSIONS, out_dir=str(out), recursive=True)
    assert not any("captions" in j.source for j in plan.jobs)


def test_symlinked_folder_inside_out_dir_cannot_redirect_outputs(
    tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "sub").symlink_to(elsewhere)
    plan = discover([str(tree)], extensions=EXTENSIONS, out_dir=str(out), recursive=True)
    refused = {Path(r.source).name: r.reason for r in plan.rejected}
    assert refused["b.txt"] == "output would be written outside the folder"


def test_missing_argument_is_reported(tmp_path: Path) -> None:
    plan = discover([str(tmp_path / "nope")], extensions=EXTENSIONS)
    assert plan.rejected[0].reason == "no such file or directory" and not plan.rejected[0].skipped


def test_one_file_named_several_ways_is_one_job(tree: Path, tmp_path: Path) -> None:
    (tree / "link.txt").symlink_to(tree / "a.txt")
    (tmp_path / "folder-link").symlink_to(tree)
    names = [
        str(tree / "a.txt"),
        str(tree / "sub" / ".." / "a.txt"),
        str(tree / "link.txt"),
        str(tmp_path / "folder-link" / "a.txt"),
    ]
    plan = discover(names, extensions=EXTENSIONS, out_dir=str(tmp_path / "out"))
    assert [j.source for j in plan.jobs] == [names[0]]
    assert plan.rejected == []
