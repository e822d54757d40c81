import Launch

/// What follows a change of a service's drop-ins: systemd reloads its units when it runs
/// this system (no `--root`), through `systemctl daemon-reload` (no shell, by the
/// context's launcher); else the commands to run are printed.
struct SystemdReload {
    let context: Context

    /// After `object` (enable, disable) changed `unit`'s drop-ins under `root`.
    func after(_ object: String, _ unit: String, root: String?) throws(CLIError) {
        guard root == nil, context.files.canAccess("/run/systemd/system", .exists) else {
            context.console.line("to apply: systemctl daemon-reload && systemctl restart \(unit)")
            return
        }
        let status = context.launcher.run(["systemctl", "daemon-reload"])
        guard status == 0 else {
            throw .environment("\(object): systemctl daemon-reload failed (\(status < 0 ? "not run" : "exit \(status)")): the drop-in is changed; "
                + "run 'systemctl daemon-reload && systemctl restart \(unit)'")
        }
        context.console.line("systemctl daemon-reload: done; restart \(unit) to apply")
    }
}
