import C2VUtil
import Foundation
import Synchronization

/// What a chat-completions reply carried, read from whichever dialect the server speaks.
struct ChatReply: Sendable, Equatable {
    var text: String
    /// As the server reported them; nil when it reported none.
    var tokensIn: Int?
    var tokensOut: Int?
    var finishReason: String?
    /// Characters of reasoning the server returned beside the answer (`reasoning_content`,
    /// `reasoning`): a reasoning model that ran out of tokens leaves only these.
    var reasoningCharacters = 0
}

/// How reading a reply went: an answer, a reply that would fail the same way if asked again
/// (so it is not retried, and not billed four times), or one that looks cut off in transit.
enum ReplyReading: Equatable {
    case answer(ChatReply)
    case refused(String)
    case malformed(String)
}

/// The dialects of OpenAI-compatible servers: reply shapes, request parameters that some models
/// refuse, and the messages templates accept.
enum ChatDialect {
    /// Reads a reply body: `choices[].message.content` as text or as a list of parts,
    /// `tool_calls` arguments when `content` is null, legacy `choices[].text`, a server-sent
    /// event stream, and a 200 whose body is an `{"error": ...}`.
    static func read(_ body: Data) -> ReplyReading {
        let text = String(decoding: body.prefix(16), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("data:") { return readStream(body) }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return .malformed("the reply was not a chat completion (\(body.count) bytes of malformed or truncated JSON)")
        }
        if let error = object["error"] {
            let message = (error as? [String: Any])?["message"] as? String ?? (error as? String) ?? "\(error)"
            return .refused("the server answered HTTP 200 with an error: \(message)")
        }
        guard let choices = object["choices"] as? [[String: Any]] else {
            let keys = object.keys.sorted().joined(separator: ", ")
            return .refused("the reply has no `choices` (it has: \(keys.isEmpty ? "nothing" : keys)); is base_url an OpenAI-compatible /v1 endpoint?")
        }
        guard let first = choices.first else { return .refused("the reply has an empty `choices` list") }
        let usage = object["usage"] as? [String: Any]
        var reply = ChatReply(text: "", tokensIn: usage?["prompt_tokens"] as? Int, tokensOut: usage?["completion_tokens"] as? Int,
                              finishReason: first["finish_reason"] as? String)
        if let message = first["message"] as? [String: Any] {
            reply.reasoningCharacters = ((message["reasoning_content"] as? String) ?? (message["reasoning"] as? String) ?? "").count
            let calls = message["tool_calls"] as? [[String: Any]]
            let arguments = (calls?.first?["function"] as? [String: Any])?["arguments"] as? String
            if let content = message["content"] as? String, !content.isEmpty || arguments == nil {
                reply.text = content
            } else if let parts = message["content"] as? [[String: Any]] {
                reply.text = parts.compactMap { part in
                    (part["type"] as? String).map { $0 == "text" || $0 == "output_text" } ?? true ? part["text"] as? String : nil
                }.joined()
            } else if let arguments {
                // A server that answers through a tool call carries the JSON in its arguments
                // (with `content` null, or empty).
                reply.text = arguments
            } else if message["refusal"] is String {
                return .refused("the model refused: \(message["refusal"] as! String)")
            }
        } else if let legacy = first["text"] as? String {
            reply.text = legacy
        } else {
            return .refused("the reply's first choice has neither `message` nor `text`")
        }
        return .answer(reply)
    }

