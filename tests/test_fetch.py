"""`fetch` downloads missing inputs from a server on 127.0.0.1 and refuses changed files."""

from __future__ import annotations

import functools
import hashlib
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from barometer import paths
from barometer.cli import main
from barometer.sources.registry import load_registry


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture()
def serve():
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def test_fetch_downloads_every_input_and_verifies_hashes(tmp_path, serve, snapshot):
    url = serve(snapshot)
    target = tmp_path / "raw"
    target.mkdir()
    result = CliRunner().invoke(main, ["fetch", "--data", str(target), "--mirror", url])
    assert result.exit_code == 0, result.output
    for src in load_registry(paths.SOURCES_TOML):
        got = target / src.file
        assert got.is_file(), src.file
        assert (
            hashlib.sha256(got.read_bytes()).hexdigest()
            == hashlib.sha256((snapshot / src.file).read_bytes()).hexdigest()
        )
    # a second fetch finds everything present and downloads nothing
    again = CliRunner().invoke(
        main, ["fetch", "--data", str(target), "--mirror", "http://127.0.0.1:9/"]
    )
    assert again.exit_code == 0, again.output


def test_fetch_refuses_a_file_whose_sha256_differs(tmp_path, serve, snapshot):
    mirror = tmp_path / "mirror"
    shutil.copytree(snapshot, mirror)
    refnis = mirror / "refnis/TU_COM_REFNIS_2019.txt"
    refnis.write_bytes(refnis.read_bytes().replace(b"Luik", b"Luyk"))
    url = serve(mirror)
    target = tmp_path / "raw"
    target.mkdir()
    result = CliRunner().invoke(main, ["fetch", "--data", str(target), "--mirror", url])
    assert result.exit_code == 2
    assert (
        "refnis/TU_COM_REFNIS_2019.txt:0: -: expected a download that matches sources.toml"
        in result.output
    )
    assert "refused" in result.output
    assert not (target / "refnis/TU_COM_REFNIS_2019.txt").exists()
    assert not list(target.rglob("*.part"))
    # the others were fetched
    assert (target / "pod_mi_synthetic_2026-12/extract.csv.gz").is_file()
    assert (target / "pod_mi_synthetic/extract.csv.gz").is_file()  # the previous vintage


def test_fetch_without_any_url_says_which_input_must_be_supplied(tmp_path, monkeypatch):
    monkeypatch.delenv("BAROMETER_POD_MI_URL", raising=False)
    monkeypatch.delenv("BAROMETER_DATA_MIRROR", raising=False)
    target = tmp_path / "raw"
    target.mkdir()
    result = CliRunner().invoke(
        main,
        ["fetch", "--data", str(target)],
        env={"BAROMETER_POD_MI_URL": "http://127.0.0.1:9/x.csv.gz"},
    )
    assert result.exit_code == 2
    assert (
        "pod_mi_synthetic_2026-12/extract_meta.json:0: url: expected a download URL"
        in result.output
    )
    assert "Traceback" not in result.output
