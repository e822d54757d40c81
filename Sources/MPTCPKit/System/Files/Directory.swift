import Glibc

/// Listing a directory without Foundation.
public enum Directory {
    /// The names in `path` ('.' and '..' aside), sorted; empty when it cannot be read.
    public static func entries(_ path: String) -> [String] {
        guard let handle = opendir(path) else { return [] }
        return entries(handle)
    }

    /// The names in the directory `handle` reads ('.' and '..' aside), sorted; the
    /// handle is closed.
    package static func entries(_ handle: OpaquePointer) -> [String] {
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
