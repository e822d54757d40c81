import MPTCPCtlCLI
import MPTCPKit
import StateFile

// mptcpctl, able to read apply files: mptcpctl hands `apply` lines to this binary.
CommandLineTool.main(stateFileReader: { text, file throws(StateFileError) in try DesiredState.parse(text, file: file) })
