#if canImport(Glibc)
import Glibc
#endif
import C2VUtil
import Foundation

/// One request `fake_openai.py` received.
public struct LoggedRequest: Decodable, Sendable {
    public var t: Double
    public var images: Int?
    public var role: String
    public var kind: String
    public var section: String?
    public var model: String?
    public var temperature: Double?
    public var auth: String
    public var messages: Int
    public var lastUser: String
    public var lines: String?
    public var region: String?
    public var status: Int
    /// The request body's top-level keys (`max_tokens`, `response_format`, ...).
    public var keys: [String]?
    /// The roles of its messages, in order.
    public var roles: [String]?

    enum CodingKeys: String, CodingKey {
        case t, images, role, kind, section, model, temperature, auth, messages, lastUser = "last_user", lines, region, status, keys, roles
    }

    public var tallyKey: String { "\(role)\(kind == "first" ? "" : "/\(kind)") \(section ?? "?")" }
}

/// `fake_openai.py` (a scripted OpenAI-compatible server, in this target's resources) on a free
/// loopback port, serving the rules in `script`; stopped by its PID.
public final class ScriptedLLMServer {
    let process = Process()
    public let port: Int
    let script: URL
    public let log: URL
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    public init(in folder: URL, rules: [[String: Any]]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        script = folder.appendingPathComponent("script.json")
        log = folder.appendingPathComponent("requests.jsonl")
        try Data().write(to: log)
        try JSONSerialization.data(withJSONObject: rules).write(to: script)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", try Self.scriptPath(), script.path, log.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var first = Data()
        while !first.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                process.waitUntilExit()
                throw C2VError(.internal, "fake_openai.py exited (\(process.terminationStatus)) before printing its port")
            }
            first.append(chunk)
        }
        guard let port = Int(String(decoding: first, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw C2VError(.internal, "fake_openai.py printed no port: \(String(decoding: first, as: UTF8.self))")
        }
        self.port = port
    }

    /// The server script: the copied resource, or the source tree as a fallback.
    static func scriptPath() throws -> String {
        if let url = Bundle.module.url(forResource: "fake_openai", withExtension: "py"), FileManager.default.fileExists(atPath: url.path) {
            return url.path
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources/fake_openai.py").path
        guard FileManager.default.fileExists(atPath: source) else { throw C2VError(.internal, "fake_openai.py not found") }
        return source
    }

    /// Replaces the script; the server rereads it on its next request and starts every queue over.
    public func load(_ rules: [[String: Any]]) throws {
        try JSONSerialization.data(withJSONObject: rules).write(to: script, options: .atomic)
    }

    public func requests() throws -> [LoggedRequest] {
        try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(LoggedRequest.self, from: Data($0.utf8))
        }
    }

    /// SIGTERM, then SIGKILL if the server has not gone within 3 s.
    public func stop() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

