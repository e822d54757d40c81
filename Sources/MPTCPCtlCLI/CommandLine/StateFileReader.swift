import MPTCPKit

/// Reads a state file (its text, and its name for messages). `mptcpctl-apply` has one
/// (the StateFile module, over Yams); `mptcpctl` has none and hands `apply` over.
public typealias StateFileReader = @Sendable (_ text: String, _ file: String) throws(StateFileError) -> DesiredState
