import C2VHTTP
import C2VLesson
import C2VUtil
import Foundation

/// How c2v talks to an OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama,
/// llama.cpp server, LiteLLM). Everything here but `apiKey` may enter step keys.
public struct LLMSettings: Sendable, Equatable {
    /// Like `https://api.openai.com/v1`; `/chat/completions` is appended.
    public var baseURL: String
    public var model: String
    /// Per-role models (`planner`, `coder`, `critic`) that replace `model`.
    public var roleModels: [AgentRole: String]
    public var temperature: Double
    public var seed: Int?
    public var maxTokens: Int
    /// Seconds for one whole request; connecting gets at most 10 s of it.
    public var timeout: Double
    public var maxAttempts: Int
    /// Sent only in the Authorization header; never in keys, logs, reports or errors.
    public var apiKey: String?
    /// Dollars per million input and output tokens, by model, for cost accounting.
    public var prices: [String: (input: Double, output: Double)]
    /// Sends `response_format: json_object` for JSON replies (`agents.response_format: json`);
    /// off for servers and proxies that refuse the parameter. c2v checks the JSON either way.
    public var jsonMode = true

    public init(baseURL: String = "https://api.openai.com/v1", model: String = "gpt-4o-mini", roleModels: [AgentRole: String] = [:],
                temperature: Double = 0.2, seed: Int? = 7, maxTokens: Int = 4000, timeout: Double = 120, maxAttempts: Int = 4,
                apiKey: String? = nil, prices: [String: (input: Double, output: Double)] = LLMSettings.knownPrices) {
        self.baseURL = baseURL
        self.model = model
        self.roleModels = roleModels
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.apiKey = apiKey
        self.prices = prices
    }

    public static func == (a: LLMSettings, b: LLMSettings) -> Bool {
        a.baseURL == b.baseURL && a.model == b.model && a.roleModels == b.roleModels && a.temperature == b.temperature
            && a.seed == b.seed && a.maxTokens == b.maxTokens && a.timeout == b.timeout && a.maxAttempts == b.maxAttempts
            && a.apiKey == b.apiKey && a.jsonMode == b.jsonMode
    }

    /// Published list prices (USD per million tokens) of a few common models; unknown models count tokens only.
    public static let knownPrices: [String: (input: Double, output: Double)] = [
        "gpt-4o": (2.5, 10), "gpt-4o-mini": (0.15, 0.6), "gpt-4.1": (2, 8), "gpt-4.1-mini": (0.4, 1.6),
    ]

    public func model(for role: AgentRole) -> String { roleModels[role] ?? model }

