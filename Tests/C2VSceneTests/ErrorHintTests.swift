import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// Errors that name the real mistake: TeX eaten by YAML's double quotes, a family index out of
/// range, the clock where a fixed value is needed, near-miss TeX commands.
@Suite struct ErrorHintTests {
    func error(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> C2VError? {
        singleSceneError(text, sourceLocation: sourceLocation)
    }

    @Test("TeX in double quotes loses its backslash commands to YAML escapes: an error saying to use single quotes")
    func texInDoubleQuotes() throws {
        let e = try #require(error("objects:\n  - {id: f, kind: math, at: B2, tex: \"a + \\frac{1}{2}\"}\n"))
        #expect(e.message.hasPrefix("`tex` holds a control character where `\\f` (as in \\frac) was read as a YAML escape"), "\(e.message)")
        #expect(e.message.contains("write TeX in single quotes"))
        #expect(e.location?.line == 2)
        let theta = try #require(error("objects:\n  - {id: f, kind: math, at: B2, tex: \"\\theta\"}\n"))
        #expect(theta.message.contains("`\\t` (as in \\theta)"))
        // Single quotes keep the backslashes, and parse.
        #expect(throws: Never.self) { try parseScene("objects:\n  - {id: f, kind: math, at: B2, tex: '\\frac{1}{2} \\theta'}\n") }
    }

    @Test("Near-miss TeX commands suggest the one in the same case; a \\mathid name missing its } says so")
    func texSuggestions() throws {
        let thet = try #require(error("objects:\n  - {id: f, kind: math, at: B2, tex: '\\thet + 1'}\n"))
        #expect(thet.message == "in formula: unknown command `\\thet`; did you mean `\\theta`?")
        let brace = try #require(error("objects:\n  - {id: f, kind: math, at: B2, tex: '\\mathid{re{\\cos\\theta}'}\n"))
        #expect(brace.message == "in formula: `\\mathid{re` is missing its `}`: close the name before the part, like \\mathid{re}{...}")
    }

    @Test("A family member past the end names the members there are")
    func familyIndex() throws {
        let e = try #require(error("objects:\n  - {id: p, kind: dot, at: C3, repeat: 3}\nsteps:\n  - {line: 0, do: fade_out, target: \"p[5]\"}\n"))
        #expect(e.message == "`target` names `p[5]`, but family `p` has members p[0] to p[2]")
        #expect(e.location?.line == 4)
    }

    @Test("The clock in a step value says why it is not there")
    func clockInFixedValue() throws {
        let e = try #require(error("objects:\n  - {id: d, kind: dot, at: C3}\nsteps:\n  - {line: 0, do: shift, target: d, by: [t, 0]}\n"))
        #expect(e.message.hasPrefix("`t` is not available in `by` x: it is fixed when the scene is read"), "\(e.message)")
        #expect(e.message.contains("do: animate"))
    }

    @Test("Suggestions prefer the candidate in the same case when two are equally close")
    func caseAwareSuggestion() {
        #expect(nearestMatch(to: "thet", in: ["Theta", "theta"]) == "theta")
        #expect(nearestMatch(to: "Thet", in: ["theta", "Theta"]) == "Theta")
    }
}
