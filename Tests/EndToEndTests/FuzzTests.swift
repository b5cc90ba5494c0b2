import Foundation
import Testing

/// The mutation fuzzer over the shipped lessons and the fixtures: 10 000 cases through the
/// parser, the graph and the evaluator in process, a sample of full builds at 64x36, and random
/// expression trees against their reference values. Fails on any trap, hang, memory blow-up,
/// error without a position or wrong value, and prints the case that caused it.
@Suite("c2v-fuzz") struct FuzzTests {
    @Test("10 000 mutated lessons: no trap, hang or blow-up; every error says where")
    func fuzz() throws {
        let c2v = try Tools.c2vPath()
        let fuzzer = (c2v as NSString).deletingLastPathComponent + "/c2v-fuzz"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lessons = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("lessons").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { root.appendingPathComponent("lessons/\($0)").path }
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: try Tools.fixture("tiny.yaml").deletingLastPathComponent().path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { try Tools.fixture($0).path }
        let state = NSTemporaryDirectory() + "c2v-fuzz-case-\(UUID().uuidString).txt"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fuzzer)
        process.arguments = ["--cases", "10000", "--seed", "20261201", "--state", state, "--case-seconds", "20",
                             "--memory-mb", "1024", "--full-builds", "4", "--expressions", "5000"] + lessons + fixtures
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func lastCase() -> String {
            (0..<4).compactMap { k in try? String(contentsOfFile: k == 0 ? state : "\(state).\(k)", encoding: .utf8) }
                .joined(separator: "\n---\n")
        }
        defer { for k in 0..<4 { try? FileManager.default.removeItem(atPath: k == 0 ? state : "\(state).\(k)") } }
        try #require(process.terminationReason == .exit,
                     "c2v-fuzz died by signal \(process.terminationStatus); the cases under way:\n\(lastCase())")
        try #require(process.terminationStatus != 3, "\(stderr)\n\(lastCase())")
        let summary = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: Any], "stdout: \(String(decoding: stdout, as: UTF8.self))")
        let outcomes = try #require(summary["outcomes"] as? [String: Int])
        #expect(outcomes.values.reduce(0, +) == 10_000)
        #expect(outcomes["error without position"] == 0, "\(summary["unpositioned_messages"] ?? "")")
        #expect((outcomes["ok"] ?? 0) > 200, "enough cases reach the scene evaluator: \(outcomes)")
        let builds = try #require(summary["full_builds"] as? [String: Int])
        #expect(builds.values.reduce(0, +) == 4 && builds.keys.allSatisfy { ["exit 0", "exit 1", "exit 2"].contains($0) }, "\(builds)")
        let expressions = try #require(summary["expressions"] as? [String: Int])
        #expect(expressions["mismatches"] == 0 && (expressions["checked"] ?? 0) > 4000, "\(summary["expression_mismatches"] ?? "")")
        #expect(process.terminationStatus == 0, "stderr: \(stderr)")
        print("c2v-fuzz: \(outcomes), \(summary["seconds"] ?? "?") s in process, peak \(summary["peak_rss_mb"] ?? "?") MB")
    }
}
