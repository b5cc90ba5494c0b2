import Foundation
import Testing
import C2VTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The LLM agents through the built binary, against `fake_openai.py`: a scripted
/// OpenAI-compatible server on loopback. No real model and no network: every reply is canned,
/// and the server's request log says exactly which calls c2v made.
@Suite("c2v LLM agents end to end", .serialized)
struct AgentEndToEndTests {
    // MARK: - Canned replies

    /// The lesson's section titles, which the server's rules match on.
    static let intro = "Zebra circles", outro = "Yak squares"

    static func plan(_ line: String, _ animation: String) -> String {
        #"{"lecture_lines": ["\#(line)"], "animations": ["\#(animation)"]}"#
    }

    static let introScene = """
        Here is the scene.
        ```yaml
        scene:
          objects:
            - {id: c, kind: circle, at: "B2:C3", color: 1}
          steps:
            - {line: 0, do: create, target: c}
        ```
        """
    static let outroScene = """
        ```yaml
        scene:
          objects:
            - {id: s, kind: rectangle, at: "C2:D3", color: 0}
          steps:
            - {line: 0, do: create, target: s}
        ```
        """
    /// 14 lines; line 8 has an unknown kind, so a scoped repair sends lines 5 to 11 only.
    static let misspelledScene = """
        scene:
          objects:
            - {id: a, kind: circle, at: "A1:B2", color: 0}
            - {id: b, kind: circle, at: "C1:D2", color: 1}
            - {id: c, kind: circle, at: "E1:F2", color: 0}
            - {id: d, kind: rectangle, at: "A3:B4", color: 1}
            - {id: e, kind: rectangle, at: "C3:D4", color: 0}
            - {id: f, kind: circel, at: "E3:F4", color: 1}
            - {id: g, kind: dot, at: "A5", color: 0}
            - {id: h, kind: dot, at: "C5", color: 1}
            - {id: i, kind: dot, at: "E5", color: 0}
          steps:
            - {line: 0, do: create, target: a}
            - {line: 0, do: create, target: b}
        """

    static func ok(_ content: String, usage: [Int]) -> [String: Any] { ["content": content, "usage": usage] }
    static var introPlan: [String: Any] { ok(plan("A circle appears", "Draw a circle"), usage: [120, 30]) }
    static var outroPlan: [String: Any] { ok(plan("A square appears", "Draw a square"), usage: [120, 30]) }
    static var introCode: [String: Any] { ok(introScene, usage: [200, 80]) }
    static var outroCode: [String: Any] { ok(outroScene, usage: [200, 80]) }

    static func rule(_ role: String, _ section: String, kind: String? = nil, _ responses: [[String: Any]]) -> [String: Any] {
        var rule: [String: Any] = ["role": role, "section": section, "responses": responses]
        if let kind { rule["kind"] = kind }
        return rule
    }

    /// Good replies for every call; tests put their own rules in front (the first match wins).
    static var goodRules: [[String: Any]] {
        [rule("planner", intro, [introPlan]), rule("planner", outro, [outroPlan]),
         rule("coder", intro, [introCode]), rule("coder", outro, [outroCode])]
    }

    /// Every step of the lesson; the four that call an agent.
    static let allSteps: Set<String> = Set(["intro", "outro"].flatMap { s in ["plan", "code", "critique", "render"].map { "\($0)(\(s))" } } + ["assemble"])
    static let agentSteps: Set<String> = ["plan(intro)", "code(intro)", "plan(outro)", "code(outro)"]

    // MARK: - Helpers

    func setUp(_ rules: [[String: Any]] = goodRules) throws -> (Workspace, ScriptedLLMServer) {
        let ws = try Workspace(fixture: "agents.yaml")
        return (ws, try ScriptedLLMServer(in: ws.root.appendingPathComponent("fake"), rules: rules))
    }

    /// `c2v build agents.yaml` against `server`, hermetic: no agent settings, keys or proxies from this environment.
    @discardableResult
    func build(_ ws: Workspace, _ server: ScriptedLLMServer, _ extra: [String] = [], environment: [String: String] = [:],
               baseURLFlag: Bool = true) throws -> ProcessResult {
        var arguments = ["build", "agents.yaml", "--cache-dir", "cache", "--out-dir", "out"]
        if baseURLFlag { arguments += ["--base-url", server.baseURL] }
        return try Tools.run(try Tools.c2vPath(), arguments + extra, in: ws.root, environment: environment, removingEnvironment: [
            "C2V_INJECT_FAULT", "C2V_CACHE_DIR", "C2V_BASE_URL", "C2V_MODEL", "C2V_API_KEY", "OPENAI_API_KEY",
            "http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
        ])
    }