    /// `data: {...}` lines of a stream, their `delta.content` joined.
    static func readStream(_ body: Data) -> ReplyReading {
        var reply = ChatReply(text: "")
        var chunks = 0
        for line in String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline) {
            guard line.hasPrefix("data:") else { continue }
            let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            if payload == "[DONE]" { break }
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else {
                return .malformed("a chunk of the reply's event stream is not JSON")
            }
            if let error = object["error"] {
                return .refused("the server's event stream carried an error: \((error as? [String: Any])?["message"] as? String ?? "\(error)")")
            }
            chunks += 1
            if let usage = object["usage"] as? [String: Any] {
                reply.tokensIn = usage["prompt_tokens"] as? Int ?? reply.tokensIn
                reply.tokensOut = usage["completion_tokens"] as? Int ?? reply.tokensOut
            }
            guard let choice = (object["choices"] as? [[String: Any]])?.first else { continue }
            if let delta = choice["delta"] as? [String: Any] {
                reply.text += delta["content"] as? String ?? ""
                reply.reasoningCharacters += ((delta["reasoning_content"] as? String) ?? (delta["reasoning"] as? String) ?? "").count
            }
            if let reason = choice["finish_reason"] as? String { reply.finishReason = reason }
        }
        return chunks == 0 ? .malformed("the reply's event stream held no chunks") : .answer(reply)
    }

    /// The text without a reasoning model's `<think>...</think>` (or an unclosed one that ran
    /// to the end), so no fence inside the thinking is taken for the answer.
    static func withoutThinking(_ text: String) -> String {
        var result = text
        while let open = result.range(of: "<think>") {
            if let close = result.range(of: "</think>", range: open.upperBound..<result.endIndex) {
                result.removeSubrange(open.lowerBound..<close.upperBound)
            } else {
                result.removeSubrange(open.lowerBound..<result.endIndex)
            }
        }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Consecutive messages of one role merged into one, for chat templates that require roles
    /// to alternate (vLLM's, among others, answer 400 to `[system, user, user]`).
    static func merged(_ messages: [ChatMessage]) -> [ChatMessage] {
        var result: [ChatMessage] = []
        for message in messages {
            if var last = result.last, last.role == message.role {
                last.content += "\n\n" + message.content
                last.images += message.images
                result[result.count - 1] = last
            } else {
                result.append(message)
            }
        }
        return result
    }

    /// Tokens of a text when the server reports none: about 3.1 characters each for English
    /// prose and YAML under cl100k (4 undercounts by about 28%).
    static func estimatedTokens(_ characters: Int) -> Int { max(1, Int((Double(characters) / 3.1).rounded(.up))) }

    /// Models that take `max_completion_tokens` and only the default temperature: OpenAI's
    /// reasoning models (o1, o3, o4-mini, ...) and gpt-5, also behind a `provider/` prefix.
    static func isReasoningModel(_ model: String) -> Bool {
        let name = model.split(separator: "/").last.map(String.init)?.lowercased() ?? model.lowercased()
        if name.hasPrefix("gpt-5") { return true }
        guard name.first == "o", let second = name.dropFirst().first else { return false }
        return second.isNumber
    }
}

/// A request parameter a server turned down, as its 400 said.
enum RequestAdaptation: String, Sendable, CaseIterable {
    /// `max_tokens` is refused: send `max_completion_tokens`.
    case completionTokens
    /// A non-default `temperature` is refused: leave it out.
    case defaultTemperature
    /// `response_format` is refused: leave it out (the reply's JSON is still extracted and checked).
    case noResponseFormat

    /// What a 400's message asks for, if it names a parameter c2v can change.
    static func from(_ message: String) -> RequestAdaptation? {
        let m = message.lowercased()
        if m.contains("max_completion_tokens") || (m.contains("max_tokens") && m.contains("not supported")) { return .completionTokens }
        if m.contains("response_format") { return .noResponseFormat }
        if m.contains("temperature") { return .defaultTemperature }
        return nil
    }

    var description: String {
        switch self {
        case .completionTokens: "sends max_completion_tokens instead of max_tokens"
        case .defaultTemperature: "leaves temperature at the model's default"
        case .noResponseFormat: "sends no response_format"
        }
    }
}

/// The adaptations learned from one server's 400s for one model, kept for the rest of the
/// process so that later calls (every role, every section) do not pay for the same refusal.
final class DialectMemory: Sendable {
    private let learned = Mutex<Set<RequestAdaptation>>([])
    private static let all = Mutex<[String: DialectMemory]>([:])

    /// The memory of `model` at `endpoint`.
    static func shared(endpoint: String, model: String) -> DialectMemory {
        all.withLock { memories in
            let key = endpoint + "\u{0}" + model
            if let known = memories[key] { return known }
            let fresh = DialectMemory()
            memories[key] = fresh
            return fresh
        }
    }

    func contains(_ a: RequestAdaptation) -> Bool { learned.withLock { $0.contains(a) } }
    /// True when it is new.
    func learn(_ a: RequestAdaptation) -> Bool { learned.withLock { $0.insert(a).inserted } }
}
