import CLI

CLI.main()
