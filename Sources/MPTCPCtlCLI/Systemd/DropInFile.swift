import Launch
import MPTCPKit

/// The drop-in of mptcpctl for a service, `/etc/systemd/system/UNIT.d/50-mptcp.conf`
/// inside the root: read back only when mptcpctl wrote it (its first line says so),
/// written under a temporary name and renamed over it (`FileTree.replaceFile`), and
/// removed with its folder when nothing else is in it.
struct DropInFile {
    let search: UnitSearchPath
    /// Where it is, inside the root.
    let folder: String
    let path: String

    init(unit: String, search: UnitSearchPath) {
        self.search = search
        folder = UnitSearchPath.adminDirectory + "/" + unit + ".d"
        path = folder + "/" + DropInView.fileName
    }

    /// Its path as this system names it, for messages.
    var onDisk: String { search.onDisk(path) }

    /// Its text when mptcpctl wrote it; nil when there is none; refused, for
    /// `operation`, when another wrote it (a link or anything but a regular file too).
    func existing(operation: String) throws(CLIError) -> String? {
        guard search.exists(path) else { return nil }
        let notOurs = CLIError.environment("\(operation): \(onDisk) was not written by mptcpctl: left as it is")
        let bytes = try search.worded(operation, "read") { () throws(FileTreeFailure) in
            do throws(FileTreeFailure) { return try search.root.read(path, limit: UnitFile.sizeLimit, followingLastLink: false) } catch {
                guard case .system = error else { return [] }
                throw error
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix(DropInView.marker) else { throw notOurs }
        return text
    }

    /// Writes `text`, its folder made first.
    func write(_ text: String) throws(CLIError) {
        try search.worded("enable", "create") { () throws(FileTreeFailure) in try search.root.makeDirectories(folder) }
        try search.worded("enable", "write") { () throws(FileTreeFailure) in try search.root.replaceFile(path, with: Array(text.utf8)) }
    }

    /// Removes it, and its folder when nothing else is in it (another drop-in keeps it).
    func remove() throws(CLIError) {
        try search.worded("disable", "remove") { () throws(FileTreeFailure) in try search.root.removeFile(path) }
        search.root.removeDirectoryIfEmpty(folder)
    }
}
