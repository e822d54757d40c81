import Glibc
import MPTCPKit

/// The file system as this process sees it.
public struct SystemFileSystem: FileSystem {
    public init() {}

    public func status(_ path: String) -> FileStatus? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return FileStatus(kind: RootDirectory.kind(status), mode: status.st_mode & 0o7777)
    }

    public func canAccess(_ path: String, _ access: FileAccess) -> Bool {
        let mode: Int32
        switch access {
        case .exists: mode = F_OK
        case .read: mode = R_OK
        case .execute: mode = X_OK
        }
        return Glibc.access(path, mode) == 0
    }

    public func canonicalPath(_ path: String) throws(Errno) -> String {
        guard let resolved = realpath(path, nil) else { throw .current }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func checkRootOnly(_ path: String) throws(FileTrust.Problem) {
        try FileTrust.checkRootOnly(path)
    }

    public func openRoot(_ path: String) throws(Errno) -> any FileTree {
        try RootDirectory(path)
    }
}
