import MPTCPKit

/// Every problem found in a state file, each "FILE:LINE:COLUMN: message"; nothing was changed.
public struct StateFileError: Error, Sendable, Equatable {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
}

/// Reads a state file (its text, and its name for messages). `mptcpctl-apply` has one
/// (the StateFile module, over Yams); `mptcpctl` has none and hands `apply` over.
public typealias StateFileReader = @Sendable (_ text: String, _ file: String) throws(StateFileError) -> DesiredState
