"""trialwatch: keeps a clinic's ClinicalTrials.gov evidence honest and current."""

__version__ = "0.1.0"
