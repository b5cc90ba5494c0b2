import Foundation
import Testing

/// End-to-end tests: run the real `c2v` binary on the tiny fixture lesson (3 sections of 2 s,
/// 320x180 at 10 fps) in a private temporary folder each, and check its outputs with ffprobe/ffmpeg.
@Suite("c2v end to end", .serialized)
struct EndToEndTests {
    // MARK: 1. A fresh build

    @Test("a fresh build writes a correct video, subtitles, poster and report")
    func freshBuild() throws {
        let ws = try Workspace()
        let result = try ws.buildOK()
        #expect(result.stdout.hasPrefix("tiny: out/tiny/tiny.mp4 (6.0 s, 11 ran, 0 cached, 0 failed, 2 skipped, "),
                "summary line: \(result.stdout)")

        // Video stream and container.
        let probe = try Media.probe(ws.video)
        #expect(probe.codec == "h264")
        #expect(probe.pixelFormat == "yuv420p")
        #expect(abs(probe.frames - Tiny.frames) <= 1, "frames: \(probe.frames)")
        #expect(probe.frames == Tiny.frames, "3 sections x 2 s x 10 fps")
        #expect(abs(probe.duration - Tiny.duration) <= 0.1, "duration: \(probe.duration)")

        // Chapters, one per section, in order.
        let chapters = try Media.chapters(ws.video)
        #expect(chapters.map(\.title) == Tiny.titles)
        try #require(chapters.count == 3)
        for (chapter, start) in zip(chapters, [0.0, 2.0, 4.0]) {
            #expect(abs(chapter.start - start) <= 0.05, "chapter \(chapter.title) starts at \(chapter.start)")
        }

        // Subtitles: one cue per lecture line, in order, inside its section and the video.
        let vtt = try String(contentsOf: ws.subtitles, encoding: .utf8)
        #expect(vtt.hasPrefix("WEBVTT"))
        let cues = try Cue.parse(vtt)
        #expect(cues.map(\.text) == Tiny.cueTexts)
        var previousEnd = 0.0
        for cue in cues {
            #expect(cue.start < cue.end, "cue \(cue.text): \(cue.start) --> \(cue.end)")
            #expect(cue.start >= previousEnd - 0.0005, "cue \(cue.text) starts before the previous one ends")
            #expect(cue.start >= 0 && cue.end <= Tiny.duration + 0.0005, "cue \(cue.text) outside 0...6")
            previousEnd = cue.end
        }
        // Each section's cues sit inside its 2 s span.
        let spans: [(String, ClosedRange<Double>)] = [
            ("Waves repeat in time", 0...2), ("Sines are building blocks", 0...2),
            ("A square wave jumps", 2...4), ("More terms sharpen corners", 2...4),
            ("Circles turning together draw curves", 4...6),
        ]
        for (text, span) in spans {
            if let cue = cues.first(where: { $0.text == text }) {
                #expect(span.contains(cue.start) && span.contains(cue.end), "cue \(text) at \(cue.start)-\(cue.end), expected within \(span)")
            }
        }

        // Poster: the theme background in a corner.
        let poster = try Media.rgb(ws.poster)
        #expect(poster.count == Tiny.width * Tiny.height * 3, "poster should be 320x180")
        if poster.count == Tiny.width * Tiny.height * 3 {
            let corner = Media.pixel(poster, x: 2, y: 2, width: Tiny.width)
            #expect(Media.near(corner, Tiny.background, within: 3), "poster (2,2) = \(corner), expected #102030")
        }

        // A decoded video frame: background corner survives YUV rounding.
        let frame = try Media.rgb(ws.video, frame: 5)
        #expect(frame.count == Tiny.width * Tiny.height * 3, "frame 5 should decode to 320x180 RGB")
        if frame.count == Tiny.width * Tiny.height * 3 {
            let corner = Media.pixel(frame, x: 2, y: 2, width: Tiny.width)
            #expect(Media.near(corner, Tiny.background, within: 6), "frame 5 (2,2) = \(corner), expected #102030")
        }

