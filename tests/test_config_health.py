"""The staleness, failure-alert and monitoring keys: defaults, and bad values refused at load."""

from __future__ import annotations

import pytest

from trialwatch.config import load_config
from trialwatch.errors import ConfigError


def test_defaults_and_a_relative_textfile(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[monitoring]\ntextfile = "metrics/tw.prom"\n')
    config = load_config(path)
    assert config.report.stale_after_days == 3 and config.alerts.failures_before_alert == 2
    assert config.metrics_file == tmp_path / "metrics" / "tw.prom"
    path.write_text("")
    assert load_config(path).metrics_file is None


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[report]\nstale_after_days = 0", "report.stale_after_days"),
        ("[report]\nstale_after_days = nan", "report.stale_after_days"),
        ("[report]\nstale_after_days = 1e9", "report.stale_after_days"),
        ("[alerts]\nfailures_before_alert = 0", "alerts.failures_before_alert"),
        ("[alerts]\nfailures_before_alert = 100000000000000000000", "alerts.failures_before_alert"),
        ("[monitoring]\ntextfile = 5", "monitoring.textfile"),
        ("[monitoring]\nfile = 'x'", "monitoring"),
    ],
)
def test_bad_values_name_the_key(tmp_path, toml: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml + "\n")
    with pytest.raises(ConfigError, match=rf"config.toml: .*{key}"):
        load_config(path)
