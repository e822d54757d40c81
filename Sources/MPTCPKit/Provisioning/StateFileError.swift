/// Every problem found in a state file, each "FILE:LINE:COLUMN: message"; nothing was changed.
public struct StateFileError: Error, Sendable, Equatable {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
}