        // Report.
        let report = try ws.report()
        #expect(report.reportVersion == 1)
        #expect(report.lesson == "tiny")
        #expect(report.title == "Tiny Test Lesson")
        #expect(report.succeeded)
        #expect(report.output == "out/tiny/tiny.mp4")
        #expect(report.frameCount == Tiny.frames)
        #expect(abs((report.durationSeconds ?? -1) - Tiny.duration) <= 0.1)
        #expect(report.steps.map(\.id) == Tiny.stepIDs)
        let nonSkipped = report.steps.filter { $0.status != "skipped" }.count
        #expect(report.totals["ran"] == nonSkipped)
        #expect(report.totals == ["ran": 11, "cached": 0, "failed": 0, "skipped": 2, "would-run": 0])
        #expect(report.ids("ran") == Tiny.runnable)
        for step in report.steps {
            if Report.authorSkipped.contains(step.id) {
                #expect(step.key == nil, "\(step.id) is author-skipped and has no key")
                #expect(step.status == "skipped")
                #expect(step.reason == "author gave lecture_lines", "\(step.id): \(step.reason)")
            } else {
                let key = step.key ?? ""
                #expect(key.count == 64 && key.allSatisfy { $0.isHexDigit }, "\(step.id) key \(String(describing: step.key))")
                #expect(step.error == nil)
            }
        }
        #expect(report.step("assemble")?.section == nil)
        #expect(Set(report.steps.compactMap(\.key)).count == 11, "step keys are distinct")
    }

    // MARK: 2. Nothing changed

    @Test("a second build with nothing changed runs nothing and leaves the video untouched")
    func noOpRebuild() throws {
        let ws = try Workspace()
        try ws.buildOK()
        let firstReport = try ws.report()
        let bytes = try Data(contentsOf: ws.video)
        let hash = try Tools.sha256(ws.video)
        let mtime = try modificationDate(ws.video)
        let vttMtime = try modificationDate(ws.subtitles)
        let posterMtime = try modificationDate(ws.poster)

        let result = try ws.buildOK()
        #expect(result.stdout.contains("0 ran, 11 cached, 0 failed, 2 skipped"), "summary: \(result.stdout)")
        let report = try ws.report()
        #expect(report.succeeded)
        #expect(report.totals["ran"] == 0)
        #expect(report.totals == ["ran": 0, "cached": 11, "failed": 0, "skipped": 2, "would-run": 0])
        for step in report.steps where !Report.authorSkipped.contains(step.id) {
            #expect(step.status == "cached", "\(step.id) is \(step.status): \(step.reason)")
        }
        #expect(report.steps.map(\.key) == firstReport.steps.map(\.key), "keys are stable across builds")
        #expect(report.frameCount == Tiny.frames, "the report reads the summary even when assemble is cached")
        #expect(report.output == "out/tiny/tiny.mp4")
        #expect(try Data(contentsOf: ws.video) == bytes)
        #expect(try Tools.sha256(ws.video) == hash)
        #expect(try modificationDate(ws.video) == mtime, "the mp4 was rewritten")
        #expect(try modificationDate(ws.subtitles) == vttMtime, "the vtt was rewritten")
        #expect(try modificationDate(ws.poster) == posterMtime, "the poster was rewritten")
    }

    // MARK: 3. One lecture line edited

    @Test("editing one lecture line of beta reruns exactly code, critique, render of beta and assemble")
    func editLectureLine() throws {
        let ws = try Workspace()
        try ws.buildOK()
        try ws.edit("A square wave jumps,", "A square wave jumps fast,")
        let result = try ws.buildOK(["--explain"])
        let report = try ws.report()
        #expect(report.ids("ran") == ["code(beta)", "critique(beta)", "render(beta)", "assemble"])
        #expect(report.ids("skipped") == ["plan(alpha)", "plan(beta)"])
        #expect(report.step("plan(beta)")?.reason == "author gave lecture_lines")
        #expect(report.ids("cached") == [
            "code(alpha)", "critique(alpha)", "render(alpha)", "plan(gamma)", "code(gamma)", "critique(gamma)", "render(gamma)",
        ])
        #expect(report.totals == ["ran": 4, "cached": 7, "failed": 0, "skipped": 2, "would-run": 0])
        #expect(report.step("code(beta)")?.reason == "input 'lecture_lines[0]' changed")
        #expect(result.stderr.contains("code(beta)"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("lecture_lines[0]"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("tiny: code(beta): input 'lecture_lines[0]' changed"), "stderr: \(result.stderr)")

        let cues = try Cue.parse(try String(contentsOf: ws.subtitles, encoding: .utf8))
        var expected = Tiny.cueTexts
        expected[2] = "A square wave jumps fast"
        #expect(cues.map(\.text) == expected)
        #expect(try Media.probe(ws.video).frames == Tiny.frames)
    }

    // MARK: 4. Theme colour changed

    @Test("changing the background colour reruns every critique, render and assemble, no plan or code")
    func changeBackground() throws {
        let ws = try Workspace()
        try ws.buildOK()
        try ws.edit("background: \"#102030\"", "background: \"#302010\"")
        try ws.buildOK()
        let report = try ws.report()
        // The Critic evaluates scenes with the theme's colours, so it reads the theme too.
        #expect(report.ids("ran") == ["critique(alpha)", "render(alpha)", "critique(beta)", "render(beta)", "critique(gamma)", "render(gamma)", "assemble"])
        for step in report.steps where step.kind == "render" || step.kind == "assemble" {
            #expect(step.status == "ran", "\(step.id) is \(step.status)")
        }
        for step in report.steps where step.kind == "plan" || step.kind == "code" {
            #expect(step.status != "ran", "\(step.id) ran")
        }
        #expect(report.totals == ["ran": 7, "cached": 4, "failed": 0, "skipped": 2, "would-run": 0])
        #expect(report.step("render(alpha)")?.reason == "input 'theme.background' changed")
        #expect(report.step("critique(alpha)")?.reason == "input 'theme.background' changed")

        let poster = try Media.rgb(ws.poster)
        try #require(poster.count == Tiny.width * Tiny.height * 3)
        let corner = Media.pixel(poster, x: 2, y: 2, width: Tiny.width)
        #expect(Media.near(corner, [0x30, 0x20, 0x10], within: 3), "poster (2,2) = \(corner), expected #302010")
    }

    // MARK: 5. Relocated lesson, shared cache

    @Test("the same lesson in another folder, with the same cache, runs nothing")
    func relocatedLessonSharesCache() throws {
        let first = try Workspace()
        try first.buildOK()
        let originalVideo = try Data(contentsOf: first.video)

        let second = try Workspace()
        let folder = second.root.appendingPathComponent("elsewhere/lessons")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: first.lesson, to: folder.appendingPathComponent("tiny.yaml"))
        let result = try second.c2v([
            "build", "elsewhere/lessons/tiny.yaml", "--cache-dir", first.cache.path, "--out-dir", second.out.path,
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try second.report()
        #expect(report.totals["ran"] == 0, "ran: \(report.ids("ran"))")
        #expect(report.totals == ["ran": 0, "cached": 11, "failed": 0, "skipped": 2, "would-run": 0])
        #expect(report.output == second.video.path)
        #expect(try Data(contentsOf: second.video) == originalVideo)
        #expect(second.exists(second.subtitles) && second.exists(second.poster))
        #expect(!second.exists(second.cache), "the shared cache was used, not a new one")
    }

    // MARK: 6, 7. Injected faults

    @Test("with --keep-going an injected render fault fails the build but the rest builds; the retry reruns only it")
    func faultKeepGoing() throws {
        let ws = try Workspace()
        let failed = try ws.build(["--keep-going"], environment: ["C2V_INJECT_FAULT": "render(beta)"])
        #expect(failed.status == 1, "exit status \(failed.status); stderr: \(failed.stderr)")
        #expect(failed.stderr.contains("tiny: render(beta) FAILED: "), "stderr: \(failed.stderr)")
        #expect(failed.stdout.contains("tiny: build failed ("), "stdout: \(failed.stdout)")
        let report = try ws.report()
        #expect(!report.succeeded)
        #expect(report.output == nil)
        #expect(report.step("render(beta)")?.status == "failed")
        #expect(report.step("render(beta)")?.error?.contains("injected fault in render(beta)") == true,
                "error: \(String(describing: report.step("render(beta)")?.error))")
        #expect(report.step("assemble")?.status == "skipped")
        #expect(report.step("assemble")?.reason == "upstream render(beta) did not build")
        #expect(report.step("render(alpha)")?.status == "ran")
        #expect(report.step("render(gamma)")?.status == "ran")
        #expect(report.totals == ["ran": 9, "cached": 0, "failed": 1, "skipped": 3, "would-run": 0])
        #expect(!ws.exists(ws.video), "no video after a failed assemble")

        try ws.buildOK()
        let second = try ws.report()
        #expect(second.succeeded)
        #expect(second.ids("ran") == ["render(beta)", "assemble"])
        #expect(second.step("render(beta)")?.reason == "previous attempt failed")
        #expect(second.totals == ["ran": 2, "cached": 9, "failed": 0, "skipped": 2, "would-run": 0])
        #expect(try Media.probe(ws.video).frames == Tiny.frames)
    }

    @Test("without --keep-going an injected fault also exits 1")
    func faultStops() throws {
        let ws = try Workspace()
        let failed = try ws.build(environment: ["C2V_INJECT_FAULT": "render(beta)"])
        #expect(failed.status == 1, "exit status \(failed.status); stderr: \(failed.stderr)")
        #expect(failed.stderr.contains("tiny: render(beta) FAILED: "), "stderr: \(failed.stderr)")
        let report = try ws.report()
        #expect(!report.succeeded)
        #expect(report.step("render(beta)")?.status == "failed")
        #expect(report.step("assemble")?.status == "skipped")
        #expect(report.totals["failed"] == 1)
        #expect(!ws.exists(ws.video))
    }

    // MARK: 8. Dry run

    @Test("--dry-run runs nothing on a fresh cache and reports 0 after a real build")
    func dryRun() throws {
        let ws = try Workspace()
        let dry = try ws.build(["--dry-run"])
        #expect(dry.status == 0, "stderr: \(dry.stderr)")
        #expect(dry.stdout == "tiny: 11 steps would run, 0 cached\n", "stdout: \(dry.stdout)")
        for id in Tiny.runnable {
            #expect(dry.stderr.contains("would run tiny: \(id): "), "\(id) not listed; stderr: \(dry.stderr)")
        }
        #expect(!ws.exists(ws.video), "dry run wrote a video")
        #expect(!ws.exists(ws.reportURL), "dry run wrote a report")
        #expect(ws.files(under: ws.cache.appendingPathComponent("cas")).isEmpty, "dry run stored blobs")
        #expect(ws.files(under: ws.cache.appendingPathComponent("ac")).isEmpty, "dry run stored action entries")

        try ws.buildOK()
        let second = try ws.build(["--dry-run"])
        #expect(second.status == 0)
        #expect(second.stdout == "tiny: 0 steps would run, 11 cached\n", "stdout: \(second.stdout)")
        #expect(!second.stderr.contains("would run"), "stderr: \(second.stderr)")
    }

    // MARK: 9. clean

    @Test("clean removes outputs and keeps the cache; clean --cache empties the cache")
    func clean() throws {
        let ws = try Workspace()
        try ws.buildOK()
        let cleaned = try ws.c2v(["clean", "--out-dir", "out", "--cache-dir", "cache"])
        #expect(cleaned.status == 0, "stderr: \(cleaned.stderr)")
        #expect(cleaned.stdout == "removed out\n", "stdout: \(cleaned.stdout)")
        #expect(!ws.exists(ws.out))
        #expect(!ws.files(under: ws.cache.appendingPathComponent("cas")).isEmpty, "clean without --cache emptied the cache")
        #expect(ws.exists(ws.lesson), "clean removed the lesson")

        try ws.buildOK()
        var report = try ws.report()
        #expect(report.totals == ["ran": 0, "cached": 11, "failed": 0, "skipped": 2, "would-run": 0])
        #expect(ws.exists(ws.video) && ws.exists(ws.subtitles) && ws.exists(ws.poster), "cached outputs restored")
        #expect(try Media.probe(ws.video).frames == Tiny.frames)

        // With a lesson path: only that lesson's folder goes.
        let marker = ws.out.appendingPathComponent("other/keep.txt")
        try FileManager.default.createDirectory(at: marker.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: marker)
        let byLesson = try ws.c2v(["clean", "tiny.yaml", "--out-dir", "out", "--cache-dir", "cache"])
        #expect(byLesson.status == 0)
        #expect(!ws.exists(ws.lessonOut))
        #expect(ws.exists(marker), "clean tiny.yaml removed another lesson's folder")

        let purged = try ws.c2v(["clean", "--cache", "--out-dir", "out", "--cache-dir", "cache"])
        #expect(purged.status == 0, "stderr: \(purged.stderr)")
        #expect(!ws.exists(ws.out))
        for folder in ["cas", "ac", "records", "tmp"] {
            #expect(ws.files(under: ws.cache.appendingPathComponent(folder)).isEmpty, "cache/\(folder) not emptied")
        }
        #expect(ws.exists(ws.lesson))

        try ws.buildOK()
        report = try ws.report()
        #expect(report.totals == ["ran": 11, "cached": 0, "failed": 0, "skipped": 2, "would-run": 0])
    }

    // MARK: 10. Lesson error

    @Test("a lesson error exits 2 with file:line:column and writes nothing")
    func lessonError() throws {
        let ws = try Workspace()
        // Where the fps value sits in the fixture (1-based line and column).
        let lines = try ws.lessonText.components(separatedBy: "\n")
        let lineIndex = try #require(lines.firstIndex { $0.contains("fps: 10") })
        let range = try #require(lines[lineIndex].range(of: "fps: 10"))
        let column = lines[lineIndex].distance(from: lines[lineIndex].startIndex, to: range.lowerBound) + "fps: ".count + 1
        #expect(lineIndex + 1 == 3 && column == 29, "fixture layout changed: fps value at \(lineIndex + 1):\(column)")
        try ws.edit("fps: 10", "fps: 0")

        let result = try ws.build()
        #expect(result.status == 2, "exit status \(result.status); stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("tiny.yaml:\(lineIndex + 1):\(column): error: "), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("fps 0 is out of range"), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout)")
        #expect(!ws.exists(ws.out), "outputs were written")
        #expect(ws.files(under: ws.cache).isEmpty, "cache was written")
    }

    // MARK: 11. JSON log

    @Test("--log-format json prints one JSON object per line with start and finish events")
    func jsonLog() throws {
        let ws = try Workspace()
        let result = try ws.buildOK(["--log-format", "json"])
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(result.stderr.hasSuffix("\n"))
        var events: [[String: Any]] = []
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object line: \(line)")
            if let object { events.append(object) }
        }
        let kinds = events.compactMap { $0["event"] as? String }
        #expect(kinds.count == events.count, "every line has an event")
        #expect(Set(kinds).isSubset(of: ["start", "finish", "warning", "lesson"]), "events: \(Set(kinds))")
        let starts = events.filter { $0["event"] as? String == "start" }.compactMap { $0["step"] as? String }
        let finishes = events.filter { $0["event"] as? String == "finish" }
        #expect(Set(starts) == Set(Tiny.runnable))
        #expect(starts.count == 11)
        #expect(finishes.compactMap { $0["step"] as? String }.sorted() == Tiny.runnable.sorted())
        for finish in finishes {
            #expect(finish["status"] as? String == "ran", "\(finish)")
            #expect(finish["lesson"] as? String == "tiny")
            #expect((finish["key"] as? String)?.count == 64)
        }
        // Each step starts before it finishes.
        for id in Tiny.runnable {
            let start = events.firstIndex { $0["event"] as? String == "start" && $0["step"] as? String == id }
            let finish = events.firstIndex { $0["event"] as? String == "finish" && $0["step"] as? String == id }
            if let start, let finish { #expect(start < finish, "\(id) finished before it started") }
        }
        let lessonEvents = events.filter { $0["event"] as? String == "lesson" }
        #expect(lessonEvents.count == 1)
        #expect(lessonEvents.first?["succeeded"] as? Bool == true)
        #expect(lessonEvents.first?["output"] as? String == "out/tiny/tiny.mp4")
    }

    // MARK: 12. Corrupt cache blob

    @Test("a corrupted segment blob is detected, warned about and rebuilt")
    func corruptSegmentBlob() throws {
        let ws = try Workspace()
        try ws.buildOK()
        let first = try ws.report()
        let videoBefore = try Data(contentsOf: ws.video)

        // render(beta)'s action entry names its segment blob.
        let key = try #require(first.step("render(beta)")?.key)
        let entryURL = ws.cache.appendingPathComponent("ac/\(key.prefix(2))/\(key)")
        let entry = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: entryURL)) as? [String: Any])
        let outputs = try #require(entry["outputs"] as? [String: Any])
        let segment = try #require((outputs["segment"] as? [String: Any])?["digest"] as? String)
        let blob = ws.cache.appendingPathComponent("cas/\(segment.prefix(2))/\(segment)")
        try #require(ws.exists(blob), "segment blob \(blob.path) missing")
        // The largest blob is the joined video; the segment is among the big ones.
        let sizes = ws.files(under: ws.cache.appendingPathComponent("cas")).map {
            (try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0
        }
        #expect(sizes.max() == videoBefore.count, "the largest blob is the joined video")

        try flipByte(in: blob)
        #expect(try Tools.sha256(blob) != segment, "the corruption took")

        let result = try ws.buildOK()
        #expect(result.stderr.contains("warning: render(beta): its cached segment (blob \(segment.prefix(12))) is missing or does not match its digest; rebuilding"),
                "stderr: \(result.stderr)")
        let report = try ws.report()
        #expect(report.succeeded)
        #expect(report.step("render(beta)")?.status == "ran")
        #expect(report.step("render(beta)")?.reason == "cache entry corrupt")
        // Rendering is deterministic, so the rebuilt segment has the same digest and nothing downstream reruns.
        #expect(report.ids("ran") == ["render(beta)"])
        #expect(report.totals == ["ran": 1, "cached": 10, "failed": 0, "skipped": 2, "would-run": 0])
        #expect(try Tools.sha256(blob) == segment, "the blob was restored")
        #expect(try Data(contentsOf: ws.video) == videoBefore)
        #expect(try Media.probe(ws.video).frames == Tiny.frames)
    }

    @Test("a corrupted joined-video blob is detected and assemble reruns")
    func corruptVideoBlob() throws {
        let ws = try Workspace()
        try ws.buildOK()
        let videoHash = try Tools.sha256(ws.video)
        // The largest file under cas/ is the joined video.
        let blobs = ws.files(under: ws.cache.appendingPathComponent("cas"))
        let largest = try #require(blobs.max { a, b in
            let sa = (try? FileManager.default.attributesOfItem(atPath: a.path)[.size] as? Int) ?? 0
            let sb = (try? FileManager.default.attributesOfItem(atPath: b.path)[.size] as? Int) ?? 0
            return sa < sb
        })
        #expect(largest.lastPathComponent == videoHash)
        try flipByte(in: largest)

        let result = try ws.buildOK()
        #expect(result.stderr.contains("warning: assemble: its cached video (blob \(videoHash.prefix(12))) is missing or does not match its digest; rebuilding"),
                "stderr: \(result.stderr)")
        let report = try ws.report()
        #expect(report.succeeded)
        #expect(report.ids("ran") == ["assemble"])
        #expect(report.step("assemble")?.reason == "cache entry corrupt")
        #expect(try Tools.sha256(largest) == videoHash, "the blob was restored")
        #expect(try Tools.sha256(ws.video) == videoHash)
        let probe = try Media.probe(ws.video)
        #expect(probe.frames == Tiny.frames)
    }

    // MARK: graph

    @Test("graph prints DOT with every step; cached steps grey after a build")
    func graph() throws {
        let ws = try Workspace()
        let before = try ws.c2v(["graph", "tiny.yaml", "--cache-dir", "cache", "--out-dir", "out"])
        #expect(before.status == 0, "stderr: \(before.stderr)")
        #expect(before.stdout.hasPrefix("digraph c2v {"))
        #expect(before.stdout.hasSuffix("}\n"))
        for id in Tiny.runnable {
            #expect(before.stdout.contains("\"tiny/\(id)\" [label=\"\(id)\\nwould-run\", style=bold"), "\(id) missing")
        }
        #expect(before.stdout.contains("\"tiny/render(beta)\" -> \"tiny/assemble\";"))
        #expect(!ws.exists(ws.out), "graph wrote outputs")

        try ws.buildOK()
        let after = try ws.c2v(["graph", "tiny.yaml", "--cache-dir", "cache", "--out-dir", "out"])
        #expect(after.status == 0)
        for id in Tiny.runnable {
            #expect(after.stdout.contains("\"tiny/\(id)\" [label=\"\(id)\\ncached\", style=filled"), "\(id) not cached")
        }
    }
}

/// Inverts one byte in the middle of a file, keeping its size.
func flipByte(in url: URL) throws {
    var data = try Data(contentsOf: url)
    let index = data.startIndex + data.count / 2
    data[index] ^= 0xFF
    try data.write(to: url)
}
