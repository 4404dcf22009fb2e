import Crypto
import Foundation

/// The web UI's files, `Sources/Server/Resources/ui`, read once from the Server module's bundle.
///
/// The UI is plain HTML, CSS and JavaScript modules committed in the repository — no build step —
/// so serving it is handing out these bytes. Each file carries its media type and an entity tag
/// (a digest of its bytes), so a browser revalidates cheaply and never runs a stale module after an
/// upgrade.
struct UIAssets: Sendable {
    /// One file of the UI.
    struct Asset: Sendable {
        /// The file's bytes.
        let bytes: [UInt8]
        /// Its `Content-Type`.
        let contentType: String
        /// Its strong entity tag, quoted.
        let entityTag: String
    }

    /// The files by name (`index.html`, `app.js`…); the UI has no subdirectories.
    let files: [String: Asset]

    /// The UI as this build ships it; empty when the bundle lacks the directory.
    static let bundled: UIAssets = {
        guard let directory = Bundle.module.url(forResource: "ui", withExtension: nil) else { return UIAssets(files: [:]) }
        return UIAssets(directory: directory)
    }()

    /// The assets read from `directory`, skipping anything that is not a regular file with a known
    /// media type.
    init(directory: URL) {
        var files: [String: Asset] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names {
            guard let type = Self.contentType(of: name),
                  let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else { continue }
            let digest = SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
            files[name] = Asset(bytes: Array(data), contentType: type, entityTag: "\"\(digest)\"")
        }
        self.files = files
    }

    /// Assets given directly (tests).
    init(files: [String: Asset]) {
        self.files = files
    }

    /// The media type served for a file name, by its extension; nil for a type the UI does not use.
    static func contentType(of name: String) -> String? {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json": "application/json; charset=utf-8"
        case "txt": "text/plain; charset=utf-8"
        default: nil
        }
    }
}
