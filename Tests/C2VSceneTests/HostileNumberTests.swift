import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// Numbers that once trapped, hung or exhausted c2v: each is now an error at its column, or
/// bounded where it is drawn.
@Suite struct HostileNumberTests {
    func error(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> (String, Int, Int)? {
        guard let e = singleSceneError(text, sourceLocation: sourceLocation) else { return nil }
        return (e.message, e.location?.line ?? 0, e.location?.column ?? 0)
    }

    @Test("A constant past its range is an error at the number, for every kind of key that once trapped",
          arguments: [
            ("- {id: c, kind: circle, at: B2, radius: 1e19}", "1e19", "`radius` is 1e+19; expected a number from 0 to 1000000"),
            ("- {id: d, kind: dot, at: [1e19, 5]}", "1e19", "`at` is 1e+19; expected a number between -1000000000 and 1000000000"),
            ("- {id: d, kind: dot, at: B2, offset: [5, -1e19]}", "-1e19", "`offset` is -1e+19; expected a number between -1000000000 and 1000000000"),
            ("- {id: l, kind: line, from: A1, to: B2, stroke: 1e19}", "1e19", "`stroke` is 1e+19; expected a number from 0 to 1000"),
            ("- {id: r, kind: rectangle, at: B2, size: [1e19, 10]}", "1e19", "`size` ([width, height]) is 1e+19; expected a number from 0 to 1000000"),
            ("- {id: t, kind: text, at: B2, text: hi, size: 1e19}", "1e19", "`size` is 1e+19; expected a number from 1 to 1000"),
            ("- {id: t, kind: text, at: B2, text: hi, size: -40}", "-40", "`size` is -40; expected a number from 1 to 1000"),
            ("- {id: t, kind: text, at: B2, text: hi, size: 0}", "0}", "`size` is 0; expected a number from 1 to 1000"),
            ("- {id: a, kind: arc, at: B2, radius: 50, angles: [0, 1e9]}", "1e9", "`angles` is 1000000000; expected a number between -1000000 and 1000000"),
            ("- {id: p, kind: polygon, points: [[0, 0], [1e300, 0], [0, 5]]}", "1e300", "a point of `points` is 1e+300; expected a number between -1000000000 and 1000000000"),
            ("- {id: p, kind: regular_polygon, at: B2, sides: 1e19}", "1e19", "`sides` is 1e+19; expected a number from 3 to 64"),
          ])
    func constantsOutOfRange(object: String, number: String, message: String) throws {
        guard let (text, line, col) = error("objects:\n  \(object)\n") else { return }
        #expect(text == message)
        let at = try #require(object.range(of: number))
        #expect(line == 2 && col == object.distance(from: object.startIndex, to: at.lowerBound) + 3, "at \(line):\(col)")
    }

    @Test("An axis range past the limit names each end, once")
    func axisRange() {
        let errors = sceneErrors("objects:\n  - {id: ax, kind: axes, at: 'A1:F4', x: [-1, 1], y: [-1e19, 1e19]}\n")
        #expect(errors.map(\.message) == ["`y` start is -1e+19; expected a number between -1000000000 and 1000000000",
                                          "`y` end is 1e+19; expected a number between -1000000000 and 1000000000"])
    }

    @Test("Step values past their range are errors at the step")
    func stepValues() {
        let shift = error("objects:\n  - {id: d, kind: dot, at: B2}\nsteps:\n  - {do: shift, target: d, by: [1e19, 0]}\n")
        #expect(shift?.0 == "`by` x is 1e+19; expected a number between -1000000000 and 1000000000")
        let scale = error("objects:\n  - {id: d, kind: dot, at: B2}\nsteps:\n  - {do: scale, target: d, factor: 1e19}\n")
        #expect(scale?.0 == "`factor` is 1e+19; expected a number from 0 to 100")
        let rotate = error("objects:\n  - {id: d, kind: dot, at: B2}\nsteps:\n  - {do: rotate, target: d, angle: 1e300}\n")
        #expect(rotate?.0 == "`angle` is 1e+300; expected a number between -1000000 and 1000000")
    }

    @Test("`repeat` past the object limit says so, however far past")
    func repeatCounts() {
        #expect(error("objects:\n  - {id: d, kind: dot, at: B2, repeat: 1000000}\n")?.0 == "`repeat` makes 1000000 objects; at most 2000 are allowed")
        #expect(error("objects:\n  - {id: d, kind: dot, at: B2, repeat: 100000}\n")?.0 == "`repeat` makes 100000 objects; at most 2000 are allowed")
        #expect(error("objects:\n  - {id: d, kind: dot, at: B2, repeat: 1e300}\n")?.0 == "`repeat` is 1e+300; expected a number between -1000000000 and 1000000000")
    }

    @Test("Sums are bounded when compiled: too many terms, or nested sums whose product is too large")
    func sumCost() throws {
        // Each case once took seconds to minutes (the nested one hung `--dry-run` and `c2v graph`).
        let graph = "objects:\n  - {id: ax, kind: axes, at: 'A1:F4', x: [-1, 1], y: [-1, 1]}\n  - {id: g, kind: graph, on: ax, y: '%@'}\n"
        let big = error(graph.replacingOccurrences(of: "%@", with: "sum(k,0,1e9,k)"))
        #expect(big?.0 == "`sum` from 0 to 1000000000 has 1000000001 terms; at most 10000")
        let nested = error(graph.replacingOccurrences(of: "%@", with: "sum(k,0,999,sum(j,0,999,sin(j*k*x)))"))
        #expect(nested?.0.hasPrefix("this `sum` would evaluate about") == true, "\(nested?.0 ?? "")")
        #expect(nested?.2 == 38, "at the outer sum: \(nested?.2 ?? 0)")
        // Variable bounds count as the most a sum may take, so two nested ones are refused too.
        #expect(throws: MathExpression.ParseError.self) { try MathExpression("sum(k, 0, x, sum(j, 0, x, j))", variables: ["x"]) }
        // Through `define`, a function that sums over a sum is refused where it is called.
        let defined = sceneErrors("define:\n  \"f(n)\": \"sum(j, 0, n, sin(j))\"\n  \"g(m)\": \"sum(k, 0, m, f(k))\"\nobjects:\n  - {id: d, kind: dot, at: ['g(t)', 500]}\n")
        #expect(defined.first?.message.contains("would evaluate about") == true, "\(defined.map(\.message))")
        #expect(defined.first?.location?.line == 3, "at the definition of g")
        // What the shipped lessons do stays allowed: one sum with variable bounds.
        #expect(throws: Never.self) { try MathExpression("4/pi * sum(k, 0, n - 1, sin((2*k+1)*x)/(2*k+1))", variables: ["x", "n"]) }
    }

    @Test("Values that grow while a section plays are bounded where they are drawn, and the Critic says where")
    func runtimeValuesAreBounded() throws {
        let scene = try parseScene("""
            objects:
              - {id: c, kind: circle, at: C3, radius: "1e300 * (1 + t)"}
              - {id: d, kind: dot, at: ["1e300 * t", 500], stroke: "1e300 * t"}
              - {id: l, kind: text, at: D4, text: big, size: "1e300 * (1 + t)"}
            """)
        let evaluator = try SceneEvaluator(scene: scene, theme: .default)
        for time in [0.0, 1, 2.5] {
            for object in evaluator.frame(at: time) {
                for item in object.items {
                    switch item {
                    case .path(let p):
                        #expect(p.width.isFinite && p.width <= DrawLimits.maxStroke)
                        #expect(p.subpaths.allSatisfy { $0.allSatisfy { abs($0.x) <= DrawLimits.farthest && abs($0.y) <= DrawLimits.farthest } })
                    case .text(let t):
                        #expect(t.size > 0 && t.size <= DrawLimits.maxTextSize)
                    case .image: break
                    }
                }
            }
        }
        let findings = LayoutCheck.run(scene, theme: .default, measurer: FakeMeasurer(), outputHeight: 180)
        #expect(findings.contains { $0.severity == .error && $0.object == "c" && $0.message.contains("off-screen") },
                "\(findings.map(\.message))")
    }

    @Test("An arc of a billion degrees is a value the parser refuses; one that sweeps while it plays stays one shape of bounded size")
    func arcSweep() throws {
        let scene = try parseScene("objects:\n  - {id: a, kind: arc, at: B2, radius: 50, angles: [0, '1e6 * (1 + t)']}\n")
        let evaluator = try SceneEvaluator(scene: scene, theme: .default)
        let points = evaluator.frame(at: 2).flatMap(\.items).reduce(0) { $0 + $1.pointCount }
        #expect(points <= 4097 + 16, "points: \(points)")
    }

    @Test("A value undefined only between the moments the Critic checks is still found, with its time")
    func undefinedBetweenSamples() throws {
        let scene = try parseScene("objects:\n  - {id: d, kind: dot, at: ['1000 + 1/(floor(t) - 1)', 500]}\n", durationHint: 4)
        let findings = LayoutCheck.run(scene, theme: .default, measurer: FakeMeasurer(), outputHeight: 180)
        let undefined = try #require(findings.first { $0.message.contains("is undefined") })
        #expect(undefined.severity == .error && undefined.object == "d")
        #expect(try #require(undefined.time) >= 1 && undefined.time! < 2)
    }

    @Test("A frame over the point budget fails the Critic instead of the renderer")
    func pointBudget() throws {
        // 20 graphs of 241 points each, against a budget of 1000 (the real one is 2 million).
        let scene = try parseScene("""
            objects:
              - {id: g, kind: graph, at: "A1:F6", y: "sin(x * (i + 1))", x: [0, 6], repeat: 20}
            """)
        let findings = LayoutCheck.run(scene, theme: .default, measurer: FakeMeasurer(), outputHeight: 180, pointBudget: 1000)
        #expect(findings.contains { $0.severity == .error && $0.message.contains("points; at most 1000") }, "\(findings.prefix(3).map(\.message))")
        #expect(!LayoutCheck.run(scene, theme: .default, measurer: FakeMeasurer(), outputHeight: 180).contains { $0.message.contains("points; at most") })
    }

    @Test("Checked conversions never trap, and say what a number is in a message")
    func checkedConversions() throws {
        for value in [Double.nan, .infinity, -.infinity, 1e300, -1e300, 9.3e18, -9.3e18] {
            let n = Checked.int(value, clampedTo: 0...100)
            #expect((0...100).contains(n))
            _ = Checked.display(value)
        }
        #expect(Checked.display(1e19) == "1e+19" && Checked.display(-0.0) == "0" && Checked.display(2.5) == "2.5" && Checked.display(40) == "40")
        #expect(throws: C2VError.self) { try Checked.wholeNumber(.nan, in: 0...10, what: "`n`", at: nil) }
        #expect(throws: C2VError.self) { try Checked.wholeNumber(2.5, in: 0...10, what: "`n`", at: nil) }
        #expect(try Checked.wholeNumber(7, in: 0...10, what: "`n`", at: nil) == 7)
    }

    @Test("A PNG that declares gigapixels is refused from its header, before it is decoded")
    func imagePixelBomb() throws {
        let folder = NSTemporaryDirectory() + "c2v-bomb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        let header: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + Array("IHDR".utf8) + be32(100_000) + be32(100_000) + [8, 6, 0, 0, 0]
        try Data(header + [UInt8](repeating: 0, count: 64)).write(to: URL(fileURLWithPath: "\(folder)/bomb.png"))
        let text = "objects:\n  - {id: p, kind: image, at: B2, src: bomb.png}\n"
        do {
            _ = try SceneParser.parse(YAMLReader.read(text, file: "t.yaml"), title: "T", lectureLines: ["One line"],
                                      durationHint: nil, context: SceneContext(directory: folder))
            Issue.record("the bomb was accepted")
        } catch let error as C2VError {
            #expect(error.message == "image `bomb.png` is 100000x100000 pixels; at most 8192 on a side and 16777216 in all")
            #expect(error.location?.line == 2)
        }
    }
}
