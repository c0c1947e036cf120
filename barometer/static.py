"""Static assets: the stylesheet, the page script, the favicon and the Vega runtime.

The Vega runtime (Vega, Vega-Lite and Vega-Embed, BSD-3-Clause) is vendored in
``static/vendor/vega-bundle.js``: the bundle that vl-convert ships, taken once with
``python -m barometer.static`` (bundling takes vl-convert 10-15 s, which no build should pay), so
the site loads nothing from another host. It is followed by vega-interpreter (vendored too), so
charts evaluate their expressions without ``eval``: the pages' Content-Security-Policy has
``script-src 'self'`` and no 'unsafe-eval'.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

STATIC = Path(__file__).parent / "static"
VEGA_BUNDLE = STATIC / "vendor" / "vega-bundle.js"


def assets() -> dict[PurePosixPath, bytes]:
    return {
        PurePosixPath("assets/site.css"): (STATIC / "site.css").read_bytes(),
        PurePosixPath("assets/app.js"): (STATIC / "app.js").read_bytes(),
        PurePosixPath("assets/nojs.css"): (STATIC / "nojs.css").read_bytes(),
        PurePosixPath("favicon.svg"): (STATIC / "favicon.svg").read_bytes(),
        # Vega, Vega-Lite and Vega-Embed, then the CSP-safe expression interpreter that uses them
        PurePosixPath("assets/vega.js"): VEGA_BUNDLE.read_bytes()
        + b"\n"
        + (STATIC / "vendor/vega-interpreter.js").read_bytes(),
    }


def update_vega_bundle() -> str:
    """Take the Vega runtime from the installed vl-convert into ``static/vendor/``."""
    import vl_convert as vlc

    versions = (
        f"vega {vlc.get_vega_version()}, vega-lite {vlc.get_vegalite_versions()[-1]}, "
        f"vega-embed {vlc.get_vega_embed_version()}"
    )
    VEGA_BUNDLE.write_text(vlc.javascript_bundle(""), encoding="utf-8")
    return versions


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    import sys

    sys.stdout.write(f"{VEGA_BUNDLE}: {update_vega_bundle()}\n")