    func buildOK(_ ws: Workspace, _ server: ScriptedLLMServer, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try build(ws, server, extra)
        #expect(result.status == 0, "c2v build failed:\nstdout: \(result.stdout)\nstderr: \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// Requests by `role[/kind] section`, e.g. `coder/repair Yak squares`.
    func tally(_ requests: [LoggedRequest]) -> [String: Int] {
        Dictionary(requests.map { ($0.tallyKey, 1) }, uniquingKeysWith: +)
    }

    func near(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-12 } ?? false }

    // MARK: - Tests

    @Test("a fresh build asks the planner and coder once per section and reports model, tokens, attempts and cost")
    func freshBuild() throws {
        let (ws, server) = try setUp()
        defer { server.stop() }
        try buildOK(ws, server)
        let requests = try server.requests()
        #expect(tally(requests) == ["planner Zebra circles": 1, "planner Yak squares": 1, "coder Zebra circles": 1, "coder Yak squares": 1])
        #expect(requests.allSatisfy { $0.model == "gpt-4o-mini" && $0.temperature == 0.2 && $0.auth == "no" && $0.status == 200 })

        #expect(Set(try ws.report().ids("ran")) == Self.allSteps)
        let report = try AgentReport.read(ws)
        for section in ["intro", "outro"] {
            let plan = report.step("plan(\(section))"), code = report.step("code(\(section))")
            #expect(plan?.model == "gpt-4o-mini" && plan?.tokensIn == 120 && plan?.tokensOut == 30 && plan?.attempts == 1)
            #expect(code?.model == "gpt-4o-mini" && code?.tokensIn == 200 && code?.tokensOut == 80 && code?.attempts == 1)
            // gpt-4o-mini: $0.15 in, $0.60 out per million tokens.
            #expect(near(plan?.cost, (120 * 0.15 + 30 * 0.6) / 1e6))
            #expect(report.step("render(\(section))")?.model == nil, "only agent steps carry agent fields")
        }
        #expect(report.agents?.tokensIn == 640 && report.agents?.tokensOut == 220 && report.agents?.calls == 4)
        #expect(near(report.agents?.cost, (640 * 0.15 + 220 * 0.6) / 1e6))

        // Two sections of 2 s at 10 fps, with the planner's lines as subtitles.
        #expect(try Media.probe(ws.video).frames == 40)
        let subtitles = try String(contentsOf: ws.subtitles, encoding: .utf8)
        #expect(subtitles.contains("A circle appears") && subtitles.contains("A square appears"), "subtitles: \(subtitles)")
    }

    @Test("a second build makes no request: every step is cached and keeps its recorded usage")
    func secondBuildIsCached() throws {
        let (ws, server) = try setUp()
        defer { server.stop() }
        try buildOK(ws, server)
        let before = try server.requests().count
        try buildOK(ws, server)
        #expect(try server.requests().count == before)
        let report = try ws.report()
        #expect(report.ids("ran") == [])
        #expect(Set(report.ids("cached")) == Self.allSteps)
        let agents = try AgentReport.read(ws)
        #expect(agents.agents == nil, "cached steps cost nothing now")
        #expect(agents.step("code(intro)")?.tokensIn == 200 && agents.step("code(intro)")?.attempts == 1)
    }

