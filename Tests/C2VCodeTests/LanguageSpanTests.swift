import C2VCode
import Testing

/// A span of ASCII text, where Characters and UTF-8 bytes count alike.
func ascii(_ line: Int, _ start: Int, _ length: Int, _ role: CodeRole) -> CodeSpan {
    CodeSpan(line: line, start: start, length: length, role: role, utf8Start: start, utf8Length: length)
}

/// The role the highlighter gave the Character at `column` of `line`.
func role(_ spans: [[CodeSpan]], line: Int, column: Int) -> CodeRole? {
    spans[line].first { $0.range.contains(column) }?.role
}

/// Every line is covered from its first Character to its last, by spans whose neighbours
/// differ in role, and each span's Character and UTF-8 ranges name the same text.
func expectCoverage(_ code: String, _ spans: [[CodeSpan]], sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = CodeHighlighter.lines(of: code)
    #expect(spans.count == lines.count, sourceLocation: sourceLocation)
    for (index, (line, lineSpans)) in zip(lines, spans).enumerated() {
        var column = 0, byte = 0
        var previous: CodeRole?
        let characters = Array(line), bytes = Array(line.utf8)
        for span in lineSpans {
            #expect(span.line == index && span.start == column && span.utf8Start == byte && span.length > 0,
                    "line \(index): \(span)", sourceLocation: sourceLocation)
            #expect(span.role != previous, "line \(index): two \(span.role) spans side by side", sourceLocation: sourceLocation)
            guard span.range.upperBound <= characters.count, span.utf8Range.upperBound <= bytes.count else {
                Issue.record("line \(index): \(span) runs past the line", sourceLocation: sourceLocation)
                return
            }
            #expect(String(characters[span.range]) == String(decoding: bytes[span.utf8Range], as: UTF8.self),
                    "line \(index): \(span)", sourceLocation: sourceLocation)
            column = span.range.upperBound
            byte = span.utf8Range.upperBound
            previous = span.role
        }
        #expect(column == characters.count && byte == bytes.count, "line \(index) is not covered", sourceLocation: sourceLocation)
    }
}

@Suite struct LanguageSpanTests {
    @Test func python() throws {
        let code = """
            import math
            def area(r):
                # a comment
                s = "radius"
                return 3.14159 * r ** 2
            x = True if y else None

            """
        let spans = try CodeHighlighter.highlight(code, language: "python")
        expectCoverage(code, spans)
        #expect(spans[0].first == ascii(0, 0, 6, .preprocessor))
        #expect(spans[1].contains(ascii(1, 0, 3, .keyword)))
        #expect(spans[1].contains(ascii(1, 4, 4, .function)))
        #expect(spans[2].contains(ascii(2, 4, 11, .comment)))
        #expect(spans[3].contains(ascii(3, 8, 8, .string)))
        #expect(spans[4].contains(ascii(4, 4, 6, .keyword)))
        #expect(spans[4].contains(ascii(4, 11, 7, .number)))
        #expect(spans[4].contains(ascii(4, 26, 1, .number)))
        // Python 3's constants, which the library's own definition does not know.
        #expect(spans[5].contains(ascii(5, 4, 4, .keyword)))
        #expect(spans[5].contains(ascii(5, 19, 4, .keyword)))
    }

    @Test func c() throws {
        let code = """
            #include <stdio.h>
            int main(void) {
                printf("%d\\n", 42); /* answer */
                return 0;
            }
            """
        let spans = try CodeHighlighter.highlight(code, language: "c")
        expectCoverage(code, spans)
        #expect(spans[0] == [ascii(0, 0, 8, .preprocessor), ascii(0, 8, 1, .plain), ascii(0, 9, 9, .string)])
        #expect(spans[1].contains(ascii(1, 0, 3, .type)))
        #expect(spans[1].contains(ascii(1, 4, 4, .function)))
        #expect(spans[1].contains(ascii(1, 9, 4, .type)))
        #expect(spans[2].contains(ascii(2, 4, 6, .function)))
        // The escape inside the string is part of the string.
        #expect(spans[2].contains(ascii(2, 11, 6, .string)))
        #expect(spans[2].contains(ascii(2, 19, 2, .number)))
        #expect(spans[2].last == ascii(2, 24, 12, .comment))
        #expect(spans[3].contains(ascii(3, 4, 6, .keyword)))
        #expect(spans[3].contains(ascii(3, 11, 1, .number)))
        #expect(spans[4] == [ascii(4, 0, 1, .symbol)])
    }

