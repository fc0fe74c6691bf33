"""`show` and `export` carry what the study pages show: findings, trust panel, who was in it."""

from __future__ import annotations

import json

import pandas as pd

from tests.staff_store import populate, run


def test_show_text_has_findings_trust_and_people(ctgov, make_config):
    config = populate(ctgov, make_config)
    out = run(config, "show", "NCT02552212").stdout
    assert (
        "Found: Placebo (FAS) vs CZP 200 mg Q2W (FAS): Odds Ratio (OR) 15.231 · 95% CI 7.336 to "
        "31.623 (2-sided) · p <0.001 (sides not stated by the registry)" in out
    )
    assert "lies entirely above 1" in out and "worked out by trialwatch" in out
    assert "How far to trust it:" in out
    assert "more than 60 days. [weigh this]" in out
    assert "SFE Period (Week 52 - 156) / SFE OL CZP 200 mg Q2W: started 243, completed 206" in out
    assert "Who was in it:" in out and "Ages:" in out and "18 Years to no maximum" in out
    assert "\x1b" not in out


def test_show_json_has_findings_trust_and_people(ctgov, make_config):
    config = populate(ctgov, make_config)
    d = json.loads(run(config, "show", "NCT02552212", "--json").stdout)
    finding = d["primary_outcomes"][0]["findings"]["findings"][0]
    assert finding["estimate"] == "Odds Ratio (OR) 15.231"
    assert finding["no_effect"]["includes"] is False
    assert "worked out by trialwatch" in finding["no_effect"]["computed"]
    labels = [i["label"] for i in d["trust"]["items"]]
    assert labels[:3] == ["Randomised", "Masking (who was blinded)", "Control"]
    assert d["trust"]["history_flags"] is None
    assert d["people"]["minimum_age"] == "18 Years" and d["people"]["sex"] == "ALL"
    assert d["people"]["criteria"].startswith("Inclusion Criteria:")


def test_show_text_drops_escape_sequences_from_registry_text():
    """SYNTHETIC variant of the real NCT00763412: escape sequences in its limitations text."""
    from tests.conftest import study
    from trialwatch.cli.views import trust_text
    from trialwatch.services.lookups import trust_and_people

    record = study("NCT00763412")
    record["resultsSection"]["moreInfoModule"]["limitationsAndCaveats"]["description"] = (
        "Small \x1b[31msample\x1b[0m\x9b size"
    )
    text = trust_text(trust_and_people(record)["trust"])
    assert "Limitations:" in text and "Small sample<U+009B> size" in text
    assert "\x1b" not in text and "\x9b" not in text


def test_export_analyses_and_baseline(ctgov, make_config, tmp_path):
    config = populate(ctgov, make_config)
    analyses_path, baseline_path = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run(config, "export", "--what", "analyses", "-o", str(analyses_path)).exit_code == 0
    assert run(config, "export", "--what", "baseline", "-o", str(baseline_path)).exit_code == 0
    analyses = pd.read_csv(analyses_path, dtype=str, keep_default_na=False)
    first = analyses[analyses["Outcome number"] == "1"].iloc[0]
    assert first["Groups compared"] == "Placebo (FAS) vs CZP 200 mg Q2W (FAS)"
    assert (first["Estimate type"], first["Estimate"]) == ("Odds Ratio (OR)", "15.231")
    assert (first["CI lower"], first["CI upper"], first["p-value"]) == ("7.336", "31.623", "<0.001")
    assert first["CI includes no difference (worked out by trialwatch)"] == "False"
    baseline = pd.read_csv(baseline_path, dtype=str, keep_default_na=False)
    ucb = baseline[baseline["NCT ID"] == "NCT02552212"]
    assert not ucb.empty and set(ucb["Number analysed"]) - {""}
    outcomes_path = tmp_path / "o.csv"
    assert run(config, "export", "--what", "outcomes", "-o", str(outcomes_path)).exit_code == 0
    outcomes = pd.read_csv(outcomes_path, dtype=str, keep_default_na=False)
    row = outcomes[(outcomes["NCT ID"] == "NCT02552212") & (outcomes["Outcome number"] == "1")]
    assert list(row["Number analysed"]) == ["158", "159"]
