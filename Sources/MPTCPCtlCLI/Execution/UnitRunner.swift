import Glibc
import Launch
import MPTCPKit

/// `enable`, `disable` and `enable --list`: a systemd service's TCP sockets made MPTCP
/// by a drop-in of its own, `/etc/systemd/system/UNIT.d/50-mptcp.conf`, which sets what
/// `run` sets (the preload library, `GODEBUG=multipathtcp=1`, with `--no-fallback`
/// `MPTCPCTL_NO_FALLBACK=1`). The unit file and every other drop-in are left as they
/// are.
///
/// A later assignment of a variable replaces an earlier one, so the drop-in carries the
/// unit's own LD_PRELOAD and GODEBUG (from its file and the drop-ins that sort before
/// ours) with ours added; what would still replace ours (a drop-in sorting after it, an
/// EnvironmentFile=) is warned about.
struct UnitRunner {
    let context: Context
    let line: LineOptions

    /// The variables the drop-in sets, in the order it sets them.
    static let variables = ["LD_PRELOAD", "GODEBUG", MPTCPPreload.noFallbackVariable]

    func enable(_ options: UnitOptions) throws(CLIError) {
        let search = try searchPath("enable", root: options.root)
        let unit = options.unit
        guard let unitFile = search.unitFile(unit) else {
            throw .environment("enable: unit \(unit) not found (no \(UnitSearchPath.names(unit).joined(separator: " or ")) in "
                + "\(UnitSearchPath.directories.joined(separator: ", "))\(Self.under(options.root))): nothing written")
        }
        let library = try library()
        // The unit's files in the order systemd applies them, ours left out.
        var files: [(name: String, path: String, file: UnitFile)] = []
        for (name, path) in [(name: "", path: unitFile)] + search.dropIns(unit, leaving: DropInView.fileName) {
            let bytes = try Self.onRoot(search, "enable", "read") { () throws(FileTreeFailure) in try search.contents(path) }
            do throws(UnitFile.Problem) { files.append((name, path, try UnitFile(parsing: bytes))) } catch {
                throw DropInView.unreadable(search.onDisk(path), error)
            }
        }
        let inherited = Self.inherited(files.filter { $0.name < DropInView.fileName })
        // Written back, a control character would end the line (or the value) early.
        for name in Self.variables.prefix(2) {
            guard let found = inherited[name], let character = DropInView.controlCharacter(in: found.value) else { continue }
            throw DropInView.controlCharacter(character, variable: name, file: search.onDisk(found.file))
        }
        if search.masks(unitFile) {
            context.console.warn("enable: \(unit) is masked (\(unitFile) links to /dev/null): systemd does not start it; "
                + "after 'systemctl unmask \(unit)' run enable again, so the drop-in keeps the unit's own LD_PRELOAD and GODEBUG")
        }
        warn(unit, files, library: library, search: search, root: options.root)
        let text = Self.dropIn(unit: unit, library: library, fallback: options.fallback, inherited: inherited)
        let folder = UnitSearchPath.adminDirectory + "/" + unit + ".d"
        let path = folder + "/" + DropInView.fileName
        if let existing = try ours(path, search, operation: "enable"), existing == text {
            context.console.line("unchanged: \(search.onDisk(path))")
            return
        }
        try Self.onRoot(search, "enable", "create") { () throws(FileTreeFailure) in try search.root.makeDirectories(folder) }
        try Self.onRoot(search, "enable", "write") { () throws(FileTreeFailure) in
            try search.root.replaceFile(path, with: Array(text.utf8))
        }
        context.console.line("wrote \(search.onDisk(path))")
        try reload("enable", unit, options)
    }

