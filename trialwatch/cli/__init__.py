"""The command line: `trialwatch` and its commands."""

from trialwatch.cli.main import main

__all__ = ["main", "run"]


def run() -> None:
    """The process's entry point: the `trialwatch` script and `python -m trialwatch`."""
    _freeze_libraries()
    main()


def _freeze_libraries() -> None:
    """SQLAlchemy, which nearly every command loads, is some 50,000 tracked objects that live
    as long as the process. Frozen out of the cyclic collector's sight (gc.freeze), they are no
    longer walked by each full collection while trialwatch's own modules load: `show` takes 13%
    less time (bench/RESULTS.md). Only at a process's start: tests that call `main` many times
    in one process would freeze their own garbage with it."""
    import gc

    import sqlalchemy.orm  # noqa: F401

    gc.freeze()
