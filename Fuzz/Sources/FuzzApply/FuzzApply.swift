import FuzzSupport
import MPTCPKit
import StateFile

/// The files mptcpctl reads: the input as a `-b` batch file, and as an `apply` file
/// (YAML or JSON) that, when valid, is planned and carried out against a recording
/// stand-in for the kernel, whose state is then exported: what `export` writes must
/// read back as a valid file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Batch.lines(text, file: "fuzz")
    let state: DesiredState
    do throws(DesiredState.Invalid) {
        state = try DesiredState.parse(text, file: "fuzz.yaml")
    } catch {
        require(!error.problems.isEmpty, "an invalid file with no problem named")
        return 0
    }
    let kernel = RecordingKernel()
    let apply = Apply(keepUnlisted: size % 2 == 1, open: { _ throws(MPTCPError) in kernel })
    guard let (plans, problems) = try? apply.prepare(state, netns: nil), problems.isEmpty else { return 0 }
    for prepared in plans {
        _ = Apply.text(prepared)
        _ = Apply.json(prepared).rendered()
        try? Apply.execute(prepared)
    }
    guard let exported = try? Export.namespace(of: kernel, label: "fuzz") else { return 0 }
    let yaml = Export.yaml(exported)
    do throws(DesiredState.Invalid) {
        _ = try DesiredState.parse(yaml, file: "exported.yaml")
    } catch {
        require(false, "export wrote a file apply refuses: \(error.problems)\n\(yaml)")
    }
    return 0
}
