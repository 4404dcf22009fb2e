import Foundation

/// The BMC password in a file only the conductor's user can read (mode 0600, created
/// exclusively), for `ipmitool -f`: a password on the command line would be readable by anyone
/// through `ps` or `/proc/<pid>/cmdline`. Removed as soon as the run ends.
struct IPMIPasswordFile: ~Copyable {
    /// Where the file is.
    let path: String

    /// Writes `password` to a new private file. An empty or missing password is written as a
    /// single NUL, as Ironic does, so that ipmitool does not stop to prompt for one.
    init(password: String?) throws(DriverError) {
        let directory = FileManager.default.temporaryDirectory.path
        let path = "\(directory)/ironlog-ipmi-\(UUID().uuidString.lowercased())"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DriverError("Cannot create a password file for ipmitool in \(directory): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array((password?.isEmpty == false ? password! : "\0").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw DriverError("Cannot write the password file for ipmitool \(path): \(reason)")
        }
        self.path = path
    }

    deinit { unlink(path) }
}
