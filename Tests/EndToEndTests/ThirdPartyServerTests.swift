import Foundation
import Testing

/// c2v against two OpenAI-compatible servers it did not write, from PyPI (`make llm-servers`
/// installs them under .build/llm-servers): mockllm, and LiteLLM's proxy with `mock_response`
/// models behind a master key. Each runs on a free loopback port and is stopped by its PID.
@Suite("c2v against third-party OpenAI-compatible servers", .serialized)
struct ThirdPartyServerTests {
    static let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/llm-servers/bin")

    // The same canned plan and scene as the scripted server's tests.
    static let plan = AgentEndToEndTests.plan("A circle appears", "Draw a circle")
    static let scene = AgentEndToEndTests.introScene
    static let sections = [("one", "Circles one", "A circle appears."), ("two", "Circles two", "Another circle appears."),
                           ("three", "Circles three", "A third circle appears.")]

    static func lesson(models: String) -> String {
        var text = """
            c2v: 1
            title: Third party
            video: {size: 320x180, fps: 10, quality: draft}
            narration: off
            agents:
              provider: openai
              \(models)
              base_url: "http://127.0.0.1:9/v1"
              temperature: 0.2
              max_tokens: 800
              timeout: 30
            sections:

            """
        for (id, title, brief) in sections {
            text += "  - {id: \(id), title: \(title), brief: \(brief), duration_hint: 2}\n"
        }
        return text
    }

