import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the end-to-end tests: find the c2v binary, run processes, read reports,
/// probe videos with ffprobe and decode pixels with ffmpeg.

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutData: Data
}

enum E2EError: Error, CustomStringConvertible {
    case message(String)
    var description: String {
        switch self { case .message(let text): return text }
    }
}

enum Tools {
    static let ffprobe = "/usr/bin/ffprobe"
    static let ffmpeg = "/usr/bin/ffmpeg"

    /// The `c2v` executable next to the running test binary (`<scratch>/debug/c2v` under `swift test`).
    static func c2vPath() throws -> String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = exe.deletingLastPathComponent()
        // On Linux the test runner is `<scratch>/debug/<Package>PackageTests.xctest`; on macOS the
        // executable sits inside a bundle, so walk up until a `c2v` file appears.
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("c2v").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        throw E2EError.message(
            "c2v binary not found next to the test executable \(exe.path); build it first with "
                + "`swift build --build-tests` (the `c2v` product must be in the same folder)")
    }

    /// The fixtures folder: the copied resource bundle, or the source tree as a fallback.
    static func fixture(_ name: String) throws -> URL {
        if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
           FileManager.default.fileExists(atPath: url.path) {
            return url
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw E2EError.message("fixture \(name) not found in Bundle.module nor at \(source.path)")
        }
        return source
    }

    /// Runs a program to completion; stdout and stderr go to temporary files (no pipe deadlocks).
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        removingEnvironment: [String] = []
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for name in removingEnvironment { env[name] = nil }
        for (name, value) in environment { env[name] = value }
        process.environment = env
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("c2v-e2e-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let out = try Data(contentsOf: outURL), err = try Data(contentsOf: errURL)
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: err, as: UTF8.self), stdoutData: out)
    }

    static func sha256(_ url: URL) throws -> String {
        let result = try run("/usr/bin/sha256sum", [url.path])
        guard result.status == 0, let hex = result.stdout.split(separator: " ").first else {
            throw E2EError.message("sha256sum failed on \(url.path): \(result.stderr)")
        }
        return String(hex)
    }
}

/// A private temporary folder holding a copy of the fixture lesson; c2v runs inside it with
/// `--cache-dir cache --out-dir out` unless told otherwise.
final class Workspace {
    let root: URL
    let lessonName: String
    var lesson: URL { root.appendingPathComponent("\(lessonName).yaml") }
    var cache: URL { root.appendingPathComponent("cache") }
    var out: URL { root.appendingPathComponent("out") }
    var lessonOut: URL { out.appendingPathComponent(lessonName) }
    var video: URL { lessonOut.appendingPathComponent("\(lessonName).mp4") }
    var subtitles: URL { lessonOut.appendingPathComponent("\(lessonName).vtt") }
    var poster: URL { lessonOut.appendingPathComponent("poster.png") }
    var reportURL: URL { lessonOut.appendingPathComponent("report.json") }

    init(fixture: String = "tiny.yaml", alongside: [String] = []) throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("c2v-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.resolvingSymlinksInPath()
        lessonName = (fixture as NSString).deletingPathExtension
        try FileManager.default.copyItem(at: try Tools.fixture(fixture), to: lesson)
        for name in alongside {
            try FileManager.default.copyItem(at: try Tools.fixture(name), to: root.appendingPathComponent(name))
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var lessonText: String {
        get throws { try String(contentsOf: lesson, encoding: .utf8) }
    }

    /// Replaces exactly one occurrence of `old` in the lesson file (or in `file` next to it).
    func edit(_ old: String, _ new: String, in file: String? = nil) throws {
        let lesson = file.map { root.appendingPathComponent($0) } ?? self.lesson
        let text = try String(contentsOf: lesson, encoding: .utf8)
        let parts = text.components(separatedBy: old)
        guard parts.count == 2 else {
            throw E2EError.message("expected exactly one `\(old)` in \(lesson.path), found \(parts.count - 1)")
        }
        try parts.joined(separator: new).write(to: lesson, atomically: true, encoding: .utf8)
    }

    /// Runs `c2v ARGS` here, with no fault injected and no cache folder from the environment.
    @discardableResult
    func c2v(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try Tools.run(try Tools.c2vPath(), arguments, in: root, environment: environment,
                      removingEnvironment: ["C2V_INJECT_FAULT", "C2V_CACHE_DIR"])
    }

    /// `c2v build <lesson> --cache-dir cache --out-dir out EXTRA`.
    @discardableResult
    func build(_ extra: [String] = [], environment: [String: String] = [:]) throws -> ProcessResult {
        try c2v(["build", "\(lessonName).yaml", "--cache-dir", "cache", "--out-dir", "out"] + extra, environment: environment)
    }

    /// Builds and requires success (exit 0), reporting c2v's output otherwise.
    @discardableResult
    func buildOK(_ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try build(extra)
        #expect(result.status == 0, "c2v build failed:\nstdout: \(result.stdout)\nstderr: \(result.stderr)",
                sourceLocation: sourceLocation)
        return result
    }

    func report() throws -> Report {
        try JSONDecoder().decode(Report.self, from: try Data(contentsOf: reportURL))
    }

    func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Every regular file under `folder` (empty when it does not exist).
    func files(under folder: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var result: [URL] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            result.append(url)
        }
        return result
    }
}

