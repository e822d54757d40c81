import ArgumentParser
import MPTCPCtlCLI
import MPTCPKit

/// Options every command takes, before or after the object, as with `ip`.
struct GlobalOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "Work in the named network namespace (/run/netns/NAME), like 'ip -n'.", valueName: "name"),
            completion: .shellCommand("ls /run/netns 2>/dev/null"))
    var netns: String?

    @Flag(name: [.short, .long], help: "Print JSON (superset of 'ip -j').")
    var json = false

    @Flag(name: [.short, .long], help: "Indent the JSON output.")
    var pretty = false

    @Option(name: .customLong("format"), help: ArgumentHelp(
        "table (the default), json (as -j), ip: what 'ip mptcp endpoint show', 'limits show' and 'monitor' print, byte for byte "
            + "(with -j, the JSON of 'ip -j mptcp monitor'), "
            + "so a script that parses ip's output runs unchanged; openmetrics or prometheus: counters as metrics.",
        valueName: "table|json|ip|openmetrics|prometheus"),
            completion: .list(OutputFormat.names))
    var formatName: String?

    var format: FormatChoice {
        FormatChoice(json: json, pretty: pretty, format: formatName)
    }
}
