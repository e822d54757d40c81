import ArgumentParser
import MPTCPCtlCLI

/// The option of the commands that can read every namespace at once.
struct ScopeOptions: ParsableArguments {
    @Flag(name: .customLong("all-netns"), help: "Every named namespace (/run/netns) and the current one, in one process.")
    var allNetns = false
}
