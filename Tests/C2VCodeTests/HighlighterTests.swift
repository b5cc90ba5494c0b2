import C2VCode
import C2VUtil
import Dispatch
import Testing

@Suite struct HighlighterTests {
    func error(_ body: () throws -> Any) -> C2VError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? C2VError
        }
    }

    @Test func unknownLanguageNamesTheValidOnes() throws {
        let misspelt = try #require(error { try CodeHighlighter.highlight("x = 1", language: "pyhton") })
        #expect(misspelt.code == .invalidInput)
        #expect(misspelt.message.hasPrefix("unknown code language `pyhton`; did you mean `python`?"))
        for name in ["c", "javascript", "python", "swift"] { #expect(misspelt.message.contains(name)) }
        #expect(misspelt.message.hasSuffix("the languages are \(CodeHighlighter.languages.joined(separator: ", "))"))

        let cased = try #require(error { try CodeHighlighter.canonicalLanguage("Swift") })
        #expect(cased.message.contains("did you mean `swift`?"))
        let far = try #require(error { try CodeHighlighter.highlight("", language: "cobol") })
        #expect(!far.message.contains("did you mean"))
        #expect(far.message.contains("swift"))
    }

    @Test func aliasesNameTheSameLanguage() throws {
        #expect(try CodeHighlighter.canonicalLanguage("py") == "python")
        #expect(try CodeHighlighter.canonicalLanguage("js") == "javascript")
        #expect(try CodeHighlighter.canonicalLanguage("c++") == "cpp")
        #expect(try CodeHighlighter.canonicalLanguage("sh") == "bash")
        #expect(try CodeHighlighter.canonicalLanguage("swift") == "swift")
        let code = "for (let i = 0; i < 3; i++) {}"
        #expect(try CodeHighlighter.highlight(code, language: "js") == CodeHighlighter.highlight(code, language: "javascript"))
    }

    @Test func longInputIsRefused() throws {
        let most = String(repeating: "x = 1\n", count: CodeHighlighter.maximumLines)
        #expect(try CodeHighlighter.highlight(most, language: "python").count == 200)
        let tooMany = try #require(error { try CodeHighlighter.highlight(most + "y = 2\n", language: "python") })
        #expect(tooMany.code == .invalidInput)
        #expect(tooMany.message.contains("at most 200 lines; this one has 201"))

        // The bound counts Characters, not bytes: 20,000 two-byte letters fit.
        let wide = String(repeating: "é", count: CodeHighlighter.maximumCharacters)
        #expect(try CodeHighlighter.highlight(wide, language: "c")[0] == [
            CodeSpan(line: 0, start: 0, length: 20_000, role: .plain, utf8Start: 0, utf8Length: 40_000),
        ])
        let tooLong = try #require(error { try CodeHighlighter.highlight(wide + "e", language: "c") })
        #expect(tooLong.code == .invalidInput)
        #expect(tooLong.message.contains("at most 20000 characters; this one has 20001"))
    }

    @Test func linesAreSplitLikeATextFile() throws {
        #expect(CodeHighlighter.lines(of: "") == [])
        #expect(CodeHighlighter.lines(of: "a") == ["a"])
        #expect(CodeHighlighter.lines(of: "a\n") == ["a"])
        #expect(CodeHighlighter.lines(of: "a\n\n") == ["a", ""])
        #expect(CodeHighlighter.lines(of: "a\r\nb\rc\n\td") == ["a", "b", "c", "\td"])
        #expect(try CodeHighlighter.highlight("", language: "c") == [])
        let spans = try CodeHighlighter.highlight("int a;\r\n\r\n\treturn 1;\r\n", language: "c")
        #expect(spans.count == 3)
        #expect(spans[0].first == ascii(0, 0, 3, .type))
        #expect(spans[1] == [])
        #expect(spans[2].contains(ascii(2, 1, 6, .keyword)))
    }

    @Test func aCodeBlockDoesNotChangeTheNext() throws {
        // An unclosed comment ends with its block: highlighting starts afresh every call.
        _ = try CodeHighlighter.highlight("/* never closed\nstill", language: "c")
        #expect(try CodeHighlighter.highlight("return 1;", language: "c")[0].first == ascii(0, 0, 6, .keyword))
    }

    static let sample = """
        #include <stdio.h>

        /* Prints the first n squares. */
        static void squares(int n) {
            for (int i = 0; i < n; i++) {
                printf("%d squared is %d\\n", i, i * i); // one line each
            }
        }

        """

    /// The same block gives the same spans whatever else runs at the same time.
    @Test func concurrentCallsAgreeWithOneAtATime() async throws {
        let languages = ["c", "python", "swift", "javascript"]
        var expected: [String: [[CodeSpan]]] = [:]
        for language in languages { expected[language] = try CodeHighlighter.highlight(Self.sample, language: language) }
        let results = try await withThrowingTaskGroup(of: (String, [[CodeSpan]]).self) { group in
            for i in 0..<64 {
                let language = languages[i % languages.count]
                group.addTask { (language, try CodeHighlighter.highlight(Self.sample, language: language)) }
            }
            var all: [(String, [[CodeSpan]])] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 64)
        for (language, spans) in results { #expect(spans == expected[language], "\(language)") }
    }

    @Test func aFortyLineBlockTakesWellUnderTenMilliseconds() throws {
        let block = String(repeating: Self.sample, count: 5)
        #expect(CodeHighlighter.lines(of: block).count == 40)
        for language in ["c", "python", "swift", "javascript"] {
            _ = try CodeHighlighter.highlight(block, language: language)
            // The fastest of several runs: other work on a shared machine only ever adds time.
            var milliseconds = Double.infinity
            for _ in 0..<20 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try CodeHighlighter.highlight(block, language: language)
                milliseconds = min(milliseconds, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            print("\(language): a 40-line block in \(milliseconds) ms")
            #expect(milliseconds < 10, "\(language): \(milliseconds) ms")
        }
    }

    @Test func versionsNameTheLibrary() {
        #expect(CodeHighlighter.libraryVersion.hasPrefix("GNU source-highlight 3."))
        #expect(CodeHighlighter.component == ComponentVersion("code.highlighter", 1))
    }
}
