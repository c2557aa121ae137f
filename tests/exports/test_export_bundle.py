"""export_session: all five files in one folder, progress after each, written atomically."""

import os

import pytest
from export_scenario import EXPORTED_AT

from exports.bundle import FILE_NAMES, export_session, write_atomically


def test_all_five_files_with_progress(finished, tmp_path):
    calls = []
    folder = tmp_path / "export" / "nieuw"
    paths = export_session(finished.service, folder, now=EXPORTED_AT,
                           progress=lambda *args: calls.append(args))
    assert [p.name for p in paths] == list(FILE_NAMES)
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert calls == [(n, 5, name) for n, name in enumerate(FILE_NAMES, 1)]
    assert sorted(os.listdir(folder)) == sorted(FILE_NAMES)  # no temporary files left


def test_export_again_replaces_the_files(finished, tmp_path):
    export_session(finished.service, tmp_path, now=EXPORTED_AT)
    (tmp_path / "report.md").write_text("oud")
    export_session(finished.service, tmp_path, now=EXPORTED_AT)
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Langer")


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "actions.csv"
    target.write_bytes(b"oud")
    with pytest.raises(TypeError):
        write_atomically(target, "niet bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"oud"
    assert os.listdir(tmp_path) == ["actions.csv"]
