import Launch
import MPTCPKit

/// A service's environment as systemd assembles it from its unit file and drop-ins (a
/// later assignment of a variable replaces an earlier one), and the drop-in of `enable`
/// merged into it: the unit's own LD_PRELOAD and GODEBUG, from its file and the
/// drop-ins that sort before ours, carried with ours added.
struct UnitEnvironment {
    /// The variables the drop-in sets, in the order it sets them; the first two are
    /// merged with the unit's own.
    static let variables = ["LD_PRELOAD", "GODEBUG", MPTCPPreload.noFallbackVariable]
    static var merged: ArraySlice<String> { variables.prefix(2) }

    /// The unit's files in the order systemd applies them (its unit file, named "", then
    /// its drop-ins by name), ours left out.
    let files: [(name: String, path: String, file: UnitFile)]

    /// Reads `unit`'s file `unitFile` and its drop-ins from `search`'s root.
    init(unit: String, unitFile: String, search: UnitSearchPath) throws(CLIError) {
        var files: [(name: String, path: String, file: UnitFile)] = []
        for (name, path) in [(name: "", path: unitFile)] + search.dropIns(unit, leaving: DropInView.fileName) {
            let bytes = try search.worded("enable", "read") { () throws(FileTreeFailure) in try search.contents(path) }
            do throws(UnitFile.Problem) { files.append((name, path, try UnitFile(parsing: bytes))) } catch {
                throw DropInView.unreadable(search.onDisk(path), error)
            }
        }
        self.files = files
    }

    /// The files systemd applies after the drop-in of `enable`.
    var afterDropIn: [(name: String, path: String, file: UnitFile)] { files.filter { $0.name > DropInView.fileName } }

    /// The last LD_PRELOAD and GODEBUG the files before the drop-in leave, each with the
    /// file that set it.
    var inherited: [String: (value: String, file: String)] {
        Self.inherited(files.filter { $0.name < DropInView.fileName })
    }

    /// The last LD_PRELOAD and GODEBUG `files` leave, each with the file that set it.
    static func inherited(_ files: [(name: String, path: String, file: UnitFile)]) -> [String: (value: String, file: String)] {
        var inherited: [String: (value: String, file: String)] = [:]
        for (_, path, file) in files {
            for assignment in file.environment {
                switch assignment {
                case .reset: inherited = [:]
                case let .set(name, value): if merged.contains(name) { inherited[name] = (value, path) }
                }
            }
        }
        return inherited
    }

    /// Refuses a value carried back that holds a control character: written back, it
    /// would end the line (or the value) early.
    func refuseControlCharacters(_ search: UnitSearchPath) throws(CLIError) {
        let inherited = inherited
        for name in Self.merged {
            guard let found = inherited[name], let character = DropInView.controlCharacter(in: found.value) else { continue }
            throw DropInView.controlCharacter(character, variable: name, file: search.onDisk(found.file))
        }
    }

    /// The drop-in's text: the library (a literal path) after the LD_PRELOAD the unit
    /// leaves, `multipathtcp=1` after its GODEBUG (as `run` merges them), each inherited
    /// value's file named.
    static func dropIn(unit: String, library: String, fallback: Bool,
                       inherited: [String: (value: String, file: String)]) -> String {
        var given = EnvironmentVariables()
        var mergedFrom: [(variable: String, file: String)] = []
        for name in merged {
            guard let found = inherited[name] else { continue }
            given[name] = found.value
            mergedFrom.append((name, found.file))
        }
        let environment = MPTCPPreload.environment(given, library: DropInView.specifierEscaped(library), fallback: fallback)
        return DropInView.text(unit: unit, environment: variables.compactMap { name in environment[name].map { (name, $0) } },
                               mergedFrom: mergedFrom)
    }
}
