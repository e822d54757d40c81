import Launch
import MPTCPKit

/// The preload library as `run` and `enable` require it, their refusals worded.
extension MPTCPPreload {
    /// The library beside this binary (`launcher`'s), as `files` finds it; refused, for
    /// `operation`, with where it was looked for, when it is missing.
    static func required(by operation: String, _ launcher: any Launcher, _ files: any FileSystem) throws(CLIError) -> String {
        let directory = launcher.binaryDirectory
        guard let found = library(besideBinaryIn: directory, files: files) else {
            throw .environment("\(operation): the preload library \(libraryName) is missing (looked for "
                + candidates(besideBinaryIn: directory).joined(separator: ", ") + "); reinstall with 'make install'")
        }
        return found
    }

    /// Refuses, for `operation`, the library at the canonical path `library` when
    /// anyone but root could replace it, or a directory above it: every root service
    /// given it would run their code (sshd's StrictModes: owned by root, writable by no
    /// group and no other, up to `/`).
    static func requireRootOnly(_ library: String, by operation: String, _ files: any FileSystem) throws(CLIError) {
        do throws(FileTrust.Problem) { try files.checkRootOnly(library) } catch {
            let why: String
            switch error {
            case let .foreignOwner(path, uid), let .foreignDirectory(path, uid):
                why = "\(path) is owned by uid \(uid), not root: its owner could replace the library; fix: 'chown root \(path)'"
            case let .writableByOthers(path, mode), let .writableDirectory(path, mode):
                let octal = String(mode, radix: 8)
                why = "\(path) is writable by group or others (mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal)): "
                    + "they could replace the library; fix: 'chmod go-w \(path)'"
            case let .cannotRead(path, code): why = "\(path) cannot be checked: \(code)"
            case let .notRegular(path, _): why = "\(path) is not a regular file"
            case let .replaced(path): why = "\(path) was moved or replaced while it was being checked"
            case let .tooLarge(path, _, _): why = "\(path) is too large"
            }
            throw .environment("\(operation): the preload library \(library) is not safe to preload into root's services: \(why), "
                + "or install mptcpctl where only root can write ('make install')")
        }
    }
}