    @Test("a new model or temperature re-asks only plan and code; a new background asks nothing")
    func settingsChangesRerunOnlyWhatReadsThem() throws {
        let (ws, server) = try setUp()
        defer { server.stop() }
        try buildOK(ws, server)

        var seen = try server.requests().count
        try buildOK(ws, server, ["--model", "gpt-4.1-mini"])
        var requests = Array(try server.requests().dropFirst(seen))
        #expect(tally(requests) == ["planner Zebra circles": 1, "planner Yak squares": 1, "coder Zebra circles": 1, "coder Yak squares": 1])
        #expect(requests.allSatisfy { $0.model == "gpt-4.1-mini" })
        #expect(Set(try ws.report().ids("ran")) == Self.agentSteps, "identical replies leave critique, render and assemble cached")
        let report = try AgentReport.read(ws)
        #expect(report.step("plan(intro)")?.model == "gpt-4.1-mini")
        #expect(near(report.step("plan(intro)")?.cost, (120 * 0.4 + 30 * 1.6) / 1e6))
        #expect(try ws.report().step("plan(intro)")?.reason.contains("agent") == true)

        seen = try server.requests().count
        try ws.edit("temperature: 0.2", "temperature: 0.7")
        try buildOK(ws, server)
        requests = Array(try server.requests().dropFirst(seen))
        #expect(requests.count == 4 && requests.allSatisfy { $0.temperature == 0.7 && $0.model == "gpt-4o-mini" })
        #expect(Set(try ws.report().ids("ran")) == Self.agentSteps)

        seen = try server.requests().count
        try ws.edit(##"background: "#102030""##, ##"background: "#203040""##)
        try buildOK(ws, server)
        #expect(try server.requests().count == seen)
        #expect(Set(try ws.report().ids("ran")) == ["critique(intro)", "render(intro)", "critique(outro)", "render(outro)", "assemble"])

        // A model for the coder alone re-asks only the coders.
        seen = try server.requests().count
        try ws.edit("  timeout: 20\n", "  timeout: 20\n  models: {coder: gpt-4.1}\n")
        try buildOK(ws, server)
        requests = Array(try server.requests().dropFirst(seen))
        #expect(tally(requests) == ["coder Zebra circles": 1, "coder Yak squares": 1])
        #expect(requests.allSatisfy { $0.model == "gpt-4.1" })
        #expect(Set(try ws.report().ids("ran")) == ["code(intro)", "code(outro)"])
        #expect(try AgentReport.read(ws).step("code(intro)")?.model == "gpt-4.1")
        #expect(try AgentReport.read(ws).step("plan(intro)")?.model == "gpt-4o-mini")
    }

    @Test("--refresh intro asks intro's planner once more; --sample intro=0 brings the first sample back from the cache")
    func refreshOneSection() throws {
        let (ws, server) = try setUp()
        defer { server.stop() }
        try buildOK(ws, server)
        var seen = try server.requests().count
        try buildOK(ws, server, ["--refresh", "intro"])
        #expect(tally(Array(try server.requests().dropFirst(seen))) == ["planner Zebra circles": 1],
                "the same storyboard needs no new scene")
        #expect(try ws.report().ids("ran") == ["plan(intro)"])

        seen = try server.requests().count
        try buildOK(ws, server, ["--sample", "intro=0"])
        #expect(try server.requests().count == seen)
        #expect(try ws.report().ids("ran") == [])
    }

