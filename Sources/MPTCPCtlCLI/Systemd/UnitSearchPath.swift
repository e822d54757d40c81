import Launch
import MPTCPKit

/// Where systemd finds a system service's unit file and its drop-ins, under a root: the
/// directories in their order of precedence (a file in an earlier one hides a file of
/// the same name in a later one), and for an instance (`getty@tty1.service`) its
/// template's files too (`getty@.service`). Paths are given as systemd sees them
/// (inside the root) and resolved inside it, links included (`RootDirectory`), as
/// `systemd-analyze --root` resolves them; `onDisk` names them for messages.
struct UnitSearchPath {
    static let directories = ["/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
                              "/lib/systemd/system", "/usr/lib/systemd/system"]
    /// Where `enable` writes: the administrator's directory.
    static let adminDirectory = directories[0]

    /// The root, open: every path is resolved inside it.
    let root: any FileTree
    /// The root as given, "" for this system's: what `onDisk` puts before a path.
    let prefix: String

    /// Opens `root` (nil: this system's, `/`) in `files`; it must be a directory.
    init(root: String?, in files: any FileSystem) throws(Errno) {
        self.root = try files.openRoot(root ?? "/")
        prefix = root ?? ""
    }

    /// `path` (inside the root) as this system names it, for messages: on one line
    /// (control characters escaped).
    func onDisk(_ path: String) -> String { DropInView.printable(prefix + path) }

    /// The names the unit's files go by: its own, then its template's.
    static func names(_ unit: String) -> [String] {
        guard let at = unit.firstIndex(of: "@") else { return [unit] }
        let template = String(unit[...at]) + ".service"
        return template == unit ? [unit] : [unit, template]
    }

    /// The names of the folders (without ".d") whose drop-ins apply to the unit: its own,
    /// its template's, each prefix of its name up to a '-' (`a-b-c.service`:
    /// `a-b-.service`, `a-.service`) and `service` (every service; systemd 250 and later).
    static func dropInNames(_ unit: String) -> [String] {
        var names = Self.names(unit)
        let base = unit.dropLast(".service".count)
        let stem = base.firstIndex(of: "@").map { base[..<$0] } ?? base
        var end = stem.endIndex
        while let dash = stem[..<end].lastIndex(of: "-") {
            let prefix = String(stem[...dash]) + ".service"
            if !names.contains(prefix) { names.append(prefix) }
            end = dash
        }
        return names + ["service"]
    }

    /// The unit's file, nil when no directory has one.
    func unitFile(_ unit: String) -> String? {
        for name in Self.names(unit) {
            for directory in Self.directories where exists(directory + "/" + name) { return directory + "/" + name }
        }
        return nil
    }

    /// The socket unit that would start `unit` (`foo.socket` for `foo.service` and for
    /// `foo@1.service`), nil when none exists.
    func socketUnit(_ unit: String) -> String? {
        let base = unit.dropLast(".service".count)
        let name = String(base.firstIndex(of: "@").map { base[..<$0] } ?? base) + ".socket"
        return Self.directories.lazy.map { $0 + "/" + name }.first(where: exists)
    }

    /// The unit's drop-ins (`*.conf` in the folders of `dropInNames` in every directory) but
    /// `leftOut`: one per file name, the first directory's, sorted by name, the order in
    /// which systemd applies them.
    func dropIns(_ unit: String, leaving leftOut: String) -> [(name: String, path: String)] {
        var found: [String: String] = [:]
        for directory in Self.directories {
            for name in Self.dropInNames(unit) {
                let folder = directory + "/" + name + ".d"
                for file in root.entries(folder) where file.hasSuffix(".conf") && file != leftOut && found[file] == nil {
                    found[file] = folder + "/" + file
                }
            }
        }
        return found.sorted { $0.key < $1.key }.map { (name: $0.key, path: $0.value) }
    }

    /// The services with a unit file in some directory (templates aside: they need an
    /// instance), sorted. A file whose name is no service's name is not one, for systemd
    /// too.
    func services() -> [String] {
        let names = Self.directories.flatMap { root.entries($0) }
        return Set(names.filter { Self.isService($0) && !$0.hasSuffix("@.service") }).sorted()
    }

    /// The services whose folder in the administrator's directory holds `file`, with its
    /// path (inside the root), sorted.
    func services(withDropIn file: String) -> [(unit: String, path: String)] {
        root.entries(Self.adminDirectory).filter { $0.hasSuffix(".service.d") && Self.isService(String($0.dropLast(2))) }.compactMap { folder in
            let path = Self.adminDirectory + "/" + folder + "/" + file
            return exists(path) ? (String(folder.dropLast(2)), path) : nil
        }
    }

    private static func isService(_ name: String) -> Bool {
        name.hasSuffix(".service") && (try? UnitOptions.service(name, object: "")) == name
    }

    /// Whether the file at `path` (inside the root) masks what it stands for: a link to
    /// /dev/null, as `systemctl mask` leaves it, or the null device itself.
    func masks(_ path: String) -> Bool {
        root.linkTarget(path) == "/dev/null" || root.kind(of: path, followingLinks: true) == .characterDevice(major: 1, minor: 3)
    }

    /// Whether `path` (inside the root) names something, a dangling or masking link included.
    func exists(_ path: String) -> Bool {
        root.kind(of: path, followingLinks: false) != nil
    }

    /// The bytes of the unit file or drop-in at `path` (inside the root): none when it
    /// masks; refused when it is not a regular file or larger than `UnitFile.sizeLimit`.
    func contents(_ path: String) throws(FileTreeFailure) -> [UInt8] {
        masks(path) ? [] : try root.read(path, limit: UnitFile.sizeLimit)
    }

    /// Runs `body`, work on the root: its failure worded for `operation`, which could
    /// not `doing` ("read", "write"…), the path named as this system names it.
    func worded<T>(_ operation: String, _ doing: String, _ body: () throws(FileTreeFailure) -> T) throws(CLIError) -> T {
        do throws(FileTreeFailure) { return try body() } catch {
            throw CLIError(error, operation: operation, doing: doing, under: prefix)
        }
    }
}
