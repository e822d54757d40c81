import Foundation

/// The repository's root: the folder above this file that holds Package.swift, for the
/// tests that read the README, Docs, Integrations or write .build/fuzz-seeds. Found by
/// looking, not by counting folders, so a test file can move.
enum Repository {
    static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder
    }()
}