    func disable(_ options: UnitOptions) throws(CLIError) {
        let search = try searchPath("disable", root: options.root)
        let unit = options.unit
        let folder = UnitSearchPath.adminDirectory + "/" + unit + ".d"
        let path = folder + "/" + DropInView.fileName
        guard try ours(path, search, operation: "disable") != nil else {
            context.console.note("disable: \(unit) has no drop-in of mptcpctl (no \(search.onDisk(path))): nothing to do")
            return
        }
        try Self.onRoot(search, "disable", "remove") { () throws(FileTreeFailure) in try search.root.removeFile(path) }
        // Only when nothing else is in it: another drop-in keeps the folder.
        search.root.removeDirectoryIfEmpty(folder)
        context.console.line("removed \(search.onDisk(path))")
        try reload("disable", unit, options)
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

    /// The last LD_PRELOAD and GODEBUG `files` leave, each with the file that set it.
    static func inherited(_ files: [(name: String, path: String, file: UnitFile)]) -> [String: (value: String, file: String)] {
        var inherited: [String: (value: String, file: String)] = [:]
        for (_, path, file) in files {
            for assignment in file.environment {
                switch assignment {
                case .reset: inherited = [:]
                case let .set(name, value): if variables.prefix(2).contains(name) { inherited[name] = (value, path) }
                }
            }
        }
        return inherited
    }

    /// One line each, for what keeps the drop-in from working as written; none stops it.
    private func warn(_ unit: String, _ files: [(name: String, path: String, file: UnitFile)], library: String,
                      search: UnitSearchPath, root: String?) {
        let names = Self.variables.prefix(2)
        for (name, path, file) in files where name > DropInView.fileName && names.contains(where: file.changes) {
            context.console.warn("enable: \(DropInView.printable(path)) sorts after \(DropInView.fileName) and sets LD_PRELOAD or GODEBUG or resets "
                + "Environment=: its value replaces mptcpctl's; merge the two or rename it to sort before")
        }
        // Wherever they stand: an environment file is read after every Environment=.
        var environmentFiles: [String] = [], passed: [String] = []
        for (_, _, file) in files {
            for value in file.environmentFiles { if value.isEmpty { environmentFiles = [] } else { environmentFiles.append(value) } }
            for name in file.passedEnvironment { if name.isEmpty { passed = [] } else { passed.append(name) } }
        }
        for value in environmentFiles { warnIfSetting(value, search) }
        for name in passed where names.contains(name) {
            context.console.warn("enable: \(unit) has PassEnvironment=\(name): systemd's own \(name) is replaced by the drop-in's")
        }
        if let socket = search.socketUnit(unit) {
            context.console.warn("enable: \(socket) exists: the listening socket is made by systemd, not by the service, and stays TCP; "
                + "set SocketProtocol=mptcp in the socket unit (systemd 257 or later)")
        }
        if library.contains("/.build/") {
            context.console.warn("enable: the preload library is in a build tree (\(library)): install mptcpctl ('make install') "
                + "so the service does not depend on it")
        }
        if let root, !search.exists(library) {
            context.console.warn("enable: \(library) does not exist under \(root): the service would start without it; "
                + "install mptcpctl there too")
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

    /// The drop-in at `path` (inside the root) when mptcpctl wrote it; nil when there is
    /// none; refused when another wrote it (a link or anything but a regular file too).
    private func ours(_ path: String, _ search: UnitSearchPath, operation: String) throws(CLIError) -> String? {
        guard search.exists(path) else { return nil }
        let notOurs = CLIError.environment("\(operation): \(search.onDisk(path)) was not written by mptcpctl: left as it is")
        let bytes = try Self.onRoot(search, operation, "read") { () throws(FileTreeFailure) in
            do throws(FileTreeFailure) { return try search.root.read(path, limit: UnitFile.sizeLimit, followingLastLink: false) } catch {
                guard case .system = error else { return [] }
                throw error
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix(DropInView.marker) else { throw notOurs }
        return text
    }

    /// Warns when an `EnvironmentFile=` (read after Environment=, so it wins) sets
    /// LD_PRELOAD or GODEBUG.
    private func warnIfSetting(_ value: String, _ search: UnitSearchPath) {
        let path = value.hasPrefix("-") ? String(value.dropFirst()) : value
        guard let bytes = try? search.root.read(path, limit: UnitFile.sizeLimit) else { return }
        for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            var line = Substring(raw)
            while line.first == " " || line.first == "\t" { line.removeFirst() }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count) }
            for name in Self.variables.prefix(2) where line.hasPrefix(name + "=") {
                context.console.warn("enable: EnvironmentFile=\(DropInView.printable(path)) sets \(name): it is read after Environment= and replaces "
                    + "the drop-in's value; add the preload library there")
            }
        }
    }

    /// After a change: systemd reloads when it runs this system (no --root), else the
    /// commands to run are printed.
    private func reload(_ object: String, _ unit: String, _ options: UnitOptions) throws(CLIError) {
        guard options.root == nil, context.files.canAccess("/run/systemd/system", .exists) else {
            context.console.line("to apply: systemctl daemon-reload && systemctl restart \(unit)")
            return
        }
        let status = context.launcher.run(["systemctl", "daemon-reload"])
        guard status == 0 else {
            throw .environment("\(object): systemctl daemon-reload failed (\(status < 0 ? "not run" : "exit \(status)")): the drop-in is changed; "
                + "run 'systemctl daemon-reload && systemctl restart \(unit)'")
        }
        context.console.line("systemctl daemon-reload: done; restart \(unit) to apply")
    }

    /// The drop-in's text: the library (a literal path) after the LD_PRELOAD the unit
    /// leaves, `multipathtcp=1` after its GODEBUG (as `run` merges them), each inherited
    /// value's file named.
    static func dropIn(unit: String, library: String, fallback: Bool,
                       inherited: [String: (value: String, file: String)]) -> String {
        var given = EnvironmentVariables()
        var merged: [(variable: String, file: String)] = []
        for name in variables.prefix(2) {
            guard let found = inherited[name] else { continue }
            given[name] = found.value
            merged.append((name, found.file))
        }
        let environment = MPTCPPreload.environment(given, library: DropInView.specifierEscaped(library), fallback: fallback)
        return DropInView.text(unit: unit, environment: variables.compactMap { name in environment[name].map { (name, $0) } },
                               mergedFrom: merged)
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

    /// Runs `body`, work on the root of `search`: its failure worded for `operation`,
    /// which could not `doing` ("read", "write"…).
    private static func onRoot<T>(_ search: UnitSearchPath, _ operation: String, _ doing: String,
                                  _ body: () throws(FileTreeFailure) -> T) throws(CLIError) -> T {
        do throws(FileTreeFailure) { return try body() } catch {
            throw CLIError(error, operation: operation, doing: doing, under: search.prefix)
        }
    }

    private static func under(_ root: String?) -> String { root.map { " under \($0)" } ?? "" }
}
