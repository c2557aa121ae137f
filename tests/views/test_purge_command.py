"""``duiding purge`` says what it leaves: exports outside the data folder hold the answers too."""

from __future__ import annotations

from session.exported import default_folder
from tests.damage import store_session
from views.cli import main


def test_purge_names_the_default_export_folder_it_leaves(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    room = store_session(data)
    monkeypatch.chdir(tmp_path)
    assert main(["export", room.session_id, "--data-dir", str(data)]) == 0
    folder = (tmp_path / default_folder(room.session_id)).resolve()
    assert (folder / "report.md").is_file()
    capsys.readouterr()
    assert main(["purge", room.session_id, "--data-dir", str(data), "--yes"]) == 0
    text = capsys.readouterr().out
    assert f"Sessie {room.session_id} verwijderd" in text
    assert str(folder) in text and "bevatten de antwoorden nog" in text
    assert (folder / "report.md").is_file()  # the user's copy: named, not deleted
    assert not (data / "exports" / f"{room.session_id}.exports").exists()


def test_purge_without_exports_says_nothing_more(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    room = store_session(data)
    monkeypatch.chdir(tmp_path)
    assert main(["purge", room.session_id, "--data-dir", str(data), "--yes"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said == [f"Sessie {room.session_id} verwijderd (1 bestand)."]
