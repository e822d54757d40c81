import Launch
@testable import MPTCPCtlCLI

/// A unit file and a drop-in, as `enable` reads them: the first byte is the length of
/// the drop-in's file name (mod 32; any bytes but '/'), the second where the rest splits
/// into the unit file and the drop-in. Both are read by `UnitFile`, merged as enable
/// merges them, and the drop-in it would write is checked: refused when a value it
/// carries back holds a control character, else one line each, no control character but
/// the line ends, one `Environment=` of `[Service]`, which reads back as the values meant.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 2 else { return 0 }
    let nameLength = min(Int(bytes[0] % 32), bytes.count - 2)
    let name = String(decoding: bytes[2..<(2 + nameLength)].map { $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    let rest = Array(bytes[(2 + nameLength)...])
    let cut = rest.count * Int(bytes[1]) / 256
    var files: [(name: String, path: String, file: UnitFile)] = []
    for (fileName, path, content) in [("", "/etc/systemd/system/fuzz.service", rest[..<cut]),
                                      (name, "/etc/systemd/system/fuzz.service.d/" + name, rest[cut...])] {
        do throws(UnitFile.Problem) {
            files.append((fileName, path, try UnitFile(parsing: Array(content))))
        } catch {
            require(content.count >= UnitFile.lineLimit, "a line too long in \(content.count) bytes")
            return 0
        }
    }
    let inherited = UnitEnvironment.inherited(files)
    // enable refuses these.
    if inherited.values.contains(where: { DropInView.controlCharacter(in: $0.value) != nil }) { return 0 }
    let library = "/usr/lib/mptcpctl/libmptcpwrap.so"
    let fallback = bytes[0] & 0x80 == 0
    let text = UnitEnvironment.dropIn(unit: "fuzz.service", library: library, fallback: fallback, inherited: inherited)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    require(lines.last == "" && (4...5).contains(lines.count), "not 3 or 4 lines: \(text.debugDescription)")
    require(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F },
            "a control character written: \(text.debugDescription)")
    require(lines.dropLast(3).allSatisfy { $0.hasPrefix("# ") } && lines[lines.count - 3] == "[Service]"
            && lines[lines.count - 2].hasPrefix("Environment=\""), "not the drop-in's shape: \(text.debugDescription)")
    let assignments: [(section: String, key: String, value: String)]
    do throws(UnitFile.Problem) { assignments = try UnitFile.lines(Array(text.utf8)) } catch {
        require(false, "the drop-in does not read back: \(error)")
        return 0
    }
    require(assignments.count == 1 && assignments[0].section == "Service" && assignments[0].key == "Environment",
            "the drop-in reads as more than its Environment=: \(assignments)")
    // What it sets, read back through systemd's syntax, is what enable meant to set.
    var given = EnvironmentVariables()
    for name in ["LD_PRELOAD", "GODEBUG"] { given[name] = inherited[name]?.value }
    let meant = MPTCPPreload.environment(given, library: DropInView.specifierEscaped(library), fallback: fallback)
    let written = try? UnitFile(parsing: text)
    for name in UnitEnvironment.variables {
        require(written?.value(of: name) == meant[name], "\(name) reads back as \(String(describing: written?.value(of: name))), "
            + "not \(String(describing: meant[name])): \(text.debugDescription)")
    }
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
