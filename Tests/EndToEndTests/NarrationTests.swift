import Foundation
import Testing
import C2VTestSupport

/// Narrated lessons through the built binary: speech in every segment, timing from the voice,
/// loudness, subtitles, and which steps an edit reruns.
@Suite("c2v narration end to end", .serialized) struct NarrationTests {
    static let fps = 10.0

    /// Duration of each stream of a file, by codec type.
    static func streamDurations(_ file: URL) throws -> [String: Double] {
        let object = try Media.json(try Tools.run(Tools.ffprobe, [
            "-v", "error", "-show_entries", "stream=codec_type,codec_name,sample_rate,duration", "-of", "json", file.path,
        ]), "ffprobe")
        var durations: [String: Double] = [:]
        for stream in object["streams"] as? [[String: Any]] ?? [] {
            guard let type = stream["codec_type"] as? String, let text = stream["duration"] as? String, let d = Double(text) else { continue }
            if type == "audio" {
                #expect(stream["codec_name"] as? String == "aac")
                #expect(stream["sample_rate"] as? String == "48000")
            }
            durations[type] = d
        }
        return durations
    }

    /// Integrated loudness and true peak from ffmpeg's ebur128 filter.
    static func loudness(_ file: URL) throws -> (integrated: Double, peak: Double) {
        let result = try Tools.run(Tools.ffmpeg, ["-hide_banner", "-i", file.path, "-af", "ebur128=peak=true", "-f", "null", "-"])
        let summary = result.stderr.components(separatedBy: "Summary:").last ?? ""
        func value(_ label: String) -> Double? {
            guard let range = summary.range(of: label) else { return nil }
            return Double(summary[range.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return (value("I:") ?? .nan, value("Peak:") ?? .nan)
    }

    /// An output blob of a step, from its action entry.
    static func blob(_ ws: Workspace, step: String, output: String) throws -> URL {
        try TrustTests.blob(ws, step: step, output: output).url
    }

    @Test("a narrated lesson: AAC at 48 kHz, audio and video end together, chapters on segment starts, -16 LUFS, one cue per spoken line")
    func narratedLesson() throws {
        let ws = try Workspace(fixture: "narrated.yaml")
        try ws.buildOK()
        let report = try ws.report()
        #expect(Set(report.ids("ran")).isSuperset(of: ["speak(alpha)", "speak(beta)", "speak(gamma)"]))

        let whole = try Self.streamDurations(ws.video)
        let video = try #require(whole["video"]), audio = try #require(whole["audio"], "no audio stream")
        #expect(abs(video - audio) <= 1 / Self.fps, "video \(video) s, audio \(audio) s")
        #expect(try TrustTests.decodeErrors(ws.video) == "")

        let chapters = try Media.chapters(ws.video)
        try #require(chapters.count == 3)
        var start = 0.0
        for (i, section) in ["alpha", "beta", "gamma"].enumerated() {
            let segment = try Self.blob(ws, step: "render(\(section))", output: "segment")
            let own = try Self.streamDurations(segment)
            let v = try #require(own["video"]), a = try #require(own["audio"])
            #expect(abs(v - a) <= 1 / Self.fps, "\(section): video \(v) s, audio \(a) s")
            #expect(abs(chapters[i].start - start) < 0.002, "chapter \(i) starts at \(chapters[i].start), its segment at \(start)")
            start += v
        }

        let (integrated, peak) = try Self.loudness(ws.video)
        #expect(abs(integrated - -16) <= 1, "integrated loudness \(integrated) LUFS")
        #expect(peak <= -1, "true peak \(peak) dBTP")

        // Subtitles carry the spoken words, each inside its section.
        let cues = try Cue.parse(try String(contentsOf: ws.subtitles, encoding: .utf8))
        #expect(cues.first?.text == "A wave that repeats itself in time is called periodic.")
        #expect(cues.contains { $0.text == "Now look closely at the little dot, because it moves right now." })
        let inAlpha = cues.filter { $0.start >= chapters[0].start && $0.end <= chapters[0].end + 0.001 }
        let inBeta = cues.filter { $0.start >= chapters[1].start && $0.end <= chapters[1].end + 0.001 }
        let inGamma = cues.filter { $0.start >= chapters[2].start && $0.end <= chapters[2].end + 0.001 }
        #expect(inAlpha.count == 2 && inBeta.count == 1 && !inGamma.isEmpty)
        #expect(inAlpha.count + inBeta.count + inGamma.count == cues.count, "every cue lies inside one section")

        // A no-op build runs nothing.
        try ws.buildOK()
        #expect(try ws.report().ids("ran").isEmpty)
    }

    @Test("editing one line's words re-speaks that line only; a new voice re-speaks and re-renders, re-plans nothing")
    func editsRerunExactlyWhatTheyShould() throws {
        let ws = try Workspace(fixture: "narrated.yaml")
        try ws.buildOK()
        try ws.edit("is called periodic.", "is what we call periodic.")
        try ws.buildOK()
        var report = try ws.report()
        #expect(report.ids("ran") == ["speak(alpha)", "render(alpha)", "assemble"])
        let spoken = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.reportURL)) as? [String: Any]
        let speak = (spoken?["steps"] as? [[String: Any]])?.first { $0["kind"] as? String == "speak" && $0["section"] as? String == "alpha" }
        #expect(speak?["lines_spoken"] as? Int == 1, "one line re-spoken, the other from its memo")

        try ws.edit("voice: en-us", "voice: en-gb-x-rp")
        try ws.buildOK()
        report = try ws.report()
        let ran = Set(report.ids("ran"))
        #expect(ran == ["speak(alpha)", "speak(beta)", "speak(gamma)", "render(alpha)", "render(beta)", "render(gamma)", "assemble"],
                "ran: \(ran.sorted())")
        #expect(report.steps.filter { ["plan", "code", "critique"].contains($0.kind) }.allSatisfy { $0.status != "ran" })
    }

