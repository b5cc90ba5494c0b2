import Foundation
import Testing
import C2VTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The promises of docs/architecture.md, tried as a build engineer would: rot in every kind of
/// blob, a step that traps, kills at random moments, interrupts, and a full output disk.
@Suite("c2v keys and cache under failure") struct TrustTests {
    /// The blob a step's action entry names for `output`.
    static func blob(_ ws: Workspace, step: String, output: String) throws -> (digest: String, url: URL) {
        let key = try #require(try ws.report().step(step)?.key, "\(step) has no key")
        let entry = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.cache.appendingPathComponent("ac/\(key.prefix(2))/\(key)")))
        let outputs = try #require((entry as? [String: Any])?["outputs"] as? [String: Any])
        let digest = try #require((outputs[output] as? [String: Any])?["digest"] as? String, "\(step) has no \(output)")
        return (digest, ws.cache.appendingPathComponent("cas/\(digest.prefix(2))/\(digest)"))
    }

    /// Flips a byte in the middle, keeping the size and putting the mtime back.
    static func rot(_ url: URL) throws { try TestFiles.flipByteKeepingTimes(url.path) }

    /// What `ffmpeg -v error` says while decoding the whole file: nothing for a clean video.
    static func decodeErrors(_ video: URL) throws -> String {
        let result = try Tools.run(Tools.ffmpeg, ["-v", "error", "-i", video.path, "-f", "null", "-"])
        return result.stderr + (result.status == 0 ? "" : " (exit \(result.status))")
    }

    static func scratchEntries(_ ws: Workspace) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: ws.cache.appendingPathComponent("tmp").path)) ?? []
    }

    @Test("a same-size, same-mtime bit flip in any kind of blob is found and rebuilt; the video decodes cleanly",
          arguments: [
            ("critique(alpha)", "scene"), ("critique(alpha)", "findings"), ("render(beta)", "segment"),
            ("render(alpha)", "poster"), ("assemble", "video"), ("assemble", "subtitles"),
          ])
    func bitRot(step: String, output: String) throws {
        let ws = try Workspace()
        try ws.buildOK()
        let subtitles = try Data(contentsOf: ws.subtitles), poster = try Data(contentsOf: ws.poster)
        let (digest, url) = try Self.blob(ws, step: step, output: output)
        try Self.rot(url)
        #expect(try Tools.sha256(url) != digest, "the flip took")
        // Outputs are copied again only when they are missing; remove them so the copy is tested too.
        try FileManager.default.removeItem(at: ws.lessonOut)

        let result = try ws.buildOK()
        #expect(result.stderr.contains("blob \(digest.prefix(12))"), "a warning names the blob: \(result.stderr)")
        let report = try ws.report()
        #expect(report.succeeded)
        let rebuilt = report.steps.filter { $0.reason == "cache entry corrupt" }.map(\.id)
        #expect(!rebuilt.isEmpty, "ran: \(report.ids("ran"))")
        let left = FileManager.default.fileExists(atPath: url.path) ? try Tools.sha256(url) : digest
        #expect(left == digest, "no wrong bytes are left under the digest's name")
        #expect(try Self.decodeErrors(ws.video) == "")
        #expect(try Media.probe(ws.video).frames == Tiny.frames)
        #expect(try Data(contentsOf: ws.subtitles) == subtitles)
        #expect(try Data(contentsOf: ws.poster) == poster)
    }

    @Test("with --keep-going a section whose worker traps fails alone: the rest is cached, report.json written, exit 1")
    func trapKeepGoing() throws {
        let ws = try Workspace()
        let failed = try ws.build(["--keep-going"], environment: ["C2V_INJECT_FAULT": "render(beta)=trap"])
        #expect(failed.status == 1, "stderr: \(failed.stderr)")
        let report = try ws.report()
        #expect(!report.succeeded)
        let error = report.step("render(beta)")?.error ?? ""
        #expect(error.contains("the worker process running render(beta) was killed by signal 4 (SIGILL"), "\(error)")
        #expect(error.contains("injected trap in render(beta)"), "the trap's own message is quoted: \(error)")
        #expect(report.step("render(alpha)")?.status == "ran" && report.step("render(gamma)")?.status == "ran")
        #expect(report.step("assemble")?.status == "skipped")
        #expect(failed.stdout.contains("tiny: build failed ("), "stdout: \(failed.stdout)")

        try ws.buildOK()
        let retry = try ws.report()
        #expect(retry.ids("ran") == ["render(beta)", "assemble"])
        #expect(try Self.decodeErrors(ws.video) == "")
    }

    @Test("without --keep-going a trap exits 1 and everything that finished is cached")
    func trapStops() throws {
        let ws = try Workspace()
        let failed = try ws.build(["--jobs", "1"], environment: ["C2V_INJECT_FAULT": "render(alpha)=trap"])
        #expect(failed.status == 1, "stderr: \(failed.stderr)")
        let first = try ws.report()
        let finished = Set(first.ids("ran"))
        #expect(finished.contains("code(alpha)") && first.step("render(alpha)")?.status == "failed")
        try ws.buildOK()
        let second = try ws.report()
        #expect(Set(second.ids("ran")).isDisjoint(with: finished), "reran finished work: \(second.ids("ran"))")
        #expect(second.ids("ran").contains("render(alpha)"))
    }

    /// A constant that large is refused where it is read (SceneErrorTests); one that grows
    /// while the section plays gets past the parser and must be survived where it is drawn.
    @Test("a section with a hostile number never takes the build down: the others finish and are cached")
    func hostileNumber() throws {
        let ws = try Workspace()
        try ws.edit("  - id: gamma\n", """
              - id: huge
                title: A huge circle
                lecture_lines: [Far too big]
                scene:
                  objects:
                    - {id: c, kind: circle, at: C3, radius: "1e300 * (1 + t)"}
              - id: gamma

            """)
        let result = try ws.build(["--keep-going"])
        let report = try ws.report()
        #expect(report.step("render(alpha)")?.status == "ran" && report.step("render(gamma)")?.status == "ran")
        if !report.succeeded {
            #expect(result.status == 1)
            let failed = report.steps.filter { $0.status == "failed" }
            #expect(failed.allSatisfy { $0.section == "huge" }, "only the huge section fails: \(failed.map(\.id))")
        }
        let again = try ws.build(["--keep-going"])
        #expect(again.status == result.status)
        #expect(try ws.report().ids("ran").allSatisfy { $0.contains("huge") || $0 == "assemble" })
    }

    @Test("after 20 SIGKILLs at random moments every next build is correct and the scratch of dead builds is gone")
    func randomKills() throws {
        let ws = try Workspace()
        let c2v = try Tools.c2vPath()
        var generator = SystemRandomNumberGenerator()
        var colour = "#102030"
        for round in 0..<20 {
            let next = String(format: "#1020%02X", 0x31 + round)
            try ws.edit("background: \"\(colour)\"", "background: \"\(next)\"")
            colour = next
            let process = Process()
            process.executableURL = URL(fileURLWithPath: c2v)
            process.arguments = ["build", ws.lesson.path, "--cache-dir", ws.cache.path, "--out-dir", ws.out.path, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 20_000...400_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let result = try ws.build(["--quiet"])
            #expect(result.status == 0, "round \(round): \(result.stderr)")
            #expect(try ws.report().succeeded)
            #expect(try Self.decodeErrors(ws.video) == "", "round \(round)")
            #expect(try Media.probe(ws.video).frames == Tiny.frames)
            #expect(Self.scratchEntries(ws).isEmpty, "round \(round): cache/tmp holds \(Self.scratchEntries(ws))")
        }
    }

    @Test("SIGTERM and SIGINT stop the build with 143 and 130, leaving no scratch or partial file", arguments: [SIGTERM, SIGINT])
    func interrupted(signal: Int32) throws {
        let ws = try Workspace()
        // Long enough to be interrupted mid-render.
        let text = try ws.lessonText.replacingOccurrences(of: "duration_hint: 2", with: "duration_hint: 20")
        try Data(text.utf8).write(to: ws.lesson)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Tools.c2vPath())
        process.arguments = ["build", ws.lesson.path, "--cache-dir", ws.cache.path, "--out-dir", ws.out.path, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until a worker is rendering (its step folder exists).
        var rendering = false
        for _ in 0..<200 where !rendering {
            usleep(20_000)
            let tmp = ws.cache.appendingPathComponent("tmp")
            rendering = ws.files(under: tmp).contains { $0.path.contains("/render-") } || ws.exists(ws.video)
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal, "status \(process.terminationStatus)")
        #expect(Self.scratchEntries(ws).isEmpty, "cache/tmp holds \(Self.scratchEntries(ws))")
        let partial = ws.files(under: ws.out).filter { $0.lastPathComponent.hasPrefix(".c2v-tmp") }
        #expect(partial.isEmpty)
        // Finished steps stay cached: the next build does not redo them.
        try ws.buildOK()
        #expect(try Self.decodeErrors(ws.video) == "")
    }

    /// Child processes of `pid` running `c2v worker`.
    static func workers(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == pid else { return false }
            let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(child)/cmdline"))) ?? Data()
            return String(decoding: command, as: UTF8.self).contains("worker")
        }
    }

    @Test("a worker killed from outside fails only its step, saying so; a no-op build starts no worker")
    func workerKilled() throws {
        let ws = try Workspace()
        let text = try ws.lessonText.replacingOccurrences(of: "duration_hint: 2", with: "duration_hint: 30")
        try Data(text.utf8).write(to: ws.lesson)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Tools.c2vPath())
        process.arguments = ["build", ws.lesson.path, "--cache-dir", ws.cache.path, "--out-dir", ws.out.path, "--quiet",
                             "--keep-going", "--jobs", "1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var victim: Int32?
        for _ in 0..<500 where victim == nil {
            usleep(20_000)
            if ws.files(under: ws.cache.appendingPathComponent("tmp")).contains(where: { $0.path.contains("/render-") }) {
                victim = Self.workers(of: process.processIdentifier).first
            }
        }
        let pid = try #require(victim, "no worker was seen rendering")
        kill(pid, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let report = try ws.report()
        let failed = report.steps.filter { $0.status == "failed" }
        #expect(failed.count == 1 && failed[0].kind == "render", "failed: \(failed.map(\.id))")
        #expect(failed.first?.error?.contains("was killed by signal 9 (SIGKILL") == true, "\(failed.first?.error ?? "")")
        #expect(report.steps.filter { $0.kind == "render" && $0.status == "ran" }.count == 2)

        try ws.buildOK()
        let rebuilt = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.reportURL)) as? [String: Any]
        #expect(((rebuilt?["resources"] as? [String: Any])?["workers_started"] as? Int ?? 0) >= 1)
        try ws.buildOK()
        let noOp = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.reportURL)) as? [String: Any]
        #expect((noOp?["resources"] as? [String: Any])?["workers_started"] as? Int == 0, "a no-op build started a worker")
    }

    @Test("an output copy that fails half-way (file size limit) leaves no partial file and fails the build")
    func fullOutputDisk() throws {
        let ws = try Workspace()
        try ws.buildOK()
        try FileManager.default.removeItem(at: ws.lessonOut)
        // A 16 KiB file size limit: the cache needs no writes, the video copy cannot finish.
        let command = "ulimit -f 16; exec '\(try Tools.c2vPath())' build '\(ws.lesson.path)' --cache-dir '\(ws.cache.path)' --out-dir '\(ws.out.path)'"
        let result = try Tools.run("/bin/bash", ["-c", command])
        #expect(result.status == 1, "status \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("cannot write"), "stderr: \(result.stderr)")
        let leftovers = ws.files(under: ws.out).map(\.lastPathComponent).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "partial files: \(leftovers)")
        #expect(!ws.exists(ws.video))
        try ws.buildOK()
        #expect(try Self.decodeErrors(ws.video) == "")
    }
}
