from trialwatch.cli.main import main

main()
