from inhouse.cli.app import main

main()
