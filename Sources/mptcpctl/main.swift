import MPTCPCtlCLI

CommandLineTool.main()
