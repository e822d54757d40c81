import MPTCPCtlCLI
import MPTCPCtlHelp
import MPTCPKit
import StateFile

// mptcpctl, able to read apply files and to show help: mptcpctl hands those lines here.
CommandLineTool.main(stateFileReader: { text, file throws(StateFileError) in try DesiredState.parse(text, file: file) },
                     help: HelpTree.text)
