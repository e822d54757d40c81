import Glibc
import Launch
import MPTCPKit

/// `enable`, `disable` and `enable --list`: a systemd service's TCP sockets made MPTCP
/// by a drop-in of its own, `/etc/systemd/system/UNIT.d/50-mptcp.conf` (`DropInFile`),
/// which sets what `run` sets (the preload library, `GODEBUG=multipathtcp=1`, with
/// `--no-fallback` `MPTCPCTL_NO_FALLBACK=1`). The unit file and every other drop-in are
/// left as they are.
///
/// The drop-in carries the unit's own LD_PRELOAD and GODEBUG with ours added
/// (`UnitEnvironment`); what would still replace ours is warned about (`UnitWarnings`);
/// systemd reloads after a change (`SystemdReload`). Files are read and written through
/// `context.files`, systemctl runs through `context.launcher`.
struct UnitRunner {
    let context: Context
    let line: LineOptions

    func enable(_ options: UnitOptions) throws(CLIError) {
        let search = try searchPath("enable", root: options.root)
        let unit = options.unit
        guard let unitFile = search.unitFile(unit) else {
            throw .environment("enable: unit \(unit) not found (no \(UnitSearchPath.names(unit).joined(separator: " or ")) in "
                + "\(UnitSearchPath.directories.joined(separator: ", "))\(options.root.map { " under \($0)" } ?? "")): nothing written")
        }
        let library = try library()
        let environment = try UnitEnvironment(unit: unit, unitFile: unitFile, search: search)
        try environment.refuseControlCharacters(search)
        let warnings = UnitWarnings(unit: unit, search: search, environment: environment)
        for warning in warnings.lines(unitFile: unitFile, library: library, root: options.root) { context.console.warn(warning) }
        let text = UnitEnvironment.dropIn(unit: unit, library: library, fallback: options.fallback, inherited: environment.inherited)
        let dropIn = DropInFile(unit: unit, search: search)
        if let existing = try dropIn.existing(operation: "enable"), existing == text {
            context.console.line("unchanged: \(dropIn.onDisk)")
            return
        }
        try dropIn.write(text)
        context.console.line("wrote \(dropIn.onDisk)")
        try SystemdReload(context: context).after("enable", unit, root: options.root)
    }

    func disable(_ options: UnitOptions) throws(CLIError) {
        let search = try searchPath("disable", root: options.root)
        let dropIn = DropInFile(unit: options.unit, search: search)
        guard try dropIn.existing(operation: "disable") != nil else {
            context.console.note("disable: \(options.unit) has no drop-in of mptcpctl (no \(dropIn.onDisk)): nothing to do")
            return
        }
        try dropIn.remove()
        context.console.line("removed \(dropIn.onDisk)")
        try SystemdReload(context: context).after("disable", options.unit, root: options.root)
    }

    /// `enable --list`: the services that have a drop-in of mptcpctl.
    func list(root: String?) throws(CLIError) {
        let search = try searchPath("enable", root: root)
        var entries: [(unit: String, file: String, fallback: Bool)] = []
        for (unit, path) in search.services(withDropIn: DropInView.fileName) {
            guard let bytes = try? search.root.read(path, limit: UnitFile.sizeLimit, followingLastLink: false),
                  bytes.starts(with: DropInView.marker.utf8), let file = try? UnitFile(parsing: bytes) else { continue }
            entries.append((unit, search.onDisk(path), file.value(of: MPTCPPreload.noFallbackVariable) != "1"))
        }
        if line.format.json {
            context.console.line(DropInView.json(entries).rendered(pretty: line.format.pretty))
        } else {
            context.console.write(DropInView.text(entries), .output)
        }
    }

    /// The root's unit directories, once the line is checked: no namespace, a root that
    /// is a directory.
    private func searchPath(_ object: String, root: String?) throws(CLIError) -> UnitSearchPath {
        if line.netns != nil {
            throw .usage("\(object): -n has no meaning here: a service's network namespace is its unit's (NetworkNamespacePath=)")
        }
        do throws(Errno) { return try UnitSearchPath(root: root, in: context.files) } catch {
            if error == .noSuchFileOrDirectory || error.rawValue == ENOTDIR {
                throw .environment("\(object): --root \(root ?? "/"): no such directory")
            }
            throw .environment("\(object): --root \(root ?? "/"): cannot open it: \(error)")
        }
    }

    /// The installed preload library `run` uses, its path made canonical ('..' and links
    /// resolved), as a unit can name it; refused when anyone but root could replace it.
    func library() throws(CLIError) -> String {
        let found = try MPTCPPreload.required(by: "enable", context.launcher, context.files)
        let path: String
        do throws(Errno) { path = try context.files.canonicalPath(found) } catch {
            throw .environment("enable: the preload library \(found) cannot be resolved: \(error)")
        }
        if path.contains(where: { $0 == " " || $0 == ":" || $0 == "\"" }) || DropInView.controlCharacter(in: path) != nil {
            throw .environment("enable: the preload library's path '\(DropInView.printable(path))' has a blank, a control character, "
                + "':' or '\"', which LD_PRELOAD cannot hold; install mptcpctl under a plain path")
        }
        try MPTCPPreload.requireRootOnly(path, by: "enable", context.files)
        return path
    }
}