    static func freePort() throws -> Int {
        let result = try Tools.run("/usr/bin/env", ["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        return try #require(Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Starts `executable ARGS` and waits until `probe` answers on `port`; stopped by PID after `body`.
    static func withServer(_ executable: String, _ arguments: [String], port: Int, probe: String, in folder: URL,
                           environment: [String: String] = [:], _ body: () throws -> Void) throws {
        let path = venv.appendingPathComponent(executable).path
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: run `make llm-servers` (make test does)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        for proxy in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] { env[proxy] = nil }
        process.environment = env
        let log = folder.appendingPathComponent("\(executable).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer {
            // Stopped by its PID: SIGTERM, then SIGKILL if it has not gone within 5 s (a child of
            // Swift's Process may start with SIGTERM blocked, and uvicorn waits for connections).
            kill(process.processIdentifier, SIGTERM)
            let patience = Date().addingTimeInterval(5)
            while process.isRunning && Date() < patience { Thread.sleep(forTimeInterval: 0.1) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? handle.close()
        }
        let deadline = Date().addingTimeInterval(120)
        var up = false
        while Date() < deadline, process.isRunning {
            let check = try Tools.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)\(probe)"])
            if check.stdout != "000" { up = true; break }
            Thread.sleep(forTimeInterval: 0.25)
        }
        try #require(up, "\(executable) did not start: \((try? String(contentsOf: log, encoding: .utf8))?.suffix(2000) ?? "")")
        try body()
    }

    /// Builds the lesson three times: fresh (every agent step runs), again (nothing runs: zero
    /// requests), and after editing one section's brief (exactly one request, that planner's).
    static func threeBuilds(_ ws: Workspace, baseURL: String, environment: [String: String] = [:]) throws {
        let removed = ["C2V_INJECT_FAULT", "C2V_CACHE_DIR", "C2V_BASE_URL", "C2V_MODEL", "C2V_API_KEY", "OPENAI_API_KEY",
                       "http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]
        func build() throws -> AgentReport {
            let result = try Tools.run(try Tools.c2vPath(), ["build", "tiny.yaml", "--cache-dir", "cache", "--out-dir", "out", "--base-url", baseURL],
                                       in: ws.root, environment: environment, removingEnvironment: removed)
            #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
            return try AgentReport.read(ws)
        }
        let first = try build()
        let agentSteps = first.steps.filter { $0.kind == "plan" || $0.kind == "code" }
        #expect(agentSteps.count == 6 && agentSteps.allSatisfy { $0.requests == 1 }, "\(agentSteps.map { "\($0.kind)(\($0.section ?? "")) \($0.requests ?? -1)" })")
        #expect(first.agents?.calls == 6, "requests: \(String(describing: first.agents))")
        #expect(try Media.probe(ws.video).frames == 60)

        let second = try build()
        #expect(second.agents == nil || second.agents?.calls == 0, "a rebuild makes no request: \(String(describing: second.agents))")

        try ws.edit("brief: Another circle appears.", "brief: Another circle appears slowly.")
        let third = try build()
        #expect(third.agents?.calls == 1, "one request after a one-line edit: \(String(describing: third.agents))")
        let ran = Set(try ws.report().ids("ran"))
        #expect(ran.contains("plan(two)") && !ran.contains("code(two)"), "the same plan came back, so the scene is cached: \(ran)")
    }

    @Test("mockllm: a 3-section lesson builds; zero requests on rebuild; one after a one-line edit")
    func mockllm() throws {
        let ws = try Workspace(fixture: "tiny.yaml")
        try Data(Self.lesson(models: "model: gpt-4o-mini").utf8).write(to: ws.lesson)
        // mockllm answers by the last user message: the planner's is known exactly; anything else gets the scene.
        var responses: [String: String] = [:]
        for (_, title, brief) in Self.sections {
            responses["Lesson: Third party\nAudience: general\nSection: \(title)\nBrief: \(brief)"] = Self.plan
        }
        responses["Lesson: Third party\nAudience: general\nSection: Circles two\nBrief: Another circle appears slowly."] = Self.plan
        let config = ["responses": responses, "defaults": ["unknown_response": Self.scene], "settings": ["lag_enabled": false]] as [String: Any]
        try JSONSerialization.data(withJSONObject: config).write(to: ws.root.appendingPathComponent("responses.json"))
        let port = try Self.freePort()
        try Self.withServer("mockllm", ["start", "--responses", "responses.json", "--host", "127.0.0.1", "--port", "\(port)"],
                            port: port, probe: "/v1/models", in: ws.root) {
            try Self.threeBuilds(ws, baseURL: "http://127.0.0.1:\(port)/v1")
        }
    }

    @Test("LiteLLM's proxy with mock_response models and a master key: the same three builds, and the key appears in no output")
    func litellm() throws {
        let ws = try Workspace(fixture: "tiny.yaml")
        try Data(Self.lesson(models: "models: {planner: mock-planner, coder: mock-coder}").utf8).write(to: ws.lesson)
        func quoted(_ s: String) -> String { String(decoding: try! JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast().description }
        let key = "sk-c2v-loopback-\(UUID().uuidString.prefix(8))"
        let config = """
            model_list:
              - model_name: mock-planner
                litellm_params: {model: openai/gpt-4o-mini, api_key: sk-unused, mock_response: \(quoted(Self.plan))}
              - model_name: mock-coder
                litellm_params: {model: openai/gpt-4o-mini, api_key: sk-unused, mock_response: \(quoted(Self.scene))}
            general_settings:
              master_key: \(key)
            """
        try Data(config.utf8).write(to: ws.root.appendingPathComponent("litellm.yaml"))
        let port = try Self.freePort()
        try Self.withServer("litellm", ["--config", "litellm.yaml", "--host", "127.0.0.1", "--port", "\(port)"], port: port,
                            probe: "/health/liveliness", in: ws.root, environment: ["LITELLM_LOCAL_MODEL_COST_MAP": "True"]) {
            try Self.threeBuilds(ws, baseURL: "http://127.0.0.1:\(port)/v1", environment: ["C2V_API_KEY": key])
        }
        for file in ws.files(under: ws.root) where !file.path.hasSuffix("litellm.yaml") && !file.path.hasSuffix("litellm.log") {
            let data = (try? Data(contentsOf: file)) ?? Data()
            #expect(data.range(of: Data(key.utf8)) == nil, "the key is in \(file.path)")
        }
    }
}
