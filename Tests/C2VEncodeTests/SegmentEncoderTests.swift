import C2VEncode
import C2VUtil
import Foundation
import Testing

/// Small, fast segments: 320x180 at 10 fps, checked with the ffprobe/ffmpeg command-line tools.
let smallSettings = EncoderSettings(width: 320, height: 180, fps: 10, quality: .standard)

/// Fills a frame with the left half red and the right half blue (BGRA byte order).
func drawRedBlue(width: Int, height: Int) -> (Int, UnsafeMutableRawPointer, Int) throws -> Void {
    { _, pixels, stride in
        for y in 0..<height {
            let row = pixels.advanced(by: y * stride).assumingMemoryBound(to: UInt8.self)
            for x in 0..<width {
                let pixel = row.advanced(by: x * 4)
                let red = x < width / 2
                pixel[0] = red ? 0 : 255  // B
                pixel[1] = 0              // G
                pixel[2] = red ? 255 : 0  // R
                pixel[3] = 255            // A
            }
        }
    }
}

struct ToolResult {
    var status: Int32
    var output: Data
    var errors: String
}

/// Runs a command-line tool and collects its output; tests use the real ffprobe as the referee.
func runTool(_ path: String, _ arguments: [String]) throws -> ToolResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolResult(status: process.terminationStatus, output: outputData,
                      errors: String(decoding: errorData, as: UTF8.self))
}

func probeJSON(_ arguments: [String]) throws -> [String: Any] {
    let result = try runTool("/usr/bin/ffprobe", ["-v", "error"] + arguments)
    #expect(result.status == 0, "ffprobe failed: \(result.errors)")
    let object = try JSONSerialization.jsonObject(with: result.output)
    return object as? [String: Any] ?? [:]
}

struct StreamFacts {
    var codec: String?
    var pixelFormat: String?
    var frames: Int?
    var colorSpace: String?
    var duration: Double?
}

func probeVideo(_ path: String) throws -> StreamFacts {
    let json = try probeJSON(["-select_streams", "v:0", "-count_frames",
                              "-show_entries", "stream=codec_name,pix_fmt,nb_read_frames,color_space:format=duration",
                              "-of", "json", path])
    let stream = (json["streams"] as? [[String: Any]])?.first ?? [:]
    let format = json["format"] as? [String: Any] ?? [:]
    return StreamFacts(codec: stream["codec_name"] as? String,
                       pixelFormat: stream["pix_fmt"] as? String,
                       frames: (stream["nb_read_frames"] as? String).flatMap { Int($0) },
                       colorSpace: stream["color_space"] as? String,
                       duration: (format["duration"] as? String).flatMap { Double($0) })
}

/// Top-level mp4 atom types in file order.
func topLevelAtoms(_ path: String) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var atoms: [String] = []
    var offset = 0
    while offset + 8 <= data.count {
        let bytes = [UInt8](data[offset..<offset + 8])
        var size = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        atoms.append(String(decoding: bytes[4..<8], as: UTF8.self))
        if size == 1, offset + 16 <= data.count {
            size = [UInt8](data[offset + 8..<offset + 16]).reduce(0) { $0 << 8 | Int($1) }
        } else if size == 0 {
            size = data.count - offset
        }
        guard size >= 8 else { break }
        offset += size
    }
    return atoms
}

func encodeSegment(_ path: String, frames: Int, settings: EncoderSettings = smallSettings) throws {
    try SegmentEncoder.encode(to: path, settings: settings, frameCount: frames,
                              draw: drawRedBlue(width: settings.width, height: settings.height))
}

