"""Static assets: the stylesheet, the page script, the favicon and the Vega runtime.

The Vega runtime ends with vega-interpreter (vendored in ``static/vendor/``, BSD-3-Clause), so
charts evaluate their expressions without ``eval``: the pages' Content-Security-Policy has
``script-src 'self'`` and no 'unsafe-eval'.

The Vega runtime (Vega, Vega-Lite, Vega-Embed) is the bundle that vl-convert ships, so the site
loads nothing from another host. It is cached in the cache directory (building it takes ~1.5 s).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

STATIC = Path(__file__).parent / "static"


def vega_bundle(cache_dir: Path | None) -> bytes:
    import vl_convert as vlc

    name = f"vega-{vlc.get_vega_version()}-vl-{vlc.get_vegalite_versions()[-1]}-embed-{vlc.get_vega_embed_version()}.js"
    cached = cache_dir / name if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    data = vlc.javascript_bundle().encode("utf-8")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(cached)
    return data


def assets(cache_dir: Path | None) -> dict[PurePosixPath, bytes]:
    return {
        PurePosixPath("assets/site.css"): (STATIC / "site.css").read_bytes(),
        PurePosixPath("assets/app.js"): (STATIC / "app.js").read_bytes(),
        PurePosixPath("assets/nojs.css"): (STATIC / "nojs.css").read_bytes(),
        PurePosixPath("favicon.svg"): (STATIC / "favicon.svg").read_bytes(),
        # Vega, Vega-Lite and Vega-Embed, then the CSP-safe expression interpreter that uses them
        PurePosixPath("assets/vega.js"): vega_bundle(cache_dir)
        + b"\n"
        + (STATIC / "vendor/vega-interpreter.js").read_bytes(),
    }
