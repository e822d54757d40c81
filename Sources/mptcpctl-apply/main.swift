import MPTCPCtlCLI
import MPTCPKit
import StateFile

// mptcpctl, able to read apply files: mptcpctl hands `apply` lines to this binary.
ApplyFile.reader = DesiredState.parse
CommandLineTool.main()
