import Foundation
import Testing
import C2VTestSupport

/// The dialects real OpenAI-compatible servers speak, scripted: reply shapes, refused
/// parameters, reasoning models, cut-off replies, missing usage and redirects.
@Suite("c2v LLM agents and server dialects", .serialized)
struct AgentDialectTests {
    typealias A = AgentEndToEndTests
    let helper = AgentEndToEndTests()

    static func raw(_ object: [String: Any]) -> [String: Any] {
        ["raw": String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)]
    }
    static func completion(_ message: [String: Any], finish: String = "stop", usage: Bool = true) -> [String: Any] {
        var body: [String: Any] = ["choices": [["index": 0, "message": message, "finish_reason": finish]]]
        if usage { body["usage"] = ["prompt_tokens": 50, "completion_tokens": 20] }
        return raw(body)
    }
    static let introPlanJSON = A.plan("A circle appears", "Draw a circle")
    static let outroPlanJSON = A.plan("A square appears", "Draw a square")

    @Test("tool_calls, content parts, an event stream and legacy choices[].text all carry answers, each taken on the first request")
    func replyShapes() throws {
        let stream = ["data: " + String(decoding: try JSONSerialization.data(withJSONObject: ["choices": [["delta": ["content": String(A.introScene.prefix(40))]]]]), as: UTF8.self),
                      "data: " + String(decoding: try JSONSerialization.data(withJSONObject: ["choices": [["delta": ["content": String(A.introScene.dropFirst(40))], "finish_reason": "stop"]], "usage": ["prompt_tokens": 9, "completion_tokens": 9]]), as: UTF8.self),
                      "data: [DONE]", ""].joined(separator: "\n\n")
        let (ws, server) = try helper.setUp([
            A.rule("planner", A.intro, [Self.completion(["role": "assistant", "content": NSNull(),
                                                         "tool_calls": [["type": "function", "function": ["name": "plan", "arguments": Self.introPlanJSON]]]])]),
            A.rule("planner", A.outro, [Self.completion(["role": "assistant", "content": [["type": "text", "text": Self.outroPlanJSON]]])]),
            A.rule("coder", A.intro, [["raw": stream]]),
            A.rule("coder", A.outro, [Self.raw(["choices": [["index": 0, "text": A.outroScene, "finish_reason": "stop"]], "usage": ["prompt_tokens": 5, "completion_tokens": 5]])]),
        ])
        defer { server.stop() }
        try helper.buildOK(ws, server)
        #expect(helper.tally(try server.requests()) == ["planner Zebra circles": 1, "planner Yak squares": 1, "coder Zebra circles": 1, "coder Yak squares": 1])
    }

    @Test("a 200 with an error body is named and not retried; prose from the planner is asked again once, then fails")
    func errorBodiesAndProse() throws {
        let (ws, server) = try helper.setUp([
            A.rule("planner", A.intro, [Self.raw(["error": ["message": "You exceeded your current quota", "type": "insufficient_quota"]])]),
            A.rule("planner", A.outro, [A.ok("Sure! Here is a plan: first a square, then more.", usage: [10, 5])]),
        ] + A.goodRules)
        defer { server.stop() }
        let result = try helper.build(ws, server, ["--keep-going"])
        #expect(result.status == 1)
        let tally = helper.tally(try server.requests())
        #expect(tally["planner Zebra circles"] == 1, "not retried: \(tally)")
        #expect(tally["planner Yak squares"] == 2, "prose is asked again once: \(tally)")
        let report = try AgentReport.read(ws)
        #expect(report.step("plan(intro)")?.error?.contains("answered HTTP 200 with an error: You exceeded your current quota") == true,
                "\(report.step("plan(intro)")?.error ?? "")")
        #expect(report.step("plan(outro)")?.error?.contains("not JSON with `lecture_lines`") == true)
        // The prose retry replays the conversation with roles alternating.
        let retry = try server.requests().filter { $0.tallyKey == "planner Yak squares" }.last
        #expect(retry?.roles == ["system", "user", "assistant", "user"], "\(retry?.roles ?? [])")
    }

    @Test("reasoning models: an answer left only in reasoning_content is named; a <think> block is stripped before the fence is looked for")
    func reasoning() throws {
        let thinking = "<think>Maybe this:\n```yaml\nscene: {objects: [oops\n```\nno.</think>\n" + A.introScene
        let (ws, server) = try helper.setUp([
            A.rule("planner", A.outro, [Self.completion(["role": "assistant", "content": "", "reasoning_content": String(repeating: "hmm ", count: 50)])]),
            A.rule("coder", A.intro, [A.ok(thinking, usage: [10, 5])]),
        ] + A.goodRules)
        defer { server.stop() }
        let result = try helper.build(ws, server, ["--keep-going"])
        #expect(result.status == 1)
        let tally = helper.tally(try server.requests())
        #expect(tally["coder Zebra circles"] == 1, "the scene after the think block was used, with no repair: \(tally)")
        #expect(tally["planner Yak squares"] == 1, "a reasoning-only reply is not retried: \(tally)")
        let error = try AgentReport.read(ws).step("plan(outro)")?.error ?? ""
        #expect(error.contains("only 200 characters of reasoning (`reasoning_content`)"), "\(error)")
    }

    @Test("a 400 refusing response_format is answered by leaving it out, for the rest of the build; `response_format: off` never sends it")
    func responseFormatRefused() throws {
        let refusal: [String: Any] = ["status": 400, "error": "litellm.UnsupportedParamsError: openai does not support parameters: ['response_format']"]
        let (ws, server) = try helper.setUp([A.rule("planner", A.intro, [refusal, A.introPlan])] + A.goodRules)
        defer { server.stop() }
        let result = try helper.build(ws, server, ["--agent-jobs", "1"])
        #expect(result.stderr.contains("c2v now sends no response_format"), "the adaptation is said: \(result.stderr)")
        let plans = try server.requests().filter { $0.role == "planner" }
        #expect(plans.count == 3, "one refusal, then each section once: \(plans.map(\.tallyKey))")
        #expect(plans.first?.keys?.contains("response_format") == true)
        #expect(plans.dropFirst().allSatisfy { $0.keys?.contains("response_format") == false }, "\(plans.map { $0.keys ?? [] })")

        let (ws2, server2) = try helper.setUp()
        defer { server2.stop() }
        try ws2.edit("provider: openai", "provider: openai\n  response_format: off")
        try helper.buildOK(ws2, server2)
        #expect(try server2.requests().allSatisfy { $0.keys?.contains("response_format") == false })
    }

    @Test("o-series and gpt-5 models get max_completion_tokens and their default temperature; a 400 naming max_tokens adapts any model")
    func reasoningModelParameters() throws {
        let (ws, server) = try helper.setUp()
        defer { server.stop() }
        try helper.buildOK(ws, server, ["--model", "o3-mini"])
        let requests = try server.requests()
        #expect(requests.allSatisfy { $0.keys?.contains("max_completion_tokens") == true && $0.keys?.contains("max_tokens") == false && $0.temperature == nil },
                "\(requests.map { $0.keys ?? [] })")

        let refusal: [String: Any] = ["status": 400, "error": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."]
        let (ws2, server2) = try helper.setUp([A.rule("planner", A.intro, [refusal, A.introPlan])] + A.goodRules)
        defer { server2.stop() }
        try helper.buildOK(ws2, server2, ["--agent-jobs", "1"])
        let adapted = try server2.requests()
        #expect(adapted.count == 5)
        #expect(adapted.dropFirst().allSatisfy { $0.keys?.contains("max_completion_tokens") == true }, "\(adapted.map { $0.keys ?? [] })")
    }

    @Test("a reply cut off at max_tokens is asked again once with twice the limit; cut off again, the error says so")
    func finishLength() throws {
        let cut: [String: Any] = ["content": #"{"lecture_lines": ["A circ"#, "finish": "length", "usage": [100, 4000]]
        let (ws, server) = try helper.setUp([
            A.rule("planner", A.intro, [cut, A.introPlan]),
            A.rule("planner", A.outro, [cut]),
        ] + A.goodRules)
        defer { server.stop() }
        let result = try helper.build(ws, server, ["--keep-going"])
        #expect(result.status == 1)
        let tally = helper.tally(try server.requests())
        #expect(tally["planner Zebra circles"] == 2 && tally["planner Yak squares"] == 2, "\(tally)")
        let report = try AgentReport.read(ws)
        #expect(report.steps.first { $0.kind == "plan" && $0.section == "intro" }?.error == nil)
        let error = report.step("plan(outro)")?.error ?? ""
        #expect(error.contains("reply hit max_tokens (1600) before it finished, also when asked again with twice the limit"), "\(error)")
    }

    @Test("a server that reports no usage gets estimated tokens, marked as estimates in the report")
    func missingUsage() throws {
        let (ws, server) = try helper.setUp([
            A.rule("planner", A.intro, [Self.completion(["role": "assistant", "content": Self.introPlanJSON], usage: false)]),
        ] + A.goodRules)
        defer { server.stop() }
        try helper.buildOK(ws, server)
        let report = try AgentReport.read(ws)
        let plan = try #require(report.steps.first { $0.kind == "plan" && $0.section == "intro" })
        #expect(plan.tokensEstimated == true && (plan.tokensIn ?? 0) > 100 && (plan.tokensOut ?? 0) > 5, "\(plan)")
        #expect(report.steps.first { $0.kind == "plan" && $0.section == "outro" }?.tokensEstimated == nil)
        #expect(report.steps.first { $0.kind == "plan" && $0.section == "outro" }?.requests == 1)
    }

    @Test("a redirect on the same host is followed; one to another host is named, and the key is not sent there")
    func redirects() throws {
        let (ws, server) = try helper.setUp([
            A.rule("planner", A.intro, [["status": 307, "headers": ["Location": "/v1/chat/completions"], "raw": ""], A.introPlan]),
            A.rule("planner", A.outro, [["status": 307, "headers": ["Location": "https://elsewhere.invalid/v1/chat/completions"], "raw": ""]]),
        ] + A.goodRules)
        defer { server.stop() }
        let result = try helper.build(ws, server, ["--keep-going"])
        #expect(result.status == 1)
        let tally = helper.tally(try server.requests())
        #expect(tally["planner Zebra circles"] == 2 && tally["coder Zebra circles"] == 1, "\(tally)")
        let error = try AgentReport.read(ws).step("plan(outro)")?.error ?? ""
        #expect(error.contains("HTTP 307 redirect to https://elsewhere.invalid/v1/chat/completions; c2v follows redirects only on the same host"), "\(error)")
    }

    @Test("a patch answered with the whole scene replaces the scene instead of corrupting it")
    func patchAnsweredWithWholeScene() throws {
        let whole = "```yaml\n" + A.misspelledScene.replacingOccurrences(of: "circel", with: "circle") + "\n```"
        let (ws, server) = try helper.setUp([
            A.rule("coder", A.outro, kind: "repair", [A.ok(whole, usage: [50, 20])]),
            A.rule("coder", A.outro, [A.ok("```yaml\n\(A.misspelledScene)\n```", usage: [200, 80])]),
        ] + A.goodRules)
        defer { server.stop() }
        try helper.buildOK(ws, server)
        let coder = try server.requests().filter { $0.role == "coder" && $0.section == A.outro }
        #expect(coder.map(\.kind) == ["first", "repair"], "one patch, no `duplicate key scene` round: \(coder.map(\.kind))")
    }

    @Test("a vision critic the server cannot serve (500 for image parts) is skipped with a warning; the checked scene is kept")
    func visionCriticUnavailable() throws {
        let (ws, server) = try helper.setUp([
            A.rule("critic", A.intro, [["status": 500, "error": "image input is not supported by this model"]]),
            A.rule("critic", A.outro, [A.ok(#"{"moves": []}"#, usage: [900, 5])]),
        ] + A.goodRules)
        defer { server.stop() }
        try ws.edit("  timeout: 20", "  timeout: 20\n  critic: vision")
        let result = try helper.build(ws, server)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("the vision review was skipped, keeping the scene that passed the static check"), "stderr: \(result.stderr)")
        #expect(try Media.probe(ws.video).frames == 40)
    }

    @Test("a server that counts far fewer prompt tokens than were sent is said to have truncated the prompt")
    func truncatedPrompt() throws {
        let (ws, server) = try helper.setUp([
            A.rule("coder", A.intro, [A.ok(A.introScene, usage: [100, 80])]),
        ] + A.goodRules)
        defer { server.stop() }
        let result = try helper.build(ws, server)
        #expect(result.status == 0)
        #expect(result.stderr.contains("the server counted 100 prompt tokens for about"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("it probably truncated the prompt"))
        // A short prompt is never called truncated: the planner's is a few hundred tokens.
        #expect(!result.stderr.contains("plan(intro): the server counted"), "stderr: \(result.stderr)")
    }

    @Test("--dry-run forecasts from the lesson's history: a Coder that needed a repair is expected to need one again")
    func forecastFromHistory() throws {
        let (ws, server) = try helper.setUp([
            A.rule("coder", A.outro, kind: "repair", [["echo_region": ["circel", "circle"], "usage": [50, 20]]]),
            A.rule("coder", A.outro, [A.ok("```yaml\n\(A.misspelledScene)\n```", usage: [200, 80])]),
        ] + A.goodRules)
        defer { server.stop() }
        try helper.buildOK(ws, server)
        // A new temperature re-asks every plan and code step; the dry run makes no request.
        try ws.edit("temperature: 0.2", "temperature: 0.3")
        let before = try server.requests().count
        let dry = try helper.build(ws, server, ["--dry-run"])
        #expect(dry.status == 0, "stderr: \(dry.stderr)")
        #expect(try server.requests().count == before)
        // plans: 120 + 30 tokens and 1 request each; code: intro 200 + 80 in 1, outro 250 + 100 in 2
        // (a repair), so each would-run code step is expected at 225 + 90 in 1.5 requests.
        #expect(dry.stdout.contains("agent calls that would run: 5 "), "stdout: \(dry.stdout)")
        #expect(dry.stdout.contains("about 690 tokens in and 240 out"), "stdout: \(dry.stdout)")
    }
}