    /// The endpoint without user info, query or fragment: what keys and messages may show.
    public var endpoint: String {
        guard var parts = URLComponents(string: baseURL) else { return "(invalid base URL)" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        var text = parts.string ?? "(invalid base URL)"
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// What decides a reply, for step keys: endpoint, model, sampling and limits (no secrets).
    public func identity(role: AgentRole, promptVersion: String) -> String {
        "openai endpoint=\(endpoint) model=\(model(for: role)) temperature=\(temperature) seed=\(seed.map(String.init) ?? "none") "
            + "max_tokens=\(maxTokens) role=\(role) prompt=\(promptVersion)" + (jsonMode ? "" : " response_format=off")
    }

    func cost(model: String, tokensIn: Int, tokensOut: Int) -> Double? {
        guard let price = prices[model] else { return nil }
        return (Double(tokensIn) * price.input + Double(tokensOut) * price.output) / 1_000_000
    }
}

/// A per-build limit on tokens and dollars: once reached, no new call starts.
public final class LLMBudget: @unchecked Sendable {
    public let maxTokens: Int?
    public let maxCost: Double?
    private let lock = NSLock()
    private var tokens = 0
    private var cost = 0.0

    public init(maxTokens: Int? = nil, maxCost: Double? = nil) {
        self.maxTokens = maxTokens
        self.maxCost = maxCost
    }

    /// Throws when the budget is spent, so the call is never made.
    func admit(role: AgentRole) throws {
        lock.lock()
        defer { lock.unlock() }
        if let maxTokens, tokens >= maxTokens {
            throw C2VError(.buildFailed, "token budget reached (\(tokens) of --max-tokens-total \(maxTokens)); the \(role) call was not made")
        }
        if let maxCost, cost >= maxCost {
            throw C2VError(.buildFailed, "cost budget reached ($\(String(format: "%.4f", cost)) of --max-cost \(maxCost)); the \(role) call was not made")
        }
    }

    func charge(tokens: Int, cost: Double?) {
        lock.lock()
        defer { lock.unlock() }
        self.tokens += tokens
        self.cost += cost ?? 0
    }

    public var spent: (tokens: Int, cost: Double) {
        lock.lock()
        defer { lock.unlock() }
        return (tokens, cost)
    }
}

/// What one chat call cost.
public struct LLMUsage: Sendable, Codable, Equatable {
    public var model: String
    public var tokensIn: Int
    public var tokensOut: Int
    public var attempts: Int
    public var cost: Double?
    /// Requests the server answered (attempts that never connected are not among them).
    public var requests = 0
    /// The server reported no token counts for some of the calls: those figures are estimates.
    public var estimated = false
    /// What the user should know about the calls (a prompt the server truncated).
    public var warnings: [String] = []

    public init(model: String, tokensIn: Int = 0, tokensOut: Int = 0, attempts: Int = 0, cost: Double? = nil,
                requests: Int = 0, estimated: Bool = false, warnings: [String] = []) {
        self.model = model
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.attempts = attempts
        self.cost = cost
        self.requests = requests
        self.estimated = estimated
        self.warnings = warnings
    }

    public static func + (a: LLMUsage, b: LLMUsage) -> LLMUsage {
        LLMUsage(model: b.model.isEmpty ? a.model : b.model, tokensIn: a.tokensIn + b.tokensIn, tokensOut: a.tokensOut + b.tokensOut,
                 attempts: a.attempts + b.attempts, cost: a.cost == nil && b.cost == nil ? nil : (a.cost ?? 0) + (b.cost ?? 0),
                 requests: a.requests + b.requests, estimated: a.estimated || b.estimated, warnings: a.warnings + b.warnings.filter { !a.warnings.contains($0) })
    }
}

public struct ChatMessage: Sendable, Codable, Equatable {
    public var role: String
    public var content: String
    /// PNG images sent with the text, as `image_url` parts (for a vision model).
    public var images: [Data]

    public init(role: String, content: String, images: [Data] = []) {
        self.role = role
        self.content = content
        self.images = images
    }

    /// The message as the chat-completions API takes it: plain text, or text and image parts.
    var wire: [String: Any] {
        guard !images.isEmpty else { return ["role": role, "content": content] }
        let parts: [[String: Any]] = [["type": "text", "text": content]] + images.map {
            ["type": "image_url", "image_url": ["url": "data:image/png;base64," + $0.base64EncodedString()]]
        }
        return ["role": role, "content": parts]
    }
}

/// Calls chat completions with timeouts, retries (exponential backoff with jitter on 408, 409,
/// 429, 5xx and connection failures, honouring `Retry-After`) and the build's budget. 400, 401,
/// 403 and 404 fail at once with the server's message.
public struct OpenAIClient: Sendable {
    public let settings: LLMSettings
    public let budget: LLMBudget
    let http: HTTPClient
    /// Waits between attempts; tests shorten it.
    let sleep: @Sendable (Double) -> Void

    public init(settings: LLMSettings, budget: LLMBudget, http: HTTPClient = .shared,
                sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.settings = settings
        self.budget = budget
        self.http = http
        self.sleep = sleep
    }

    /// Longest wait between attempts, whatever the server asks.
    static let maximumDelay = 60.0

    /// Sends `messages` and returns the reply's text and what it cost. Blocking.
    ///
    /// Speaks the dialects of real servers: a 400 that names `max_tokens`, `temperature` or
    /// `response_format` is answered by changing that parameter (remembered for the build);
    /// a reply cut off at `max_tokens` is asked again once with twice the limit; reasoning
    /// models get `max_completion_tokens` and their default temperature from the start; a
    /// `<think>` block is removed; and token counts the server leaves out are estimated.
    public func chat(role: AgentRole, messages: [ChatMessage], json: Bool) throws -> (text: String, usage: LLMUsage) {
        let model = settings.model(for: role)
        let messages = ChatDialect.merged(messages)
        // What this server's 400s taught about this model, for every later call of the build.
        let dialect = DialectMemory.shared(endpoint: settings.endpoint, model: model)
        if ChatDialect.isReasoningModel(model) {
            _ = dialect.learn(.completionTokens)
            _ = dialect.learn(.defaultTemperature)
        }
        var usage = LLMUsage(model: model)
        var maxTokens = settings.maxTokens
        var lengthRetried = false
        while true {
            var body: [String: Any] = ["model": model, "messages": messages.map(\.wire)]
            body[dialect.contains(.completionTokens) ? "max_completion_tokens" : "max_tokens"] = maxTokens
            if !dialect.contains(.defaultTemperature) { body["temperature"] = settings.temperature }
            if let seed = settings.seed { body["seed"] = seed }
            if json, settings.jsonMode, !dialect.contains(.noResponseFormat) { body["response_format"] = ["type": "json_object"] }
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            var call = LLMUsage(model: model)
            let reply: ChatReply
            do {
                reply = try post(role: role, path: "/chat/completions", body: data, accept: "application/json", usage: &call,
                                 parse: { response in
                                     switch ChatDialect.read(response.body) {
                                     case .answer(let reply): .value(reply)
                                     case .refused(let why): .fail(why)
                                     case .malformed(let why): .retry(why)
                                     }
                                 })
            } catch let refusal as Refusal {
                usage = usage + call
                if refusal.status == 400, let fix = RequestAdaptation.from(refusal.message), dialect.learn(fix) {
                    usage.warnings.append("the server refused a parameter (\(refusal.message.prefix(160))); c2v now \(fix.description) to \(settings.endpoint) for \(model)")
                    continue
                }
                throw C2VError(.buildFailed, redact("\(role) request to \(settings.endpoint) failed: \(refusal.message)"))
            }
            // Tokens the server did not count are estimated from the characters sent and received.
            let tokensIn = reply.tokensIn ?? ChatDialect.estimatedTokens(data.count)
            let tokensOut = reply.tokensOut ?? ChatDialect.estimatedTokens(reply.text.count + reply.reasoningCharacters)
            call.estimated = reply.tokensIn == nil || reply.tokensOut == nil
            call.warnings = Self.contextWarnings(sent: messages.reduce(0) { $0 + $1.content.count }, counted: reply.tokensIn,
                                                 endpoint: settings.endpoint)
            call.tokensIn = tokensIn
            call.tokensOut = tokensOut
            call.cost = settings.cost(model: model, tokensIn: tokensIn, tokensOut: tokensOut)
            budget.charge(tokens: tokensIn + tokensOut, cost: call.cost)
            usage = usage + call
            if reply.finishReason == "length" {
                // Cut off: a plan or scene missing its end is no use. Once more with room to finish.
                if !lengthRetried, maxTokens < Self.longestReply {
                    lengthRetried = true
                    maxTokens = min(Self.longestReply, maxTokens * 2)
                    continue
                }
                throw C2VError(.buildFailed, "\(role) reply hit max_tokens (\(maxTokens)) before it finished"
                               + (lengthRetried ? ", also when asked again with twice the limit" : "")
                               + "; raise `max_tokens` in the lesson's `agents`")
            }
            let text = ChatDialect.withoutThinking(reply.text)
            if text.isEmpty {
                if reply.reasoningCharacters > 0 {
                    throw C2VError(.buildFailed, "\(role) reply has no answer, only \(reply.reasoningCharacters) characters of reasoning "
                                   + "(`reasoning_content`): a reasoning model that spent its tokens thinking; raise `max_tokens`")
                }
                throw C2VError(.buildFailed, "\(role) reply was empty (finish_reason \(reply.finishReason ?? "none"))")
            }
            // A reply that echoes the key (a proxy, a model repeating its request) must not
            // carry it into a storyboard, scene, cache entry or error.
            return (redact(text), usage)
        }
    }

    /// A server that counted far fewer prompt tokens than were sent cut the prompt (Ollama keeps
    /// a 2048 to 4096-token context unless told otherwise, and drops the rest silently).
    static func contextWarnings(sent bytes: Int, counted: Int?, endpoint: String) -> [String] {
        let estimate = ChatDialect.estimatedTokens(bytes)
        let ollama = isOllama(endpoint)
        let advice = ollama
            ? " Ollama's OpenAI endpoint keeps a short context by default: raise num_ctx (a Modelfile with `PARAMETER num_ctx 16384`, or OLLAMA_CONTEXT_LENGTH=16384 for `ollama serve`)"
            : " Raise the server's context length for this model"
        // Far fewer, and by more than an estimate's error: a long prompt cut to a short context.
        if let counted, counted > 0, Double(counted) < 0.5 * Double(estimate), estimate - counted > 1000 {
            return ["the server counted \(counted) prompt tokens for about \(estimate) sent: it probably truncated the prompt.\(advice)"]
        }
        if ollama, counted == nil, estimate > 2048 {
            return ["this prompt is about \(estimate) tokens, more than Ollama's default context.\(advice)"]
        }
        return []
    }

    /// Ollama's OpenAI endpoint: its port, or its name in the host.
    static func isOllama(_ endpoint: String) -> Bool {
        guard let url = URL(string: endpoint) else { return false }
        return url.port == 11434 || (url.host ?? "").contains("ollama")
    }

    /// The most `max_tokens` a reply cut off at its limit is asked again with.
    static let longestReply = 32_768

    /// Asks an OpenAI-compatible speech endpoint (`POST /audio/speech`) to say `text`; returns
    /// the WAV it answered. Retried, timed out and budgeted like chat calls. Blocking.
    public func speech(model: String, voice: String, text: String) throws -> (wav: Data, usage: LLMUsage) {
        let body: [String: Any] = ["model": model, "voice": voice, "input": text, "response_format": "wav"]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        var usage = LLMUsage(model: model)
        let wav: Data
        do {
            wav = try post(role: .narrator, path: "/audio/speech", body: data, accept: "audio/wav", usage: &usage,
                           parse: { response in
                               let isWAV = response.body.count > 12 && response.body.prefix(4) == Data("RIFF".utf8)
                               return isWAV ? .value(response.body)
                                   : .retry("the reply was not audio (\(response.body.count) bytes: \(String(decoding: response.body.prefix(60), as: UTF8.self).debugDescription))")
                           })
        } catch let refusal as Refusal {
            throw C2VError(.buildFailed, redact("\(AgentRole.narrator) request to \(settings.endpoint) failed: \(refusal.message)"))
        }
        // Speech is priced per character; the input's length stands in for tokens (4 characters each).
        let tokens = max(1, text.count / 4)
        let cost = settings.cost(model: model, tokensIn: tokens, tokensOut: 0)
        budget.charge(tokens: tokens, cost: cost)
        usage.tokensIn = tokens
        usage.cost = cost
        return (wav, usage)
    }

    /// How a reply's body was taken: a value, a reply worth asking again for, or one that
    /// would fail the same way again.
    enum Parsed<T> {
        case value(T)
        case retry(String)
        case fail(String)
    }

    /// A request the server turned down for good (a 4xx, a reply that cannot succeed); the
    /// caller may adapt the request and send it again.
    struct Refusal: Error {
        var status: Int
        var message: String
    }

    /// Redirects followed for one request, to the same host only.
    static let maximumRedirects = 3

    /// One request with the client's retry policy: 408, 409, 429 and 5xx and replies `parse`
    /// asks to retry are retried with backoff (honouring `Retry-After`); other statuses and
    /// replies `parse` fails are a `Refusal` at once, with the server's message. A redirect is
    /// followed to the same host (307 and 308 keep the body), and named otherwise, so the key
    /// never goes to another host. Every attempt is admitted by the budget first.
    private func post<T>(role: AgentRole, path: String, body: Data, accept: String, usage: inout LLMUsage,
                         parse: (HTTPResponse) -> Parsed<T>) throws -> T {
        var headers = ["Content-Type": "application/json", "Accept": accept]
        if let key = settings.apiKey, !key.isEmpty { headers["Authorization"] = "Bearer \(key)" }
        var url = settings.endpoint + path
        var redirects = 0
        var lastProblem = ""
        var attempt = 0
        while attempt < max(1, settings.maxAttempts) {
            attempt += 1
            try budget.admit(role: role)
            usage.attempts = attempt
            var delay: Double?
            do {
                let response = try http.post(url, headers: headers, body: body, connectTimeout: min(10, settings.timeout),
                                             timeout: settings.timeout)
                usage.requests += 1
                switch response.status {
                case 200..<300:
                    switch parse(response) {
                    case .value(let value): return value
                    case .fail(let why): throw Refusal(status: response.status, message: why)
                    case .retry(let why):
                        lastProblem = why
                        delay = backoff(attempt)
                    }
                case 301, 302, 303, 307, 308:
                    let location = response.headers["location"] ?? ""
                    guard let target = URL(string: location, relativeTo: URL(string: url))?.absoluteURL,
                          target.host == URL(string: url)?.host, target.scheme == URL(string: url)?.scheme,
                          redirects < Self.maximumRedirects else {
                        throw Refusal(status: response.status, message: location.isEmpty
                            ? "HTTP \(response.status) redirect without a Location"
                            : "HTTP \(response.status) redirect to \(redact(location)); c2v follows redirects only on the same host, so set base_url to that address")
                    }
                    redirects += 1
                    url = target.absoluteString
                    attempt -= 1
                    continue
                case 408, 409, 429, 500...599:
                    lastProblem = "HTTP \(response.status)\(Self.serverMessage(response.body).map { ": \($0)" } ?? "")"
                    delay = response.headers["retry-after"].flatMap(Self.retryAfter) ?? backoff(attempt)
                default:
                    let message = Self.serverMessage(response.body) ?? String(decoding: response.body.prefix(300), as: UTF8.self)
                    throw Refusal(status: response.status, message: redact("HTTP \(response.status): \(message)"))
                }
            } catch let error as TransportError {
                lastProblem = error.message
                guard error.retryable else { break }
                delay = backoff(attempt)
            }
            if attempt < settings.maxAttempts, let delay { sleep(min(delay, Self.maximumDelay)) }
        }
        throw C2VError(.buildFailed, redact("\(role) request to \(settings.endpoint) failed after \(usage.attempts) attempt\(usage.attempts == 1 ? "" : "s"): \(lastProblem)"))
    }

    /// 0.5 s, 1 s, 2 s, ... plus up to 25% jitter, so parallel sections do not retry in lockstep.
    func backoff(_ attempt: Int) -> Double {
        let base = 0.5 * pow(2, Double(attempt - 1))
        return base + Double.random(in: 0..<(base * 0.25))
    }

    /// Removes the API key from any text a server sent back.
    func redact(_ text: String) -> String {
        guard let key = settings.apiKey, key.count >= 4 else { return text }
        return text.replacingOccurrences(of: key, with: "[redacted]")
    }

    /// `Retry-After`: seconds, or an HTTP date.
    static func retryAfter(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    static func serverMessage(_ body: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
        if let message = object["error"] as? String { return message }
        return nil
    }
}

/// The payload of a reply that may be wrapped in prose or a Markdown fence.
public enum ReplyPayload {
    /// The first fenced block (```yaml, ```json or bare), else the text from the first `{` to the last `}` for
    /// JSON, else the whole text.
    public static func extract(_ reply: String, json: Bool) -> String {
        // An opening fence may follow prose on its line ("Sure! ```yaml"); its block starts on the next line.
        if let open = reply.range(of: "```") {
            let start = reply[open.upperBound...].firstIndex(of: "\n").map { reply.index(after: $0) } ?? reply.endIndex
            let close = reply.range(of: "```", range: start..<reply.endIndex)?.lowerBound ?? reply.endIndex
            var block = String(reply[start..<close])
            if block.hasSuffix("\n") { block.removeLast() }
            return block
        }
        if json, let first = reply.firstIndex(of: "{"), let last = reply.lastIndex(of: "}"), first < last {
            return String(reply[first...last])
        }
        return reply
    }
}