/// report.json as documented.
struct Report: Decodable {
    struct Step: Decodable {
        var kind: String
        var section: String?
        var key: String?
        var status: String
        var seconds: Double
        var reason: String
        var warnings: [String]
        var error: String?

        var id: String { section.map { "\(kind)(\($0))" } ?? kind }
    }

    var reportVersion: Int
    var lesson: String
    var title: String
    var output: String?
    var durationSeconds: Double?
    var frameCount: Int?
    var wallSeconds: Double
    var succeeded: Bool
    var steps: [Step]
    var totals: [String: Int]

    enum CodingKeys: String, CodingKey {
        case reportVersion = "report_version", lesson, title, output, durationSeconds = "duration_seconds"
        case frameCount = "frame_count", wallSeconds = "wall_seconds", succeeded, steps, totals
    }

    /// Step id (`render(beta)`, `assemble`) -> status.
    var statuses: [String: String] {
        Dictionary(steps.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
    }

    func step(_ id: String) -> Step? { steps.first { $0.id == id } }

    /// Ids of the steps with this status, in report order.
    func ids(_ status: String) -> [String] { steps.filter { $0.status == status }.map(\.id) }

    static let authorSkipped: Set<String> = ["plan(alpha)", "plan(beta)"]
}

/// The tiny fixture's facts.
enum Tiny {
    static let sections = ["alpha", "beta", "gamma"]
    static let titles = ["First section", "Second section", "Third section"]
    /// Every step in report order: per section plan, code, critique, render; then assemble.
    static let stepIDs: [String] = sections.flatMap { s in ["plan", "code", "critique", "render"].map { "\($0)(\(s))" } } + ["assemble"]
    /// Steps that really run on a fresh cache (all but the two author-skipped plans).
    static let runnable: [String] = stepIDs.filter { !Report.authorSkipped.contains($0) }
    static let cueTexts = [
        "Waves repeat in time", "Sines are building blocks",
        "A square wave jumps", "More terms sharpen corners",
        // gamma's brief, "Circles turning together draw curves.", planned offline into one line.
        "Circles turning together draw curves",
    ]
    static let width = 320, height = 180
    static let frames = 60
    static let duration = 6.0
    static let background: [Int] = [0x10, 0x20, 0x30]
}

enum Media {
    struct Probe {
        var codec: String
        var pixelFormat: String
        var frames: Int
        var duration: Double
    }

    struct Chapter {
        var title: String
        var start: Double
        var end: Double
    }

    static func json(_ result: ProcessResult, _ what: String) throws -> [String: Any] {
        guard result.status == 0 else { throw E2EError.message("\(what) failed (\(result.status)): \(result.stderr)") }
        guard let object = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] else {
            throw E2EError.message("\(what) did not print a JSON object: \(result.stdout)")
        }
        return object
    }

