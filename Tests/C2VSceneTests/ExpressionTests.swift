import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

@Suite struct ExpressionTests {
    func value(_ text: String, x: Double = 0) throws -> Double {
        try MathExpression(text, variables: ["x"]).evaluate(x)
    }

    @Test func arithmeticAndPrecedence() throws {
        #expect(try value("1 + 2 * 3") == 7)
        #expect(try value("(1 + 2) * 3") == 9)
        #expect(try value("2 ^ 3 ^ 2") == 512)  // right-associative
        #expect(try value("-2 ^ 2") == -4)
        #expect(try value("7 % 4") == 3)
        #expect(try value("10 / 4") == 2.5)
        #expect(try value("1.5e2 + .5") == 150.5)
    }

    @Test func functionsConstantsAndVariables() throws {
        #expect(abs(try value("sin(pi / 2)") - 1) < 1e-12)
        #expect(abs(try value("tau") - 2 * .pi) < 1e-12)
        #expect(try value("max(x, 3) + min(x, 3)", x: 5) == 8)
        #expect(try value("atan2(0, -1)") == .pi)
        #expect(try value("sign(-3) + abs(-3) + floor(2.7) + ceil(2.1) + round(2.5)") == -1 + 3 + 2 + 3 + 3)
        #expect(abs(try value("exp(log(x))", x: 4) - 4) < 1e-12)
    }

    @Test func comparisonsAndConditional() throws {
        #expect(try value("x > 0 ? 1 : -1", x: 2) == 1)
        #expect(try value("x > 0 ? 1 : -1", x: -2) == -1)
        #expect(try value("x >= 1 && x <= 2", x: 1.5) == 1)
        #expect(try value("x < 1 || x == 5", x: 5) == 1)
        #expect(try value("x != 5", x: 5) == 0)
    }

    @Test func sumOverARangeWithItsOwnVariable() throws {
        #expect(try value("sum(k, 1, 4, k)") == 10)
        // Partial sum of the square wave's series at x = pi/2: 4/pi * (1 - 1/3 + 1/5 - ...).
        let s = try value("4/pi * sum(k, 0, 200, sin((2*k+1)*x)/(2*k+1))", x: .pi / 2)
        #expect(abs(s - 1) < 0.01)
        #expect(try value("sum(k, 1, 3, sum(j, 1, k, 1))") == 6)
        #expect(try value("sum(k, 0, x, 1)", x: 100_000).isNaN)  // bounded work per evaluation
    }

    @Test func errorsCarryOffsetsAndSuggestions() {
        func failure(_ text: String) -> MathExpression.ParseError? {
            do { _ = try MathExpression(text, variables: ["x", "t"]); return nil } catch { return error }
        }
        #expect(failure("sin(x) + sinn(x)") == .init(offset: 9, message: "unknown function `sinn`; did you mean `sin`?"))
        #expect(failure("x + y")?.offset == 4)
        #expect(failure("x + y")?.message.hasPrefix("unknown name `y`") == true)
        #expect(failure("2 * (x + 1") == .init(offset: 10, message: "expected `)` to close `(`; found end of expression"))
        #expect(failure("max(x)") == .init(offset: 0, message: "`max` takes 2 arguments; found 1"))
        #expect(failure("x $ 2") == .init(offset: 2, message: "unexpected character `$`"))
        #expect(failure("x 2")?.offset == 2)
        #expect(failure("sum(1, 2, 3, 4)")?.message == "`sum` needs a variable name first: sum(k, 1, 10, expr)")
        #expect(failure("") == .init(offset: 0, message: "expected a number, a name or `(`; found end of expression"))
    }
}

@Suite struct GraphObjectTests {
    func parse(_ text: String) throws -> Scene {
        try SceneParser.parse(try YAMLReader.read(text, file: "g.yaml"), title: "T", lectureLines: ["One"], durationHint: 2)
    }

    @Test func graphWithRangeParses() throws {
        let scene = try parse("""
            objects:
              - {id: f, kind: graph, at: "A2:F5", y: "sin(x) + sin(3*x)/3", x: [-2*pi, 2*pi]}
            """)
        #expect(scene.objects[0].kind == .graph)
        #expect(scene.objects[0].expressions == ["sin(x) + sin(3*x)/3"])
        let domain = scene.objects[0].domain?.compactMap { Double($0.source) } ?? []
        #expect(domain.count == 2 && abs(domain[0] + 2 * .pi) < 1e-9 && abs(domain[1] - 2 * .pi) < 1e-9)
    }

    @Test func expressionErrorsPointIntoTheFile() throws {
        do {
            _ = try parse("""
                objects:
                  - {id: f, kind: graph, at: "A2:F5", y: "sin(x) + cos(z)"}
                """)
            Issue.record("expected an error")
        } catch let error as C2VError {
            #expect(error.location?.line == 2)
            #expect(error.location?.column == 56)  // the `z` inside the quoted expression
            #expect(error.message.hasPrefix("unknown name `z`"))
        }
    }

    @Test func undefinedPointsAreReportedNotDrawnAsNaN() throws {
        do {
            _ = try parse("""
                objects:
                  - id: f
                    kind: graph
                    at: A2:F5
                    y: sqrt(x)
                """)
            Issue.record("expected an error")
        } catch let error as C2VError {
            #expect(error.location?.line == 5)
            #expect(error.location?.column == 8)
            #expect(error.message.hasPrefix("`y` is undefined at x = -3.142"))
        }
    }
}
