import ArgumentParser
import MPTCPCtlCLI

/// A command of the swift-argument-parser tree. The tree describes the command line
/// for help, the manual and completions, and never runs: the program runs what
/// `Invocation` reads. Each leaf says which Invocation it stands for, so a test can
/// check that both readers take every line the same way.
protocol TreeCommand: ParsableCommand {
    var invocation: Invocation { get }
}