    static func probe(_ video: URL) throws -> Probe {
        let object = try json(try Tools.run(Tools.ffprobe, [
            "-v", "error", "-select_streams", "v:0", "-count_frames",
            "-show_entries", "stream=codec_name,pix_fmt,nb_read_frames:format=duration", "-of", "json", video.path,
        ]), "ffprobe")
        guard let stream = (object["streams"] as? [[String: Any]])?.first,
              let format = object["format"] as? [String: Any],
              let codec = stream["codec_name"] as? String, let pixelFormat = stream["pix_fmt"] as? String,
              let framesText = stream["nb_read_frames"] as? String, let frames = Int(framesText),
              let durationText = format["duration"] as? String, let duration = Double(durationText)
        else { throw E2EError.message("unexpected ffprobe output: \(object)") }
        return Probe(codec: codec, pixelFormat: pixelFormat, frames: frames, duration: duration)
    }

    static func chapters(_ video: URL) throws -> [Chapter] {
        let object = try json(try Tools.run(Tools.ffprobe, ["-v", "error", "-show_chapters", "-of", "json", video.path]),
                              "ffprobe -show_chapters")
        guard let chapters = object["chapters"] as? [[String: Any]] else {
            throw E2EError.message("no chapters array in \(object)")
        }
        return try chapters.map { chapter in
            guard let start = (chapter["start_time"] as? String).flatMap(Double.init),
                  let end = (chapter["end_time"] as? String).flatMap(Double.init)
            else { throw E2EError.message("bad chapter \(chapter)") }
            let title = (chapter["tags"] as? [String: Any])?["title"] as? String ?? ""
            return Chapter(title: title, start: start, end: end)
        }
    }

    /// Decodes an image (or one frame of a video, by index) to packed RGB24.
    static func rgb(_ file: URL, frame: Int? = nil) throws -> Data {
        var arguments = ["-v", "error", "-i", file.path]
        if let frame { arguments += ["-vf", "select=eq(n\\,\(frame))", "-vsync", "0", "-frames:v", "1"] }
        arguments += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let result = try Tools.run(Tools.ffmpeg, arguments)
        guard result.status == 0 else { throw E2EError.message("ffmpeg could not decode \(file.path): \(result.stderr)") }
        return result.stdoutData
    }

    static func pixel(_ rgb: Data, x: Int, y: Int, width: Int) -> [Int] {
        let offset = (y * width + x) * 3
        return [Int(rgb[rgb.startIndex + offset]), Int(rgb[rgb.startIndex + offset + 1]), Int(rgb[rgb.startIndex + offset + 2])]
    }

    static func near(_ a: [Int], _ b: [Int], within tolerance: Int) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }
}

/// A WebVTT cue: `HH:MM:SS.mmm --> HH:MM:SS.mmm` then text.
struct Cue: Equatable {
    var start: Double
    var end: Double
    var text: String

    static func parseTime(_ text: Substring) -> Double? {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        let sm = parts[2].split(separator: ".")
        guard sm.count == 2, sm[1].count == 3, let s = Int(sm[0]), let ms = Int(sm[1]), parts[0].count == 2,
              parts[1].count == 2, sm[0].count == 2
        else { return nil }
        return Double(h * 3600 + m * 60 + s) + Double(ms) / 1000
    }

    /// Parses a WebVTT document; throws on a malformed timing line.
    static func parse(_ document: String) throws -> [Cue] {
        let blocks = document.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        var cues: [Cue] = []
        for block in blocks.dropFirst() {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: true)
            guard let timingIndex = lines.firstIndex(where: { $0.contains("-->") }) else { continue }
            let timing = lines[timingIndex].components(separatedBy: " --> ")
            guard timing.count == 2, let start = parseTime(Substring(timing[0])),
                  let end = parseTime(Substring(timing[1].split(separator: " ").first ?? ""))
            else { throw E2EError.message("malformed cue timing: \(lines[timingIndex])") }
            cues.append(Cue(start: start, end: end, text: lines[(timingIndex + 1)...].joined(separator: "\n")))
        }
        return cues
    }
}

func modificationDate(_ url: URL) throws -> Date {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    guard let date = attributes[.modificationDate] as? Date else {
        throw E2EError.message("no modification date for \(url.path)")
    }
    return date
}
