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

    var format: OutputFormat { OutputFormat(json: json, pretty: pretty) }
}
