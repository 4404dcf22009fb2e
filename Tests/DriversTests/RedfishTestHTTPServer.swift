import Domain
import Engine
import EventStore
import Foundation

// MARK: A static HTTP server

/// `python3`'s HTTP server over a temporary directory on a free loopback port: images for
/// virtual media, files as canned answers, and scripted answers (a status sequence per method
/// and path, the last repeated) for a BMC that fails in set ways. It exits by itself if this
/// test process dies.
final class StaticHTTPServer: @unchecked Sendable {
    let port: Int
    let directory: URL
    private let process: ChildProcess

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The scripted requests answered so far, as `METHOD /path STATUS` lines.
    var requests: [String] {
        ((try? String(contentsOf: directory.appendingPathComponent(".requests"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    private init(port: Int, directory: URL, process: ChildProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Serves `files` (relative path → contents), and for each `"METHOD /path"` in `answers`
    /// its answers (status, JSON body) in turn, the last one repeated.
    static func start(files: [String: Data], answers: [String: [(status: Int, body: String)]] = [:]) async throws -> StaticHTTPServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scripted: JSONValue = .object(answers.mapValues { .array($0.map { [.number(Double($0.status)), .string($0.body)] }) })
        var scriptBytes: [UInt8] = []
        JSONSerializer.write(scripted, into: &scriptBytes)
        try Data(scriptBytes).write(to: directory.appendingPathComponent(".script.json"))
        for (path, contents) in files {
            let file = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file)
        }
        // The server says it listens by creating the ready file (no blocking connects here).
        let script = """
        import functools, http.server, json, os, sys, threading, time
        port, directory, owner, ready = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
        def watch():
            while True:
                try:
                    os.kill(owner, 0)
                except ProcessLookupError:
                    os._exit(0)
                time.sleep(0.5)
        threading.Thread(target=watch, daemon=True).start()
        script = json.load(open(os.path.join(directory, '.script.json')))
        lock = threading.Lock()
        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=directory, **kwargs)
            def scripted(self):
                key = self.command + ' ' + self.path
                with lock:
                    answers = script.get(key)
                    if not answers:
                        return False
                    status, body = answers[0] if len(answers) == 1 else answers.pop(0)
                    with open(os.path.join(directory, '.requests'), 'a') as log:
                        log.write('%s %d\\n' % (key, status))
                length = int(self.headers.get('Content-Length') or 0)
                if length:
                    self.rfile.read(length)
                data = body.encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return True
            def do_GET(self):
                if not self.scripted():
                    super().do_GET()
            def do_POST(self):
                if not self.scripted():
                    self.send_error(404)
            def do_PATCH(self):
                if not self.scripted():
                    self.send_error(404)
        handler = Handler
        server = http.server.ThreadingHTTPServer(('127.0.0.1', port), handler)
        open(ready, 'w').close()
        server.serve_forever()
        """
        var failures: [String] = []
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            let ready = directory.path + ".ready-\(port)"
            let log = directory.path + ".log-\(port)"
            let process = try ChildProcess("python3", ["-c", script, String(port), directory.path,
                                            String(ProcessInfo.processInfo.processIdentifier), ready], standardError: .file(log))
            for _ in 0..<400 where process.isRunning && !FileManager.default.fileExists(atPath: ready) {
                try await Task.sleep(for: .milliseconds(25))
            }
            let started = process.isRunning && FileManager.default.fileExists(atPath: ready)
            try? FileManager.default.removeItem(atPath: ready)
            if started {
                try? FileManager.default.removeItem(atPath: log)
                return StaticHTTPServer(port: port, directory: directory, process: process)
            }
            await process.stop()
            failures.append("port \(port): " + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
            try? FileManager.default.removeItem(atPath: log)
        }
        try? FileManager.default.removeItem(at: directory)
        throw SupportError("python3 -m http.server did not start (tried \(failures.joined(separator: ", ")))")
    }

    /// Stops the server and removes its directory.
    func stop() async {
        await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a started static server, stopping it afterwards whether `body` fails or not.
func withHTTPServer<T>(files: [String: Data] = [:], answers: [String: [(status: Int, body: String)]] = [:],
                       _ body: (StaticHTTPServer) async throws -> T) async throws -> T {
    let server = try await StaticHTTPServer.start(files: files, answers: answers)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