    @Test("429 with Retry-After: 1, and 500, are retried once: attempts 2")
    func retriesRateLimitAndServerError() throws {
        let (ws, server) = try setUp([
            Self.rule("planner", Self.intro, [["status": 429, "headers": ["Retry-After": "1"], "error": "Rate limit reached"], Self.introPlan]),
            Self.rule("planner", Self.outro, [["status": 500, "error": "The server had an error"], Self.outroPlan]),
        ] + Self.goodRules)
        defer { server.stop() }
        let start = Date()
        try buildOK(ws, server)
        #expect(Date().timeIntervalSince(start) >= 1)
        let requests = try server.requests()
        #expect(tally(requests) == ["planner Zebra circles": 2, "planner Yak squares": 2, "coder Zebra circles": 1, "coder Yak squares": 1])
        let introPlans = requests.filter { $0.tallyKey == "planner Zebra circles" }
        #expect(introPlans.map(\.status) == [429, 200])
        if introPlans.count == 2 { #expect(introPlans[1].t - introPlans[0].t >= 1, "Retry-After: 1 was honoured") }
        let report = try AgentReport.read(ws)
        #expect(report.step("plan(intro)")?.attempts == 2)
        #expect(report.step("plan(outro)")?.attempts == 2)
        #expect(report.step("code(intro)")?.attempts == 1)
        #expect(report.agents?.calls == 6)
    }

    @Test("a hung connection (agents.timeout: 1), a truncated body and malformed JSON are each retried once")
    func retriesTransportFailures() throws {
        let (ws, server) = try setUp([
            Self.rule("planner", Self.intro, [["hang": 4, "content": "late"], Self.introPlan]),
            Self.rule("planner", Self.outro, [["truncate": true, "content": Self.plan("A square appears", "Draw a square")], Self.outroPlan]),
            Self.rule("coder", Self.intro, [["raw": #"{"choices": [{"message": "#], Self.introCode]),
        ] + Self.goodRules)
        defer { server.stop() }
        try ws.edit("timeout: 20", "timeout: 1")
        try buildOK(ws, server)
        let requests = try server.requests()
        #expect(tally(requests) == ["planner Zebra circles": 2, "planner Yak squares": 2, "coder Zebra circles": 2, "coder Yak squares": 1])
        let hung = requests.filter { $0.tallyKey == "planner Zebra circles" }
        if hung.count == 2 { #expect(hung[1].t - hung[0].t >= 1, "the retry came after the 1 s timeout") }
        let report = try AgentReport.read(ws)
        #expect(report.step("plan(intro)")?.attempts == 2)
        #expect(report.step("plan(outro)")?.attempts == 2)
        #expect(report.step("code(intro)")?.attempts == 2)
        #expect(report.step("code(outro)")?.attempts == 1)
        #expect(try Media.probe(ws.video).frames == 40)
    }

    @Test("401 fails at once with the server's message; --keep-going still renders the other section")
    func unauthorizedFailsAtOnce() throws {
        let (ws, server) = try setUp([Self.rule("planner", Self.intro, [["status": 401, "error": "Incorrect API key provided"]])] + Self.goodRules)
        defer { server.stop() }
        let result = try build(ws, server)
        #expect(result.status == 1)
        let output = result.stdout + result.stderr
        #expect(output.contains("HTTP 401") && output.contains("Incorrect API key provided"), "output: \(output)")
        #expect(tally(try server.requests())["planner Zebra circles"] == 1, "no retry after 401")
        #expect(try ws.report().step("plan(intro)")?.status == "failed")

        let seen = try server.requests().count
        let again = try build(ws, server, ["--keep-going"])
        #expect(again.status == 1)
        #expect(tally(Array(try server.requests().dropFirst(seen)))["planner Zebra circles"] == 1)
        let report = try ws.report()
        #expect(report.step("plan(intro)")?.error?.contains("HTTP 401: Incorrect API key provided") == true)
        #expect(report.step("render(intro)")?.status == "skipped")
        #expect(["ran", "cached"].contains(report.step("render(outro)")?.status ?? ""), "statuses: \(report.statuses)")
        #expect(report.step("assemble")?.status == "skipped")
    }

    @Test("a scene error is repaired by sending only the lines around it; the patch fixes it")
    func scopedRepair() throws {
        let (ws, server) = try setUp([
            Self.rule("coder", Self.outro, kind: "repair", [["echo_region": ["circel", "circle"], "usage": [50, 20]]]),
            Self.rule("coder", Self.outro, [Self.ok("```yaml\n\(Self.misspelledScene)\n```", usage: [200, 80])]),
        ] + Self.goodRules)
        defer { server.stop() }
        try buildOK(ws, server)
        let coder = try server.requests().filter { $0.role == "coder" && $0.section == Self.outro }
        #expect(coder.map(\.kind) == ["first", "repair"])
        if let repair = coder.last, repair.kind == "repair" {
            #expect(repair.lastUser.contains("circel"), "the problem is named: \(repair.lastUser)")
            #expect(repair.lines == "Lines 5 to 11", "the unknown kind is on line 8; ±3 lines")
            let region = repair.region ?? ""
            let sceneLines = Self.misspelledScene.components(separatedBy: "\n")
            #expect(region.contains("kind: circel"))
            #expect(Self.misspelledScene.contains(region) && region.components(separatedBy: "\n").count <= 7
                    && region.components(separatedBy: "\n").count < sceneLines.count, "region: \(region)")
            #expect(!region.contains("steps:") && !region.contains("id: a,"), "only the lines around the problem: \(region)")
        }
        let code = try AgentReport.read(ws).step("code(outro)")
        #expect(code?.attempts == 2 && code?.tokensIn == 250 && code?.tokensOut == 100)
        #expect(try Media.probe(ws.video).frames == 40)
    }

    @Test("a scene that never validates fails its section after 3 patches and 1 rewrite; the next build re-asks only that coder")
    func unrepairableSceneFailsItsSection() throws {
        let (ws, server) = try setUp([
            Self.rule("coder", Self.outro, kind: "repair", [["echo_region": ["circel", "circel"]]]),
            Self.rule("coder", Self.outro, [Self.ok("```yaml\n\(Self.misspelledScene)\n```", usage: [200, 80])]),
        ] + Self.goodRules)
        defer { server.stop() }
        let result = try build(ws, server, ["--keep-going"])
        #expect(result.status == 1)
        let coder = try server.requests().filter { $0.role == "coder" && $0.section == Self.outro }
        #expect(coder.map(\.kind) == ["first", "repair", "repair", "repair", "regenerate"])
        let report = try ws.report()
        #expect(report.step("code(outro)")?.status == "failed")
        #expect(report.step("code(outro)")?.error?.contains("after 3 patches and 1 rewrite") == true,
                "error: \(report.step("code(outro)")?.error ?? "none")")
        #expect(report.step("render(intro)")?.status == "ran")
        #expect(report.step("render(outro)")?.status == "skipped")
        // The failed step's five requests were billed: they are in the step and the totals.
        let agents = try AgentReport.read(ws)
        #expect(agents.step("code(outro)")?.requests == 5 && (agents.step("code(outro)")?.tokensIn ?? 0) >= 5 * 10,
                "\(String(describing: agents.step("code(outro)")))")
        #expect(agents.agents?.calls == 8, "2 plans, 1 + 5 coder requests: \(String(describing: agents.agents))")

        try server.load(Self.goodRules)
        let seen = try server.requests().count
        try buildOK(ws, server)
        #expect(tally(Array(try server.requests().dropFirst(seen))) == ["coder Yak squares": 1])
        #expect(Set(try ws.report().ids("ran")) == ["code(outro)", "critique(outro)", "render(outro)", "assemble"])
        #expect(try Media.probe(ws.video).frames == 40)
    }

    @Test("the API key is sent as a bearer token and appears in no output, cache file, report or message")
    func keyNeverLeaks() throws {
        let secret = "sk-test-SECRET123"
        let (ws, server) = try setUp([
            Self.rule("planner", Self.intro, [["status": 401, "error": "Incorrect API key provided: {auth}"]]),
        ] + Self.goodRules)
        defer { server.stop() }
        let environment = ["C2V_API_KEY": secret, "C2V_BASE_URL": server.baseURL]
        let failed = try build(ws, server, ["--keep-going"], environment: environment, baseURLFlag: false)
        #expect(failed.status == 1)
        #expect((failed.stdout + failed.stderr).contains("Incorrect API key provided: [redacted]"), "stderr: \(failed.stderr)")
        try server.load(Self.goodRules)
        let passed = try build(ws, server, environment: environment, baseURLFlag: false)
        #expect(passed.status == 0, "stderr: \(passed.stderr)")

        let needle = Data("SECRET123".utf8)
        for text in [failed.stdout, failed.stderr, passed.stdout, passed.stderr] { #expect(!text.contains("SECRET123")) }
        let files = ws.files(under: ws.cache) + ws.files(under: ws.out)
        #expect(files.count > 5)
        for file in files { #expect(try Data(contentsOf: file).range(of: needle) == nil, "the key leaked into \(file.path)") }
        let requests = try server.requests()
        #expect(!requests.isEmpty && requests.allSatisfy { $0.auth == "yes" })
        #expect(try Data(contentsOf: server.log).range(of: needle) == nil)
    }

    @Test("a 200 reply that echoes the key is redacted from the planner's error too")
    func echoedKeyInReplyIsRedacted() throws {
        let (ws, server) = try setUp([
            Self.rule("planner", Self.intro, [Self.ok("I cannot plan this. (request signed with {auth})", usage: [10, 5])]),
        ] + Self.goodRules)
        defer { server.stop() }
        let result = try build(ws, server, ["--keep-going"], environment: ["C2V_API_KEY": "sk-test-SECRET123"])
        #expect(result.status == 1)
        #expect((result.stdout + result.stderr).contains("not JSON with `lecture_lines`"), "stderr: \(result.stderr)")
        let reported = try ws.report().step("plan(intro)")?.error ?? ""
        #expect(!(result.stdout + result.stderr).contains("SECRET123"), "stderr: \(result.stderr)")
        #expect(!reported.contains("SECRET123"), "report: \(reported)")
        #expect(reported.contains("[redacted]"), "report: \(reported)")
    }

    @Test("critic: vision shows keyframes to the critic model and applies its anchor move")
    func visionCriticMovesAnObject() throws {
        let move = #"{"moves": [{"object": "c", "to": "E4:F5"}]}"#, fine = #"{"moves": []}"#
        let (ws, server) = try setUp([
            Self.rule("critic", Self.intro, [Self.ok(move, usage: [900, 20]), Self.ok(fine, usage: [900, 5])]),
            Self.rule("critic", Self.outro, [Self.ok(fine, usage: [900, 5])]),
        ] + Self.goodRules)
        defer { server.stop() }
        try ws.edit("  timeout: 20", "  timeout: 20\n  critic: vision")
        try buildOK(ws, server)
        let critics = try server.requests().filter { $0.role == "critic" }
        #expect(critics.filter { $0.section == Self.intro }.count == 2, "a move, then a look at the moved scene")
        #expect(critics.filter { $0.section == Self.outro }.count == 1)
        #expect(critics.allSatisfy { ($0.images ?? 0) >= 1 }, "keyframes travel as image parts")
        // The code step's usage includes the critic's calls.
        let code = try #require(try AgentReport.read(ws).step("code(intro)"))
        #expect(code.attempts == 3 && code.tokensIn == 200 + 900 + 900)
        // The circle (accent 1) now sits in E4:F5: its top at scene (1677, 623) -> pixel (279, 104) at 320x180.
        let still = ws.root.appendingPathComponent("still.png")
        let result = try ws.c2v(["still", "agents.yaml", "--section", "intro", "--time", "1.9", "-o", still.path, "--cache-dir", "cache",
                                 "--base-url", server.baseURL])
        #expect(result.status == 0, "still: \(result.stderr)")
        let rgb = try Media.rgb(still)
        func accentNear(_ x: Int, _ y: Int) -> Bool {
            for dy in -6...6 { for dx in -6...6 {
                if Media.near(Media.pixel(rgb, x: x + dx, y: y + dy, width: 320), [0xFC, 0x62, 0x55], within: 60) { return true }
            } }
            return false
        }
        #expect(accentNear(279, 104))
        #expect(!accentNear(188, 56), "nothing is left where the circle was (B2:C3)")
        // Unchanged: no request at all the second time.
        let before = try server.requests().count
        try buildOK(ws, server)
        #expect(try server.requests().count == before)
    }

    @Test("--max-tokens-total 1: the first call is made, no later one; exit 1 with `token budget reached`")
    func tokenBudget() throws {
        let (ws, server) = try setUp()
        defer { server.stop() }
        let result = try build(ws, server, ["--max-tokens-total", "1", "--agent-jobs", "1"])
        #expect(result.status == 1)
        #expect((result.stdout + result.stderr).contains("token budget reached"), "output: \(result.stdout + result.stderr)")
        let requests = try server.requests()
        #expect(requests.count == 1 && requests.first?.role == "planner")
        let report = try ws.report()
        #expect(report.ids("ran").count == 1)
        #expect(report.steps.contains { $0.status == "failed" && $0.error?.contains("token budget reached") == true })
    }
}

// MARK: - The fake server and what it logged

/// The report's agent fields (Support.swift's `Report` leaves them out).
struct AgentReport: Decodable {
    struct Step: Decodable {
        var kind: String
        var section: String?
        var model: String?
        var tokensIn: Int?
        var tokensOut: Int?
        var attempts: Int?
        var requests: Int?
        var cost: Double?
        var tokensEstimated: Bool?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case kind, section, model, tokensIn = "tokens_in", tokensOut = "tokens_out", attempts, requests, cost, error
            case tokensEstimated = "tokens_estimated"
        }
    }

    struct Totals: Decodable {
        var tokensIn: Int
        var tokensOut: Int
        var calls: Int
        var cost: Double?

        enum CodingKeys: String, CodingKey {
            case tokensIn = "tokens_in", tokensOut = "tokens_out", calls, cost
        }
    }

    var steps: [Step]
    var agents: Totals?

    static func read(_ ws: Workspace) throws -> AgentReport {
        try JSONDecoder().decode(AgentReport.self, from: try Data(contentsOf: ws.reportURL))
    }

    func step(_ id: String) -> Step? {
        steps.first { step in (step.section.map { "\(step.kind)(\($0))" } ?? step.kind) == id }
    }
}
