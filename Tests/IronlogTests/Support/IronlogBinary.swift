import Foundation

/// Finds the `ironlog` executable built alongside the tests.
///
/// SwiftPM puts executables and the test bundle in the same build directory
/// (`.build/<triple>/<configuration>/`), so the first place looked is next to the running test
/// executable. Then the package's `.build/debug/ironlog`, found from this file's path. Set
/// `IRONLOG_BINARY` to force a particular binary.
enum IronlogBinary {
    /// The binary could not be found anywhere it was looked for.
    struct NotFound: Error, CustomStringConvertible {
        /// Every path tried, in order.
        let searched: [String]
        var description: String {
            "no ironlog executable found; build it with `swift build` (looked at: \(searched.joined(separator: ", ")))"
        }
    }

    /// This source file's path, `<package root>/Tests/IronlogTests/Support/IronlogBinary.swift`. A
    /// constant here rather than a `#filePath` default argument, which would be the caller's file.
    private static let thisFile: String = #filePath

    /// The path of the `ironlog` executable.
    static func url() throws -> URL {
        let candidates = candidateURLs()
        let fileManager = FileManager.default
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                fileManager.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        throw NotFound(searched: candidates.map(\.path))
    }

    /// Where to look, most specific first.
    static func candidateURLs() -> [URL] {
        if let override = ProcessInfo.processInfo.environment["IRONLOG_BINARY"], !override.isEmpty {
            return [URL(fileURLWithPath: override)]
        }
        var directories: [URL] = []
        // The running test executable (Linux: …/debug/ironlogPackageTests.xctest is a plain executable).
        if let first = CommandLine.arguments.first, !first.isEmpty {
            let executable = URL(fileURLWithPath: first).resolvingSymlinksInPath()
            directories.append(executable.deletingLastPathComponent())
        }
        // Bundle.main is the executable's directory on Linux; on macOS the .xctest bundle sits in the
        // build directory, so its parent is the one to look in.
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        // Fallback: <package root>/.build/debug, the package root being the directory that holds Tests/.
        let packageRoot = URL(fileURLWithPath: thisFile)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // IronlogTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
        directories.append(packageRoot.appendingPathComponent(".build/debug", isDirectory: true))

        var seen: Set<String> = []
        return directories
            .map { $0.appendingPathComponent("ironlog", isDirectory: false).standardizedFileURL }
            .filter { seen.insert($0.path).inserted }
    }
}