    @Test("a step tied to a bookmark starts on that word, within one frame")
    func bookmark() throws {
        let ws = try Workspace(fixture: "narrated.yaml")
        try ws.buildOK()
        let cues = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.blob(ws, step: "render(beta)", output: "cues")))
        let mark = try #require(((cues as? [String: Any])?["marks"] as? [String: Any])?["go"] as? Double)
        #expect(mark > 1.5, "the bookmark comes late in the sentence: \(mark) s")
        let segment = try Self.blob(ws, step: "render(beta)", output: "segment")
        // The dot rests until the word, then moves: frames differ only from the bookmark on.
        let markFrame = Int((mark * Self.fps).rounded())
        let rest = try Media.rgb(segment, frame: max(0, markFrame - 2))
        let before = try Media.rgb(segment, frame: markFrame - 1)
        let after = try Media.rgb(segment, frame: markFrame + 2)
        #expect(rest == before, "the dot waits for its word")
        #expect(before != after, "the dot moves once the word is spoken")
        let moved = try Media.rgb(segment, frame: markFrame + 1)
        #expect(moved != before, "movement starts within a frame of the word")
    }

    @Test("after ten narrated sections the audio is still in sync with the video, within one frame")
    func tenSections() throws {
        let ws = try Workspace(fixture: "narrated.yaml")
        var text = "c2v: 1\ntitle: Ten\nvideo: {size: 320x180, fps: 10, quality: draft}\nsections:\n"
        for i in 1...10 {
            text += "  - id: s\(i)\n    title: Part \(i)\n    lecture_lines: [\"Part \(i) has a short sentence of its own\"]\n"
        }
        try Data(text.utf8).write(to: ws.lesson)
        try ws.buildOK()
        let whole = try Self.streamDurations(ws.video)
        let video = try #require(whole["video"]), audio = try #require(whole["audio"])
        #expect(abs(video - audio) <= 1 / Self.fps, "video \(video) s, audio \(audio) s")
        let chapters = try Media.chapters(ws.video)
        try #require(chapters.count == 10)
        // Each section's speech starts where its chapter starts: the first audible sample of every
        // chapter lies within one frame of its start.
        var start = 0.0
        for i in 1...10 {
            let segment = try Self.blob(ws, step: "render(s\(i))", output: "segment")
            #expect(abs(chapters[i - 1].start - start) < 0.002)
            start += try #require(try Self.streamDurations(segment)["video"])
        }
        #expect(abs(start - video) <= 1 / Self.fps)
        #expect(try TrustTests.decodeErrors(ws.video) == "")
    }

    /// The narrated fixture spoken by a scripted OpenAI-compatible speech endpoint.
    static func endpointWorkspace(_ rules: [[String: Any]]) throws -> (Workspace, ScriptedLLMServer) {
        let ws = try Workspace(fixture: "narrated.yaml")
        let server = try ScriptedLLMServer(in: ws.root.appendingPathComponent("speech"), rules: rules)
        try ws.edit("narration: {voice: en-us, rate: 190}",
                    "narration: {engine: openai, model: tts-1, voice: alloy, base_url: \"\(server.baseURL)\"}")
        return (ws, server)
    }

    @Test("a speech endpoint narrates: 429 and 500 are retried, the key is never stored, a no-op asks nothing")
    func speechEndpoint() throws {
        let (ws, server) = try Self.endpointWorkspace([
            ["role": "speech", "section": "periodic", "responses": [["status": 429, "headers": ["Retry-After": "1"], "error": "slow down"], ["wav": 2.0]]],
            ["role": "speech", "section": "little dot", "responses": [["status": 500, "error": "boom"], ["wav": 2.5]]],
            ["role": "speech", "responses": [["wav": 1.2]]],
        ])
        defer { server.stop() }
        let key = ["C2V_API_KEY": "sk-speech-SECRET987"]
        let result = try ws.build(environment: key)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let requests = try server.requests()
        #expect(requests.allSatisfy { $0.role == "speech" && $0.auth == "yes" && $0.model == "tts-1" })
        #expect(requests.filter { $0.lastUser.contains("periodic") }.count == 2)
        #expect(requests.filter { $0.lastUser.contains("little dot") }.count == 2)
        #expect(try Self.streamDurations(ws.video)["audio"] != nil)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.reportURL)) as? [String: Any]
        let speak = (report?["steps"] as? [[String: Any]])?.first { $0["kind"] as? String == "speak" && $0["section"] as? String == "alpha" }
        #expect(speak?["model"] as? String == "tts-1")
        #expect(speak?["attempts"] as? Int == 3, "two lines, one retried: \(String(describing: speak))")
        // Marks are estimated from their place in the text: "go" comes late in beta's sentence.
        let cues = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.blob(ws, step: "render(beta)", output: "cues")))
        let mark = try #require(((cues as? [String: Any])?["marks"] as? [String: Any])?["go"] as? Double)
        #expect(mark > 1.5 && mark < 2.5, "estimated at \(mark) s of 2.5 s")

        let needle = Data("SECRET987".utf8)
        for file in ws.files(under: ws.cache) + ws.files(under: ws.out) {
            #expect(try Data(contentsOf: file).range(of: needle) == nil, "the key leaked into \(file.path)")
        }
        let seen = requests.count
        #expect(try ws.build(environment: key).status == 0)
        #expect(try server.requests().count == seen, "a no-op build asks the endpoint nothing")
        #expect(try ws.report().ids("ran").isEmpty)
    }

    @Test("a speech call that hangs past agents.timeout is retried and the build goes on")
    func speechEndpointTimeout() throws {
        let (ws, server) = try Self.endpointWorkspace([
            ["role": "speech", "section": "little dot", "responses": [["hang": 3, "wav": 1.0], ["wav": 2.5]]],
            ["role": "speech", "responses": [["wav": 1.2]]],
        ])
        defer { server.stop() }
        try ws.edit("narration: {engine", "agents: {timeout: 1}\nnarration: {engine")
        let result = try ws.build(environment: ["C2V_API_KEY": "k"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try server.requests().filter { $0.lastUser.contains("little dot") }.count == 2)
    }

    @Test("a speech reply that is not audio is retried, then fails its section clearly; --keep-going builds the rest")
    func speechEndpointNonAudio() throws {
        let (ws, server) = try Self.endpointWorkspace([
            ["role": "speech", "section": "little dot", "responses": [["raw": "<html>gateway says hello</html>"]]],
            ["role": "speech", "responses": [["wav": 1.2]]],
        ])
        defer { server.stop() }
        let result = try ws.build(["--keep-going"], environment: ["C2V_API_KEY": "k"])
        #expect(result.status == 1)
        let report = try ws.report()
        let failed = try #require(report.step("speak(beta)"))
        #expect(failed.status == "failed")
        #expect(failed.error?.contains("the reply was not audio") == true, "\(failed.error ?? "")")
        #expect(report.step("render(alpha)")?.status == "ran" && report.step("render(gamma)")?.status == "ran")
        #expect(try server.requests().filter { $0.lastUser.contains("little dot") }.count > 1, "retried")
    }

    @Test("narration: off gives a video without an audio stream and no speak steps")
    func narrationOff() throws {
        let ws = try Workspace(fixture: "narrated.yaml")
        try ws.edit("narration: {voice: en-us, rate: 190}", "narration: off")
        try ws.buildOK()
        #expect(try Self.streamDurations(ws.video)["audio"] == nil)
        #expect(try ws.report().steps.allSatisfy { $0.kind != "speak" })
    }

    @Test("narration errors point at the key, with a suggestion")
    func narrationErrors() throws {
        let ws = try Workspace(fixture: "narrated.yaml")
        try ws.edit("narration: {voice: en-us, rate: 190}", "narration: {voice: en-us, rat: 190}")
        let result = try ws.build()
        #expect(result.status == 2)
        #expect(result.stderr.contains("narrated.yaml:4:"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("did you mean `rate`"), "stderr: \(result.stderr)")
    }
}
