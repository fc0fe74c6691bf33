from trialwatch.cli import run

run()
