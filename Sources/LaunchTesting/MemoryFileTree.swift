import Glibc
import Launch
import MPTCPKit

/// A `FileTree` in memory: files, directories, links, FIFOs and devices under a root of
/// their own, resolved as `RootDirectory` resolves them on disk (absolute links and '..'
/// stay inside the root), with failures scripted by path. An image for `enable --root`
/// with what a normal user cannot make (a device), or cannot make fail (a full disk).
public final class MemoryFileTree: FileTree {
    public enum Node: Equatable, Sendable {
        case file([UInt8], mode: mode_t)
        case directory
        case link(String)
        case fifo
        case characterDevice(major: UInt32, minor: UInt32)
    }

    /// Every node by its path inside the root, links not followed; "/" is the root.
    public private(set) var nodes: [String: Node] = ["/": .directory]
    /// What a change of the path (write, make, remove) fails with.
    public var failures: [String: Errno] = [:]

    /// A tree of these text files, with the directories above them.
    public init(_ files: [String: String] = [:]) {
        for (path, text) in files { add(path, .file(Array(text.utf8), mode: 0o644)) }
    }

    /// Puts `node` at `path`, with the directories above it.
    public func add(_ path: String, _ node: Node) {
        var directory = ""
        for name in path.split(separator: "/").dropLast() {
            directory += "/" + name
            if nodes[directory] == nil { nodes[directory] = .directory }
        }
        nodes[Self.normal(path)] = node
    }

    /// The text of the file at `path` (no link followed); nil when it is none.
    public func text(_ path: String) -> String? {
        guard case let .file(bytes, _)? = nodes[Self.normal(path)] else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func kind(of path: String, followingLinks: Bool) -> FileKind? {
        guard case let .success(found) = resolve(path, followingLast: followingLinks), let node = nodes[found] else { return nil }
        return Self.kind(node)
    }

    public func linkTarget(_ path: String) -> String? {
        guard case let .success(found) = resolve(path, followingLast: false), case let .link(target)? = nodes[found] else { return nil }
        return target
    }

    public func entries(_ path: String) -> [String] {
        guard case let .success(found) = resolve(path, followingLast: true), nodes[found] == .directory else { return [] }
        return nodes.keys.filter { $0 != "/" && Self.split($0).directory == found }.map { Self.split($0).name }.sorted()
    }

    public func read(_ path: String, limit: Int, followingLastLink: Bool) throws(FileTreeFailure) -> [UInt8] {
        let found: String
        switch resolve(path, followingLast: followingLastLink) {
        case let .success(value): found = value
        case let .failure(code): throw .system(path: path, code)
        }
        guard let node = nodes[found] else { throw .system(path: path, .noSuchFileOrDirectory) }
        guard case let .file(bytes, _) = node else { throw .notRegularFile(path: path, Self.kind(node)) }
        if bytes.count > limit { throw .tooLarge(path: path, limit: limit) }
        return bytes
    }

    public func makeDirectories(_ path: String, mode: mode_t) throws(FileTreeFailure) {
        var current = ""
        for name in path.split(separator: "/") {
            current += "/" + name
            if let code = failures[current] { throw .system(path: current, code) }
            switch resolve(current, followingLast: true) {
            case let .success(found) where nodes[found] == .directory: continue
            case .success: throw .system(path: current, Errno(rawValue: ENOTDIR))
            case .failure:
                let parent = try directory(of: current)
                nodes[Self.join(parent, String(name))] = .directory
            }
        }
    }

    public func replaceFile(_ path: String, with bytes: [UInt8], mode: mode_t) throws(FileTreeFailure) {
        let parent = try directory(of: path)
        if let code = failures[Self.normal(path)] { throw .system(path: path, code) }
        nodes[Self.join(parent, Self.split(Self.normal(path)).name)] = .file(bytes, mode: mode)
    }

    public func removeFile(_ path: String) throws(FileTreeFailure) {
        let entry = Self.join(try directory(of: path), Self.split(Self.normal(path)).name)
        if let code = failures[Self.normal(path)] { throw .system(path: path, code) }
        guard let node = nodes[entry] else { throw .system(path: path, .noSuchFileOrDirectory) }
        if node == .directory { throw .system(path: path, Errno(rawValue: EISDIR)) }
        nodes[entry] = nil
    }

    public func removeDirectoryIfEmpty(_ path: String) -> Bool {
        guard let parent = try? directory(of: path) else { return false }
        let entry = Self.join(parent, Self.split(Self.normal(path)).name)
        guard nodes[entry] == .directory, entries(entry).isEmpty else { return false }
        nodes[entry] = nil
        return true
    }

    /// The directory `path` is in, found inside the root (links followed).
    private func directory(of path: String) throws(FileTreeFailure) -> String {
        let directory = Self.split(Self.normal(path)).directory
        switch resolve(directory, followingLast: true) {
        case let .success(found) where nodes[found] == .directory: return found
        case .success: throw .system(path: directory, Errno(rawValue: ENOTDIR))
        case let .failure(code): throw .system(path: directory, code)
        }
    }

    /// Where `path` leads inside the root: every link on the way followed (the last one
    /// when `followingLast`), '..' never above the root.
    private func resolve(_ path: String, followingLast: Bool) -> Result<String, Errno> {
        var names = path.split(separator: "/").map(String.init)
        var current = "/"
        var links = 0
        while !names.isEmpty {
            let name = names.removeFirst()
            if name == "." { continue }
            if name == ".." { current = Self.split(current).directory; continue }
            let candidate = Self.join(current, name)
            guard let node = nodes[candidate] else { return .failure(.noSuchFileOrDirectory) }
            if case let .link(target) = node, !names.isEmpty || followingLast {
                links += 1
                if links > 40 { return .failure(Errno(rawValue: ELOOP)) }
                names = target.split(separator: "/").map(String.init) + names
                if target.hasPrefix("/") { current = "/" }
                continue
            }
            if !names.isEmpty, node != .directory { return .failure(Errno(rawValue: ENOTDIR)) }
            current = candidate
        }
        return .success(current)
    }

    private static func kind(_ node: Node) -> FileKind {
        switch node {
        case .file: return .regular
        case .directory: return .directory
        case .link: return .symbolicLink
        case .fifo: return .fifo
        case let .characterDevice(major, minor): return .characterDevice(major: major, minor: minor)
        }
    }

    private static func normal(_ path: String) -> String {
        "/" + path.split(separator: "/").joined(separator: "/")
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/"), path != "/" else { return ("/", "") }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
