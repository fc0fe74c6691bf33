"""A usage error (missing argument, unknown option or command, bad option value) is one line on
standard error, `Error: … See '<command> --help'.`, and exit code 2: no usage block first."""

from __future__ import annotations

import pytest

from tests.faults.harness import run_cli

CASES = [
    (["show"], "Error: Missing argument 'NCT_ID'.", "show --help"),
    (["history"], "Error: Missing argument 'NCT_ID'.", "history --help"),
    (
        ["show", "NCT01558063", "extra"],
        "Error: Got unexpected extra argument (extra).",
        "show --help",
    ),
    (
        ["export", "--what", "nope", "x.csv"],
        "Error: Invalid value for '--what': 'nope' is not one of 'studies',",
        "export --help",
    ),
    (
        ["refresh", "--wait", "abc"],
        "Error: Invalid value for '--wait': 'abc' is not a valid float.",
        "refresh --help",
    ),
    (["changes", "--bogus"], "Error: No such option '--bogus'", "changes --help"),
    (["--bogus"], "Error: No such option '--bogus'", "trialwatch --help"),
    (["nosuchcommand"], "Error: No such command 'nosuchcommand'.", "trialwatch --help"),
    (["db", "nosuchcommand"], "Error: No such command 'nosuchcommand'.", "db --help"),
]


@pytest.mark.parametrize(("args", "starts", "hint"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_usage_error_is_one_line_and_exit_code_2(args: list[str], starts: str, hint: str):
    result = run_cli(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(starts), lines[0]
    assert lines[0].endswith(" --help'.") and f"{hint}'." in lines[0], lines[0]
    assert "Usage:" not in result.stderr and "Try " not in result.stderr


def test_bad_input_found_by_a_command_stays_its_own_one_line():
    result = run_cli("history", "NCT1")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: 'NCT1' is not an NCT id: expected 'NCT' followed by 8 digits, for example "
        "NCT01558063"
    ]


def test_help_is_unchanged():
    result = run_cli("show", "--help")
    assert result.exit_code == 0 and result.stdout.startswith("Usage: ")
