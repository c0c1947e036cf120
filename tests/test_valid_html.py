"""Every HTML page of the built site passes the Nu Html Checker (vnu.jar) with zero errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from barometer import paths

pytestmark = pytest.mark.xdist_group("site")

VNU = paths.ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"


def test_every_page_is_valid_html(built_site):
    if not VNU.is_file() or not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail(f"{VNU} or java is missing (make tools installs vnu.jar)")
        pytest.skip("vnu.jar not installed (make tools)")
    site = built_site[0]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 2700
    done = subprocess.run(
        [
            "java",
            "-Xss8m",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(site),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    errors = [
        (m.get("url", "").split("/site/")[-1], m.get("lastLine"), m.get("message"))
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], f"{len(errors)} errors, first: {errors[:10]}"
