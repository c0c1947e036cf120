"""Command line: ``python build.py [build|check|fetch] [--data DIR] …``.

Library errors become one-line messages here, at the edge: bad input or a bad option exits 2
with one line per problem (``FILE:LINE: COLUMN: expected …, found …``); any other failure exits
1. A traceback is shown only with ``--verbose``.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from barometer.config import Config, load_config
from barometer.errors import BarometerError, DataError
from barometer.log import setup

log = logging.getLogger("barometer")

EXIT_BAD_INPUT = 2


def common_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command accepts (on the group or after the command name)."""
    opts = [
        click.option(
            "--data",
            "data",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Data directory searched first (same layout as ../shared/data); then data/raw/, then ../shared/data/.",
        ),
        click.option(
            "--verbose", "-v", is_flag=True, default=None, help="Debug logging and tracebacks."
        ),
        click.option("--strict", is_flag=True, default=None, help="Fail on any warning."),
        click.option(
            "--no-cache",
            "no_cache",
            is_flag=True,
            default=None,
            help="Parse every input again (ignore data/cache/).",
        ),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _merge(ctx: click.Context, **kw: Any) -> dict[str, Any]:
    parent = ctx.find_root().params if ctx.parent is not None else {}
    return {k: (v if v is not None else parent.get(k)) for k, v in kw.items()}


def run(fn: Callable[..., int | None]) -> Callable[..., None]:
    """Run a command body: configure logging, map errors to exit codes and one-line messages."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        ctx = click.get_current_context()
        opts = _merge(ctx, **{k: kwargs.pop(k) for k in ("data", "verbose", "strict", "no_cache")})
        verbose = bool(opts["verbose"])
        counter = setup(verbose)
        try:
            cfg = load_config(
                data=opts["data"],
                strict=opts["strict"],
                use_cache=not opts["no_cache"],
                **{k: kwargs.pop(k) for k in list(kwargs) if k in ("site", "base_url", "mirror")},
            )
            code = fn(cfg, *args, **kwargs) or 0
            if cfg.strict and counter.count:
                click.echo(f"error: {counter.count} warning(s) in strict mode", err=True)
                code = 1
        except DataError as exc:
            for line in exc.message().splitlines():
                click.echo(line, err=True)
                if os.environ.get("GITHUB_ACTIONS") == "true":  # an annotation on the run's page
                    click.echo(f"::error title=Invalid input::{line}")
            n = len(exc.problems) + exc.omitted
            click.echo(f"error: {n} problem(s) in the inputs; nothing was written", err=True)
            code = exc.exit_code
        except BarometerError as exc:
            click.echo(f"error: {exc}", err=True)
            if os.environ.get("GITHUB_ACTIONS") == "true":
                click.echo(f"::error title=Build failed::{exc}")
            code = exc.exit_code
        except Exception as exc:  # noqa: BLE001 - the edge: never show a bare traceback
            if verbose:
                traceback.print_exc()
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} (run with --verbose for the traceback)",
                err=True,
            )
            code = 1
        sys.exit(code)

    return wrapper


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@common_options
@click.pass_context
def main(
    ctx: click.Context,
    data: Path | None,
    verbose: bool | None,
    strict: bool | None,
    no_cache: bool | None,
) -> None:
    """Barometer of social integration: build the static site (default), check or fetch inputs."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(build_cmd)


site_option = click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The site directory (default: site/).",
)


@main.command("build")
@common_options
@site_option
@click.option(
    "--base-url", "base_url", default=None, help="URL prefix of the published site, ending in '/'."
)
@run
def build_cmd(cfg: Config) -> int:
    """Build the site into site/ (atomically)."""
    from barometer.pipeline import build

    report = build(cfg)
    log.info("%s", report.summary())
    return 0


@main.command("serve")
@common_options
@site_option
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option(
    "--base-url",
    "base_url",
    default=None,
    help="Serve under this URL's path, as it will be published (e.g. https://x.github.io/barometer/).",
)
@click.option(
    "--no-build", is_flag=True, help="Serve site/ as it is (no first build, no watching)."
)
@run
def serve_cmd(cfg: Config, port: int, no_build: bool) -> int:
    """Preview the site on 127.0.0.1; rebuild when content/ or templates/ change."""
    import threading

    from barometer import paths
    from barometer.pipeline import build
    from barometer.serve import make_server, watch
    from barometer.urls import base_path

    def rebuild() -> None:
        log.info("%s", build(cfg).summary())

    if not no_build:
        rebuild()
    prefix = base_path(cfg.base_url)
    server = make_server(cfg.site_dir, prefix, port)
    stop = threading.Event()
    if not no_build:
        dirs = [
            cfg.content_dir,
            paths.TEMPLATES,
            paths.PACKAGE / "static",
            paths.PACKAGE / "locale",
        ]
        threading.Thread(target=watch, args=(dirs, rebuild, stop), daemon=True).start()
    log.info("serving %s on http://127.0.0.1:%d%s (Ctrl+C to stop)", cfg.site_dir, port, prefix)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0


@main.command("check")
@common_options
@run
def check_cmd(cfg: Config) -> int:
    """Validate every input; exit 2 with one line per problem."""
    from barometer.pipeline import check

    canon = check(cfg)
    wide = canon.beneficiaries_wide
    log.info(
        "inputs OK: %d municipalities, %d extract rows (%s … %s, synthetic=%s), population %d-%d, income %d-%d%s",
        (canon.entities.level == "municipality").sum(),
        len(wide),
        wide.month.min(),
        wide.month.max(),
        canon.meta.synthetic,
        canon.population.year.min(),
        canon.population.year.max(),
        canon.income.year.min(),
        canon.income.year.max(),
        " (from cache)" if canon.from_cache else "",
    )
    return 0


@main.command("export")
@common_options
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file: .csv or .parquet.",
)
@run
def export_cmd(cfg: Config, out: Path) -> int:
    """Write the whole published indicator table (CSV or Parquet, by the extension)."""
    from barometer.canonical import load_canonical
    from barometer.downloads import SYNTHETIC_WARNING
    from barometer.errors import ConfigError
    from barometer.export import with_names, write_table
    from barometer.indicators import compute_indicators

    if out.suffix.lower() not in (".csv", ".parquet"):  # fail before minutes of work
        raise ConfigError(
            f"Config value 'out': expected a path ending in .csv or .parquet, found '{out}'"
        )
    canon = load_canonical(cfg)
    table = with_names(compute_indicators(canon).table, canon.entities)
    write_table(table, out, SYNTHETIC_WARNING if canon.meta.synthetic else None)
    log.info("exported %d rows to %s", len(table), out)
    return 0


@main.command("fetch")
@common_options
@click.option(
    "--mirror", default=None, help="URL of a copy of the data directory (same layout), tried first."
)
@run
def fetch_cmd(cfg: Config) -> int:
    """Download missing inputs into --data DIR (default data/raw/), checking sha256."""
    from barometer.fetch import fetch

    report = fetch(cfg)
    log.info(
        "fetch: %d present, %d downloaded into %s",
        len(report.present),
        len(report.downloaded),
        cfg.target_data_dir,
    )
    return 0
