import Foundation

/// Where a loader fetches an image that `driver_info` or `instance_info` names (`deploy_kernel`,
/// `instance_info.kernel`, `boot_iso`…).
///
/// An `http://` or `https://` URL is used as it is. Anything else is a file in the boot tree:
/// a path relative to the root, or an absolute path or `file://` URL inside it. iPXE gets it as
/// a URL under ``BootConfiguration/httpURL``, pxelinux as a TFTP path relative to the root.
/// Ironlog does not download or cache images (Ironic's image cache is out of scope): whatever
/// is named must already be served.
enum BootImageLocation {
    /// The location of `value` (the value of `key`) for `loader`, or an error saying why the
    /// loader cannot reach it.
    static func locate(_ value: String, key: String, loader: NetworkBoot.Loader, _ configuration: BootConfiguration) throws(DriverError) -> String {
        let lowered = value.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") { return value }
        var path = value
        if lowered.hasPrefix("file://") { path = String(value.dropFirst("file://".count)) }
        if path.hasPrefix("/") {
            let root = (configuration.root as NSString).standardizingPath + "/"
            let absolute = (path as NSString).standardizingPath
            guard absolute.hasPrefix(root) else {
                throw DriverError("\(key) \(value) is outside the boot directory \(configuration.root); "
                    + "give an http(s) URL or a path inside the boot directory")
            }
            path = String(absolute.dropFirst(root.count))
        } else if value.contains("://") {
            throw DriverError("\(key) \(value) is not an http(s) URL or a path inside the boot directory \(configuration.root)")
        }
        guard !path.isEmpty, !path.split(separator: "/").contains("..") else {
            throw DriverError("\(key) \(value) does not name a file inside the boot directory \(configuration.root)")
        }
        return loader == .ipxe ? configuration.url(path) : path
    }
}