@Suite struct SegmentEncoderTests {
    @Test func encodesH264WithExactLengthAndBT709() throws {
        let directory = try FileIO.makeTemporaryDirectory(prefix: "c2v-encode-test")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/seg.mp4"
        var progressSeen: [Int] = []
        try SegmentEncoder.encode(to: path, settings: smallSettings, frameCount: 20,
                                  draw: drawRedBlue(width: 320, height: 180),
                                  progress: { progressSeen.append($0) })
        let facts = try probeVideo(path)
        #expect(facts.codec == "h264")
        #expect(facts.pixelFormat == "yuv420p")
        #expect(facts.frames == 20)
        #expect(facts.colorSpace == "bt709")
        #expect(abs((facts.duration ?? 0) - 2.0) <= 0.05, "duration \(String(describing: facts.duration))")
        #expect(progressSeen.last == 20)
        #expect(progressSeen == progressSeen.sorted())
        // Only the finished file remains: no temporary left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["seg.mp4"])

        // Decode frame 5 and check the colours survived BGRA -> BT.709 yuv420p -> RGB.
        let decoded = try runTool("/usr/bin/ffmpeg", ["-v", "error", "-i", path, "-vf", "select=eq(n\\,5)",
                                                      "-vframes", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        #expect(decoded.status == 0, "ffmpeg failed: \(decoded.errors)")
        let rgb = [UInt8](decoded.output)
        try #require(rgb.count == 320 * 180 * 3)
        func pixel(_ x: Int, _ y: Int) -> [Int] { (0..<3).map { Int(rgb[(y * 320 + x) * 3 + $0]) } }
        func near(_ actual: [Int], _ expected: [Int]) -> Bool { zip(actual, expected).allSatisfy { abs($0 - $1) <= 20 } }
        #expect(near(pixel(40, 90), [255, 0, 0]), "left pixel \(pixel(40, 90))")
        #expect(near(pixel(280, 90), [0, 0, 255]), "right pixel \(pixel(280, 90))")
    }

    @Test func drawErrorIsRethrownAndLeavesNoFile() throws {
        struct DrawFailed: Error {}
        let directory = try FileIO.makeTemporaryDirectory(prefix: "c2v-encode-test")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/seg.mp4"
        let fill = drawRedBlue(width: 320, height: 180)
        var drawn = 0
        #expect(throws: DrawFailed.self) {
            try SegmentEncoder.encode(to: path, settings: smallSettings, frameCount: 20) { index, pixels, stride in
                if index == 7 { throw DrawFailed() }
                try fill(index, pixels, stride)
                drawn += 1
            }
        }
        #expect(drawn == 7)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test(arguments: [1, 2])
    func smallRingsStillDeliverEveryFrameInOrder(ringSize: Int) throws {
        let directory = try FileIO.makeTemporaryDirectory(prefix: "c2v-encode-test")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/seg.mp4"
        let settings = EncoderSettings(width: 64, height: 36, fps: 10, quality: .draft)
        var drawOrder: [Int] = []
        try SegmentEncoder.encode(to: path, settings: settings, frameCount: 25, ringSize: ringSize) { index, pixels, stride in
            drawOrder.append(index)
            #expect(stride >= 64 * 4 && stride % 64 == 0)
            pixels.initializeMemory(as: UInt8.self, repeating: UInt8(index * 10), count: stride * 36)
        }
        #expect(drawOrder == Array(0..<25))
        let facts = try probeVideo(path)
        #expect(facts.frames == 25)
        #expect(abs((facts.duration ?? 0) - 2.5) <= 0.05)
    }

    @Test func oddSizeIsRejected() throws {
        let directory = try FileIO.makeTemporaryDirectory(prefix: "c2v-encode-test")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let odd = EncoderSettings(width: 321, height: 180, fps: 10, quality: .draft)
        do {
            try SegmentEncoder.encode(to: "\(directory)/odd.mp4", settings: odd, frameCount: 2) { _, _, _ in }
            Issue.record("an odd width was accepted")
        } catch let error as C2VError {
            #expect(error.code == .invalidInput)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func settingsMapQualityAndFingerprintTheOptions() {
        let draft = EncoderSettings(width: 1920, height: 1080, fps: 30, quality: .draft)
        let high = EncoderSettings(width: 1920, height: 1080, fps: 30, quality: .high)
        #expect(draft.preset == "ultrafast" && draft.crf == 28)
        #expect(smallSettings.preset == "veryfast" && smallSettings.crf == 23)
        #expect(high.preset == "medium" && high.crf == 20)
        #expect(draft.fingerprint.hasPrefix("libx264 Lavc"))
        #expect(draft.fingerprint.contains("1920x1080@30"))
        #expect(draft.fingerprint.contains("preset=ultrafast crf=28"))
        #expect(draft.fingerprint.contains("keyint=60"))
        #expect(draft.fingerprint != high.fingerprint)
    }
}

@Suite struct SegmentJoinerTests {
    @Test func joinsByStreamCopyWithChaptersAndFaststart() throws {
        let directory = try FileIO.makeTemporaryDirectory(prefix: "c2v-join-test")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileIO.createDirectory("\(directory)/out")  // the joiner writes into existing folders only
        let lengths = [20, 10, 20]  // 2 s, 1 s, 2 s
        var inputs: [JoinInput] = []
        for (index, frames) in lengths.enumerated() {
            let path = "\(directory)/seg\(index).mp4"
            try encodeSegment(path, frames: frames)
            inputs.append(JoinInput(path: path, chapterTitle: "Part \(index + 1)"))
        }
        let output = "\(directory)/out/lesson.mp4"
        let result = try SegmentJoiner.join(inputs, to: output)
        #expect(result.frameCount == 50)
        #expect(abs(result.durationSeconds - 5.0) <= 0.01)
        #expect(result.segmentStartSeconds.count == 3)
        for (actual, expected) in zip(result.segmentStartSeconds, [0.0, 2.0, 3.0]) {
            #expect(abs(actual - expected) <= 0.01)
        }

        let facts = try probeVideo(output)
        #expect(facts.codec == "h264")
        #expect(facts.frames == 50)
        #expect(abs((facts.duration ?? 0) - 5.0) <= 0.1, "duration \(String(describing: facts.duration))")

        let json = try probeJSON(["-show_chapters", "-of", "json", output])
        let chapters = json["chapters"] as? [[String: Any]] ?? []
        #expect(chapters.count == 3)
        let titles = chapters.map { ($0["tags"] as? [String: Any])?["title"] as? String }
        #expect(titles == ["Part 1", "Part 2", "Part 3"])
        let starts = chapters.map { ($0["start_time"] as? String).flatMap { Double($0) } ?? -1 }
        for (actual, expected) in zip(starts, [0.0, 2.0, 3.0]) {
            #expect(abs(actual - expected) <= 0.05, "chapter starts \(starts)")
        }

        let atoms = try topLevelAtoms(output)
        let moov = try #require(atoms.firstIndex(of: "moov"), "atoms \(atoms)")
        let mdat = try #require(atoms.firstIndex(of: "mdat"), "atoms \(atoms)")
        #expect(moov < mdat, "atoms \(atoms)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory)/out") == ["lesson.mp4"])
    }

    @Test func refusesSegmentsWithDifferentSettings() throws {
        let directory = try FileIO.makeTemporaryDirectory(prefix: "c2v-join-test")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let standard = "\(directory)/standard.mp4", draft = "\(directory)/draft.mp4"
        try encodeSegment(standard, frames: 10)
        try encodeSegment(draft, frames: 10,
                          settings: EncoderSettings(width: 320, height: 180, fps: 10, quality: .draft))
        let output = "\(directory)/joined.mp4"
        do {
            _ = try SegmentJoiner.join([JoinInput(path: standard, chapterTitle: "A"),
                                        JoinInput(path: draft, chapterTitle: "B")], to: output)
            Issue.record("segments with different settings were joined")
        } catch let error as C2VError {
            #expect(error.code == .buildFailed)
            #expect(error.message.contains("different settings"))
            #expect(error.message.contains(draft))
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func refusesAnEmptyList() {
        #expect(throws: C2VError.self) { _ = try SegmentJoiner.join([], to: "/tmp/never-written.mp4") }
    }
}
