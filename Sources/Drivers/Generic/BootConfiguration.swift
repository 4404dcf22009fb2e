import Domain
import Foundation

/// Where the network boot interfaces (`pxe`, `ipxe`) put the files a node boots from, and how
/// the node reaches them: Ironic's `[pxe]tftp_root`, `[deploy]http_root` and `[deploy]http_url`
/// in one place, with the layout of the tree under it.
///
/// One directory serves both protocols: a TFTP server rooted at `root` hands pxelinux its
/// configs, and an HTTP server publishing `root` under `httpURL` hands iPXE its scripts. Serving
/// the directory is the deployment's business, not Ironlog's.
///
/// The layout under `root` (paths relative to it):
///
/// | path | what |
/// |---|---|
/// | `boot.ipxe` | the iPXE entry script DHCP points at: chains the first NIC's `pxelinux.cfg/<mac>` |
/// | `<node uuid>/boot.ipxe` | `ipxe`: the node's script (the ramdisk, or the instance) |
/// | `<node uuid>/config` | `pxe`: the node's pxelinux config |
/// | `<node uuid>/files` | which files the node owns, and what they boot (for clean-up) |
/// | `pxelinux.cfg/01-<mac with dashes>` | `pxe`: the node's config, per PXE-enabled port |
/// | `pxelinux.cfg/<mac with dashes>` | `ipxe`: a chain to the node's script, per PXE-enabled port |
public struct BootConfiguration: Sendable, Hashable {
    /// The directory boot files are written to (e.g. `<data>/boot`); created when first needed.
    public var root: String
    /// The URL `root` is served under over HTTP, for iPXE (e.g. `http://127.0.0.1:8080/boot`).
    public var httpURL: String
    /// The URL the ramdisk agent calls back on (`ipa-api-url`): Ironlog's API.
    public var apiURL: String
    /// Kernel parameters every ramdisk gets (Ironic's `[pxe]kernel_append_params`); a node's
    /// `driver_info.kernel_append_params` replaces them.
    public var kernelAppendParams: String
    /// The directory of per-MAC files, as pxelinux looks them up (`pxelinux.cfg`).
    public var macDirectory: String

    /// A configuration writing under `root`, serving it at `httpURL`, with agents calling back on
    /// `apiURL` (Ironic's API port by default).
    public init(root: String, httpURL: String = "http://127.0.0.1:8080/boot", apiURL: String = "http://127.0.0.1:6385",
                kernelAppendParams: String = "nofb vga=normal", macDirectory: String = "pxelinux.cfg") {
        self.root = root
        self.httpURL = httpURL.hasSuffix("/") ? String(httpURL.dropLast()) : httpURL
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.kernelAppendParams = kernelAppendParams
        self.macDirectory = macDirectory
    }

    /// A directory under the system's temporary directory: the default where no data directory
    /// is given (tests, tools).
    public static var temporary: BootConfiguration {
        BootConfiguration(root: FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-boot").path)
    }

    // MARK: Layout

    /// The iPXE entry script every node's firmware chains to (`boot.ipxe`).
    public var ipxeEntryScript: String { "boot.ipxe" }

    /// The directory of one node's files.
    public func nodeDirectory(_ node: UUID) -> String { node.uuidString.lowercased() }

    /// The node's iPXE script.
    public func ipxeScript(_ node: UUID) -> String { "\(nodeDirectory(node))/boot.ipxe" }

    /// The node's pxelinux config.
    public func pxeConfig(_ node: UUID) -> String { "\(nodeDirectory(node))/config" }

    /// The record of the files a node owns.
    public func manifest(_ node: UUID) -> String { "\(nodeDirectory(node))/files" }

    /// The per-MAC file of a port: `01-aa-bb-…` for pxelinux (ARP type 1, Ethernet), and
    /// `aa-bb-…` for iPXE (its `${mac:hexhyp}`). `nil` if `address` is not a MAC.
    public func macFile(_ address: String, loader: NetworkBoot.Loader) -> String? {
        guard let mac = MACAddress.normalize(address) else { return nil }
        let dashed = mac.replacingOccurrences(of: ":", with: "-")
        return "\(macDirectory)/" + (loader == .pxe ? "01-\(dashed)" : dashed)
    }

    /// The absolute path of `relative` (a path of the layout).
    public func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    /// The URL iPXE fetches `relative` from.
    public func url(_ relative: String) -> String { "\(httpURL)/\(relative)" }
}