    @Test func swift() throws {
        let code = #"""
            import Foundation
            struct Circle {
                let radius = 2.5 // metres
                func area() -> Double { return .pi * radius * radius }
                var label: String { "r = \(radius)" }
            }
            """#
        let spans = try CodeHighlighter.highlight(code, language: "swift")
        expectCoverage(code, spans)
        #expect(spans[0] == [ascii(0, 0, 6, .preprocessor), ascii(0, 6, 1, .plain), ascii(0, 7, 10, .type)])
        #expect(spans[1].contains(ascii(1, 0, 6, .keyword)))
        #expect(spans[1].contains(ascii(1, 7, 6, .type)))
        #expect(spans[2].contains(ascii(2, 4, 3, .keyword)))
        #expect(spans[2].contains(ascii(2, 17, 3, .number)))
        #expect(spans[2].last == ascii(2, 21, 9, .comment))
        #expect(spans[3].contains(ascii(3, 4, 4, .keyword)))
        #expect(spans[3].contains(ascii(3, 9, 4, .function)))
        #expect(spans[3].contains(ascii(3, 19, 6, .type)))
        #expect(spans[3].contains(ascii(3, 28, 6, .keyword)))
        // An interpolation stays inside its string.
        #expect(spans[4].contains(ascii(4, 15, 6, .type)))
        #expect(spans[4].contains(ascii(4, 24, 15, .string)))
    }

    @Test func swiftNumbersAttributesAndClosureArguments() throws {
        let code = "@MainActor let big = 1_000_000, mask = 0b1010\nlet twice = xs.map { $0 * 2 }\n"
        let spans = try CodeHighlighter.highlight(code, language: "swift")
        expectCoverage(code, spans)
        #expect(spans[0].first == ascii(0, 0, 10, .keyword))
        #expect(spans[0].contains(ascii(0, 21, 9, .number)))
        #expect(spans[0].contains(ascii(0, 39, 6, .number)))
        #expect(role(spans, line: 1, column: 22) == .plain)
        #expect(spans[1].contains(ascii(1, 26, 1, .number)))
    }

    @Test func javascript() throws {
        let code = """
            // Sum of squares
            function sumSquares(xs) {
              let total = 0;
              for (const x of xs) total += x * x;
              return `total: ${total}`;
            }
            """
        let spans = try CodeHighlighter.highlight(code, language: "javascript")
        expectCoverage(code, spans)
        #expect(spans[0] == [ascii(0, 0, 17, .comment)])
        #expect(spans[1].contains(ascii(1, 0, 8, .keyword)))
        #expect(spans[1].contains(ascii(1, 9, 10, .function)))
        // ECMAScript 2015's keywords and template literals, which the library's own definition lacks.
        #expect(spans[2].contains(ascii(2, 2, 3, .keyword)))
        #expect(spans[2].contains(ascii(2, 14, 1, .number)))
        #expect(spans[3].contains(ascii(3, 7, 5, .keyword)))
        #expect(spans[3].contains(ascii(3, 15, 2, .keyword)))
        #expect(spans[4].contains(ascii(4, 2, 6, .keyword)))
        #expect(spans[4].contains(ascii(4, 9, 17, .string)))
    }

    @Test func javascriptDivisionAndRegularExpressions() throws {
        let spans = try CodeHighlighter.highlight("let r = /ab+c/g, half = n / 2;", language: "js")
        #expect(spans[0].contains(ascii(0, 8, 7, .string)))
        #expect(spans[0].contains(ascii(0, 26, 1, .symbol)))
        #expect(spans[0].contains(ascii(0, 28, 1, .number)))
    }

    /// Every language loads its definition and finds a keyword where one is.
    @Test(arguments: [
        ("bash", "if [ -f x ]; then echo hi; fi", 0, 2),
        ("c", "return 0;", 0, 6),
        ("cpp", "class Shape {};", 0, 5),
        ("csharp", "public class A {}", 0, 6),
        ("go", "func main() {}", 0, 4),
        ("haskell", "module Main where", 0, 6),
        ("java", "public class A {}", 0, 6),
        ("javascript", "const a = 1;", 0, 5),
        ("lua", "local x = 1", 0, 5),
        ("python", "def f(): pass", 0, 3),
        ("ruby", "def f; end", 0, 3),
        ("rust", "fn main() {}", 0, 2),
        ("scala", "object Main", 0, 6),
        ("sql", "SELECT name FROM people;", 0, 6),
        ("swift", "func f() {}", 0, 4),
    ])
    func everyLanguageFindsAKeyword(language: String, code: String, start: Int, length: Int) throws {
        let spans = try CodeHighlighter.highlight(code, language: language)
        expectCoverage(code, spans)
        #expect(spans[0].first == ascii(0, start, length, .keyword))
    }

    @Test func languagesAreTheOnesTested() {
        #expect(CodeHighlighter.languages == [
            "bash", "c", "cpp", "csharp", "go", "haskell", "java", "javascript", "lua", "python", "ruby", "rust", "scala",
            "sql", "swift",
        ])
    }

    @Test func multiLineCommentsAndStringsKeepTheirLines() throws {
        let c = "int a; /* one\ntwo\nthree */ int b = 1;\n"
        let cSpans = try CodeHighlighter.highlight(c, language: "c")
        expectCoverage(c, cSpans)
        #expect(cSpans[0] == [ascii(0, 0, 3, .type), ascii(0, 3, 2, .plain), ascii(0, 5, 1, .symbol), ascii(0, 6, 1, .plain),
                              ascii(0, 7, 6, .comment)])
        #expect(cSpans[1] == [ascii(1, 0, 3, .comment)])
        #expect(cSpans[2].first == ascii(2, 0, 8, .comment))
        #expect(cSpans[2].contains(ascii(2, 9, 3, .type)))
        #expect(cSpans[2].contains(ascii(2, 17, 1, .number)))

        let python = "s = \"\"\"first\nsecond\"\"\" + 'x'\nn = 1\n"
        let pySpans = try CodeHighlighter.highlight(python, language: "python")
        expectCoverage(python, pySpans)
        #expect(role(pySpans, line: 0, column: 0) == .plain)
        #expect((4..<12).allSatisfy { role(pySpans, line: 0, column: $0) == .string })
        #expect(pySpans[1].first == ascii(1, 0, 9, .string))
        #expect(pySpans[1].contains(ascii(1, 10, 1, .symbol)))
        #expect(pySpans[1].contains(ascii(1, 12, 3, .string)))
        #expect(pySpans[2].contains(ascii(2, 4, 1, .number)))

        let swift = "let t = \"\"\"\n    hi // not a comment, 42\n    \"\"\"\nlet u = /* a /* nested */ one */ 2\n"
        let swiftSpans = try CodeHighlighter.highlight(swift, language: "swift")
        expectCoverage(swift, swiftSpans)
        #expect(swiftSpans[0].last == ascii(0, 8, 3, .string))
        #expect(swiftSpans[1] == [ascii(1, 0, 27, .string)])
        #expect(swiftSpans[2] == [ascii(2, 0, 7, .string)])
        #expect(swiftSpans[3].contains(ascii(3, 8, 24, .comment)))
        #expect(swiftSpans[3].last == ascii(3, 33, 1, .number))
    }

    @Test func tagsInsideCommentsAreComment() throws {
        let code = "/** @param x <b>bold</b> see http://example.org TODO */ int y;"
        let spans = try CodeHighlighter.highlight(code, language: "c")
        #expect(spans[0].first == ascii(0, 0, 55, .comment))
        #expect(spans[0].contains(ascii(0, 56, 3, .type)))
    }

    @Test func nonASCIIKeepsCharacterAndByteOffsets() throws {
        // "café" is written with a combining accent: five scalars, four Characters, six bytes.
        let code = "let cafe\u{301} = \"naïve 🙂\" // 😀 done\nlet x = 1\u{301}\n"
        let spans = try CodeHighlighter.highlight(code, language: "swift")
        expectCoverage(code, spans)
        #expect(spans[0].contains(CodeSpan(line: 0, start: 0, length: 3, role: .keyword, utf8Start: 0, utf8Length: 3)))
        #expect(spans[0].contains(CodeSpan(line: 0, start: 11, length: 9, role: .string, utf8Start: 13, utf8Length: 13)))
        #expect(spans[0].last == CodeSpan(line: 0, start: 21, length: 9, role: .comment, utf8Start: 27, utf8Length: 12))
        // The library ends the number before the accent; the Character it belongs to stays whole.
        #expect(spans[1].last == CodeSpan(line: 1, start: 8, length: 1, role: .number, utf8Start: 8, utf8Length: 3))

        let python = "print(\"Grüße\", 'π')  # ½ ≈ 0.5\n"
        let pySpans = try CodeHighlighter.highlight(python, language: "python")
        expectCoverage(python, pySpans)
        #expect(pySpans[0].contains(CodeSpan(line: 0, start: 6, length: 7, role: .string, utf8Start: 6, utf8Length: 9)))
        #expect(pySpans[0].contains(CodeSpan(line: 0, start: 15, length: 3, role: .string, utf8Start: 17, utf8Length: 4)))
        #expect(pySpans[0].last == CodeSpan(line: 0, start: 21, length: 9, role: .comment, utf8Start: 24, utf8Length: 12))
    }
}
