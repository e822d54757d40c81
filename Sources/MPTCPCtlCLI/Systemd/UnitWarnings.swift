import Launch
import MPTCPKit

/// What keeps `enable`'s drop-in from working as written, one warning a line; none
/// stops it: a masked unit, a later drop-in or an `EnvironmentFile=` that replaces its
/// values, a `PassEnvironment=` of them, a socket unit that makes the listener, a
/// library in a build tree or missing from the root.
struct UnitWarnings {
    let unit: String
    let search: UnitSearchPath
    let environment: UnitEnvironment

    /// The warnings, in the order they are given, for the unit whose file is `unitFile`
    /// and the preload `library`, under `root` (nil: this system).
    func lines(unitFile: String, library: String, root: String?) -> [String] {
        var lines: [String] = []
        if search.masks(unitFile) {
            lines.append("enable: \(unit) is masked (\(unitFile) links to /dev/null): systemd does not start it; after "
                + "'systemctl unmask \(unit)' run enable again, so the drop-in keeps the unit's own LD_PRELOAD and GODEBUG")
        }
        for (_, path, file) in environment.afterDropIn where UnitEnvironment.merged.contains(where: file.changes) {
            lines.append("enable: \(DropInView.printable(path)) sorts after \(DropInView.fileName) and sets LD_PRELOAD or GODEBUG or "
                + "resets Environment=: its value replaces mptcpctl's; merge the two or rename it to sort before")
        }
        // Wherever they stand: an environment file is read after every Environment=.
        var environmentFiles: [String] = [], passed: [String] = []
        for (_, _, file) in environment.files {
            for value in file.environmentFiles { if value.isEmpty { environmentFiles = [] } else { environmentFiles.append(value) } }
            for name in file.passedEnvironment { if name.isEmpty { passed = [] } else { passed.append(name) } }
        }
        for value in environmentFiles { lines += settings(of: value) }
        for name in passed where UnitEnvironment.merged.contains(name) {
            lines.append("enable: \(unit) has PassEnvironment=\(name): systemd's own \(name) is replaced by the drop-in's")
        }
        if let socket = search.socketUnit(unit) {
            lines.append("enable: \(socket) exists: the listening socket is made by systemd, not by the service, and stays TCP; "
                + "set SocketProtocol=mptcp in the socket unit (systemd 257 or later)")
        }
        if library.contains("/.build/") {
            lines.append("enable: the preload library is in a build tree (\(library)): install mptcpctl ('make install') "
                + "so the service does not depend on it")
        }
        if let root, !search.exists(library) {
            lines.append("enable: \(library) does not exist under \(root): the service would start without it; install mptcpctl there too")
        }
        return lines
    }

    /// A warning for each of LD_PRELOAD and GODEBUG that the `EnvironmentFile=` value
    /// sets: it is read after Environment= and wins.
    func settings(of value: String) -> [String] {
        let path = value.hasPrefix("-") ? String(value.dropFirst()) : value
        guard let bytes = try? search.root.read(path, limit: UnitFile.sizeLimit) else { return [] }
        var lines: [String] = []
        for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            var line = Substring(raw)
            while line.first == " " || line.first == "\t" { line.removeFirst() }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count) }
            for name in UnitEnvironment.merged where line.hasPrefix(name + "=") {
                lines.append("enable: EnvironmentFile=\(DropInView.printable(path)) sets \(name): it is read after Environment= and "
                    + "replaces the drop-in's value; add the preload library there")
            }
        }
        return lines
    }
}
