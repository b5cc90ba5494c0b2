import Foundation
import Testing

/// Command-line input that was accepted silently or blocked later builds.
@Suite("c2v refuses bad flags and recovers from a damaged cache") struct HostileCommandTests {
    @Test("--max-cost nan and --refresh of no section are usage errors; overlapping --out-dir and --cache-dir are refused before clean can delete the cache")
    func badFlags() throws {
        let ws = try Workspace()
        let nan = try ws.build(["--max-cost", "nan"])
        #expect(nan.status == 2 && nan.stderr.contains("--max-cost must be a number of dollars more than 0"), "stderr: \(nan.stderr)")
        let refresh = try ws.build(["--refresh", "nosuch"])
        #expect(refresh.status == 2 && refresh.stderr.contains("--refresh nosuch: no section `nosuch`"), "stderr: \(refresh.stderr)")
        #expect(refresh.stderr.contains("alpha, beta, gamma"), "stderr: \(refresh.stderr)")

        for (out, cache) in [("same", "same"), ("outer", "outer/cache"), ("outer/out", "outer")] {
            let build = try ws.c2v(["build", "tiny.yaml", "--out-dir", out, "--cache-dir", cache])
            #expect(build.status == 2 && build.stderr.contains("overlap"), "\(out) / \(cache): \(build.stderr)")
            let clean = try ws.c2v(["clean", "--out-dir", out, "--cache-dir", cache])
            #expect(clean.status == 2 && clean.stderr.contains("overlap"), "\(out) / \(cache): \(clean.stderr)")
        }
        try ws.buildOK()
        let cleaned = try ws.c2v(["clean", "--out-dir", "out", "--cache-dir", "cache"])
        #expect(cleaned.status == 0)
        #expect(ws.exists(ws.cache) && !ws.exists(ws.out))
    }

    @Test("An action entry replaced by a folder is treated as corrupt: the step reruns and later builds work")
    func actionEntryFolder() throws {
        let ws = try Workspace()
        try ws.buildOK()
        let entries = ws.files(under: ws.cache.appendingPathComponent("ac"))
        // A render step's entry (not the lesson's cost record, which is an entry too).
        let victim = try #require(entries.first { (try? String(contentsOf: $0, encoding: .utf8))?.contains("\"render(") == true })
        try FileManager.default.removeItem(at: victim)
        try FileManager.default.createDirectory(at: victim.appendingPathComponent("inside"), withIntermediateDirectories: true)
        try ws.buildOK()
        let ran = try ws.report().ids("ran")
        #expect(ran.count == 1 && ran[0].hasPrefix("render("), "the damaged step reruns: \(ran)")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: victim.path, isDirectory: &isDirectory) && !isDirectory.boolValue)
        try ws.buildOK()
        #expect(try ws.report().ids("ran").isEmpty)
    }
}
