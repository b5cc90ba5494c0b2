import Foundation
import Testing
@testable import C2VAgents

@Suite struct ChatDialectTests {
    @Test("Reasoning models are known by family, behind a provider prefix too")
    func reasoningModels() {
        for model in ["o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "openai/o3", "azure/gpt-5-nano"] {
            #expect(ChatDialect.isReasoningModel(model), "\(model)")
        }
        for model in ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "llama3.1:8b", "qwen2.5-coder", "openrouter/openai/gpt-4o", "omni-x"] {
            #expect(!ChatDialect.isReasoningModel(model), "\(model)")
        }
    }

    @Test("<think> blocks go, closed or not; the rest stays")
    func thinking() {
        #expect(ChatDialect.withoutThinking("<think>```yaml\nx: [\n```</think>\n```yaml\ny: 1\n```") == "```yaml\ny: 1\n```")
        #expect(ChatDialect.withoutThinking("answer <think>and then I ran out") == "answer")
        #expect(ChatDialect.withoutThinking("plain") == "plain")
    }

    @Test("Consecutive messages of one role become one")
    func mergedRoles() {
        let merged = ChatDialect.merged([ChatMessage(role: "system", content: "s"), ChatMessage(role: "user", content: "a"),
                                         ChatMessage(role: "user", content: "b"), ChatMessage(role: "assistant", content: "c"),
                                         ChatMessage(role: "user", content: "d")])
        #expect(merged.map(\.role) == ["system", "user", "assistant", "user"])
        #expect(merged[1].content == "a\n\nb")
    }

    @Test("A 400 names the parameter to change")
    func adaptations() {
        #expect(RequestAdaptation.from("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.") == .completionTokens)
        #expect(RequestAdaptation.from("litellm.UnsupportedParamsError: openai does not support parameters: ['response_format']") == .noResponseFormat)
        #expect(RequestAdaptation.from("Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.") == .defaultTemperature)
        #expect(RequestAdaptation.from("Invalid API key") == nil)
    }

    @Test("Reply shapes: parts, tool calls, legacy text, streams, error bodies")
    func shapes() throws {
        func read(_ object: Any) throws -> ReplyReading { ChatDialect.read(try JSONSerialization.data(withJSONObject: object)) }
        guard case .answer(let parts) = try read(["choices": [["message": ["content": [["type": "text", "text": "a"], ["type": "text", "text": "b"]]]]]]) else {
            Issue.record("parts"); return
        }
        #expect(parts.text == "ab" && parts.tokensIn == nil)
        guard case .answer(let called) = try read(["choices": [["message": ["content": "", "tool_calls": [["function": ["name": "f", "arguments": "{}"]]]]]]]) else {
            Issue.record("tool call with empty content"); return
        }
        #expect(called.text == "{}")
        guard case .refused(let why) = try read(["error": ["message": "quota"]]) else { Issue.record("error body"); return }
        #expect(why.contains("quota"))
        guard case .answer(let reasoning) = try read(["choices": [["message": ["content": NSNull(), "reasoning_content": "abc"], "finish_reason": "length"]]]) else {
            Issue.record("reasoning"); return
        }
        #expect(reasoning.text.isEmpty && reasoning.reasoningCharacters == 3 && reasoning.finishReason == "length")
        let stream = "data: {\"choices\":[{\"delta\":{\"content\":\"he\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"llo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        guard case .answer(let streamed) = ChatDialect.read(Data(stream.utf8)) else { Issue.record("stream"); return }
        #expect(streamed.text == "hello" && streamed.finishReason == "stop")
        #expect(ChatDialect.read(Data("{\"choices\": [".utf8)) == .malformed("the reply was not a chat completion (13 bytes of malformed or truncated JSON)"))
    }

    @Test("Ollama endpoints are told how to raise num_ctx; a count far below what was sent says truncated")
    func contextWarnings() {
        let ollama = OpenAIClient.contextWarnings(sent: 14_000, counted: nil, endpoint: "http://localhost:11434/v1")
        #expect(ollama.first?.contains("OLLAMA_CONTEXT_LENGTH") == true, "\(ollama)")
        let cut = OpenAIClient.contextWarnings(sent: 14_000, counted: 2048, endpoint: "http://gpu-box:8000/v1")
        #expect(cut.first?.hasPrefix("the server counted 2048 prompt tokens for about 4517 sent") == true, "\(cut)")
        #expect(OpenAIClient.contextWarnings(sent: 14_000, counted: 4300, endpoint: "http://gpu-box:8000/v1").isEmpty)
        #expect(OpenAIClient.contextWarnings(sent: 1000, counted: 100, endpoint: "http://gpu-box:8000/v1").isEmpty, "short prompts are never called cut")
    }
}
