import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// Valid scenes of the v2 language: families, groups, functions, params and step timing.
@Suite struct SceneV2Tests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    /// (kind, target, start, duration) of every scheduled animation, in schedule order.
    func schedule(_ scene: Scene) -> [String] {
        scene.animations.map {
            "\($0.kind.rawValue) \($0.target ?? "-") \(String(format: "%.3f", $0.start))+\(String(format: "%.3f", $0.duration))"
        }
    }

    // MARK: repeat families

    @Test func repeatMakesAFamilyWithBindingsAndInterpolatedText() throws {
        let scene = try parseScene("""
            objects:
              - id: arm
                kind: line
                repeat: 4
                from: ["800 + 100 * i", 300]
                to: ["850 + 100 * i", 400]
              - id: tag
                kind: text
                repeat: {var: k, from: 1, to: 3}
                text: "x{k} = {k * k}"
                at: ["800 + 150 * k", 700]
            """)
        #expect(scene.objects.map(\.id) == ["arm[0]", "arm[1]", "arm[2]", "arm[3]", "tag[1]", "tag[2]", "tag[3]"])
        #expect(scene.objects.map(\.bindings) == [["i": 0], ["i": 1], ["i": 2], ["i": 3], ["k": 1], ["k": 2], ["k": 3]])
        #expect(scene.objects.map(\.family) == ["arm", "arm", "arm", "arm", "tag", "tag", "tag"])
        #expect(scene.objects[2].from == .point("800 + 100 * i", "300"))
        #expect(scene.objects[2].to == .point("850 + 100 * i", "400"))
        #expect(scene.objects[4...].map(\.text) == ["x1 = 1", "x2 = 4", "x3 = 9"])
        #expect(scene.objects[5].at == .point("800 + 150 * k", "700"))
    }

    @Test func repeatWithACount() throws {
        let scene = try parseScene("""
            objects:
              - {id: d, kind: dot, at: ["900 + 50 * i", 500], repeat: {count: 2}}
            """)
        #expect(scene.objects.map(\.id) == ["d[0]", "d[1]"])
        #expect(scene.objects.map(\.bindings) == [["i": 0], ["i": 1]])
    }

    @Test func familyTargetWithLagStaggersMembers() throws {
        let scene = try parseScene("""
            objects:
              - {id: arm, kind: line, repeat: 4, from: ["800 + 100 * i", 300], to: ["850 + 100 * i", 400]}
            steps:
              - {do: create, target: arm, lag: 0.25, duration: 1}
              - {do: wait}
              - {do: fade_out, target: arm}
            """)
        #expect(schedule(scene) == [
            "create arm[0] 0.000+1.000", "create arm[1] 0.250+1.000", "create arm[2] 0.500+1.000", "create arm[3] 0.750+1.000",
            "wait - 1.750+1.000",
            "fade_out arm[0] 2.750+0.600", "fade_out arm[1] 2.750+0.600", "fade_out arm[2] 2.750+0.600", "fade_out arm[3] 2.750+0.600",
        ])
        // Members enter when their own `create` starts.
        #expect(scene.objects.map(\.appear) == [0, 0.25, 0.5, 0.75])
        #expect(scene.objects.allSatisfy { $0.entersByAnimation })
        // Line 0 stretches to its steps (3.35 s) plus a 0.4 s pause.
        #expect(close(scene.lines.first?.end, 3.75))
    }

    @Test func familySliceAndSingleMemberTargets() throws {
        let scene = try parseScene("""
            objects:
              - {id: arm, kind: line, repeat: {var: j, from: 1, to: 5}, from: ["800 + 100 * j", 300], to: [900, 400]}
            steps:
              - {do: indicate, target: "arm[2..4]"}
              - {do: indicate, target: "arm[5]"}
            """)
        #expect(scene.animations.map(\.target) == ["arm[2]", "arm[3]", "arm[4]", "arm[5]"])
        #expect(scene.animations.map(\.start) == [0, 0, 0, 1])
    }

    // MARK: groups

    @Test func groupsExpandToTheirMembersInSteps() throws {
        let scene = try parseScene("""
            objects:
              - {id: a, kind: dot, at: B2}
              - {id: b, kind: dot, at: C2}
              - {id: c, kind: dot, at: D2}
              - {id: ring, kind: circle, at: E2, repeat: 2, radius: "20 + 10 * i"}
              - {id: pair, kind: group, members: [a, b]}
              - {id: all, kind: group, members: [pair, c, ring]}
            steps:
              - {do: fade_in, target: pair}
              - {do: scale, target: all, factor: 2}
            """)
        let groups = scene.objects.filter { $0.kind == .group }
        #expect(groups.map(\.id) == ["pair", "all"])
        #expect(groups.map(\.members) == [["a", "b"], ["pair", "c", "ring[0]", "ring[1]"]])
        let fades = scene.animations.filter { $0.kind == .fadeIn }
        #expect(fades.map(\.target) == ["a", "b"])
        #expect(fades.allSatisfy { $0.start == 0 && close($0.duration, 0.8) })
        let scales = scene.animations.filter { $0.kind == .scale }
        #expect(Set(scales.compactMap(\.target)) == ["a", "b", "c", "ring[0]", "ring[1]"])
        #expect(scales.count == 5)
        #expect(scales.allSatisfy { close($0.start, 0.8) && $0.value == 2 })
        // Members the group brought in enter by the step; the others are there from their line.
        #expect(scene.objects.filter(\.entersByAnimation).map(\.id) == ["a", "b"])
    }

    // MARK: functions and params

    @Test func definedFunctionsAreUsableInObjectExpressions() throws {
        let scene = try parseScene("""
            params: {n: 3}
            define:
              sq(v): v * v
              hyp(a, b): sqrt(sq(a) + sq(b))
              grow(k): k * n + t
            objects:
              - {id: c, kind: circle, at: B2, radius: "hyp(30, 40) + grow(2)"}
              - {id: p, kind: regular_polygon, at: C2, sides: "n + 2", radius: "sum(j, 1, 4, j) + pick(1, 5, 7)"}
            """)
        #expect(scene.functions == [
            SceneFunction(name: "sq", parameters: ["v"], body: "v * v"),
            SceneFunction(name: "hyp", parameters: ["a", "b"], body: "sqrt(sq(a) + sq(b))"),
            SceneFunction(name: "grow", parameters: ["k"], body: "k * n + t"),
        ])
        #expect(scene.objects[0].radius == ["hyp(30, 40) + grow(2)"])
        // `sides` is a constant: evaluated once with the params' initial values.
        #expect(scene.objects[1].sides == "5")

        let functions = scene.functions.map { MathExpression.Function(name: $0.name, parameters: $0.parameters, body: $0.body) }
        let variables = VariableScope(params: scene.params.map(\.name)).names
        #expect(variables == ["t", "progress", "n"])
        let radius = try MathExpression("hyp(30, 40) + grow(2)", variables: variables, functions: functions)
        #expect(radius.evaluate(1, 0, 3) == 50 + 6 + 1)
        #expect(radius.reads == ["t", "n"])
        let other = try MathExpression("sum(j, 1, 4, j) + pick(1, 5, 7)", variables: variables, functions: functions)
        #expect(other.evaluate(0, 0, 3) == 17)
    }

    @Test func paramsMayUseEarlierParams() throws {
        let scene = try parseScene("""
            params: {r: 50, n: "2 * 3", half: "r / 2"}
            objects: []
            """)
        #expect(scene.params == [SceneParam(name: "r", initial: 50), SceneParam(name: "n", initial: 6),
                                 SceneParam(name: "half", initial: 25)])
    }

    @Test func animateChangesAParamFromItsValueOrAGivenStart() throws {
        let scene = try parseScene("""
            params: {r: 50}
            steps:
              - {do: animate, param: r, to: 100, duration: 2}
              - {do: animate, param: r, from: 10, to: 20}
            """)
        try #require(scene.animations.count == 2)
        let first = scene.animations[0], second = scene.animations[1]
        #expect(first.kind == .animate && first.target == nil && first.param == "r")
        #expect(first.value == 100 && first.fromValue == nil && first.duration == 2 && first.easing == .linear)
        #expect(second.start == 2 && second.fromValue == 10 && second.value == 20)
    }

    // MARK: timing

    @Test func stepsOfALineRunInSequenceAndLinesStretchToFit() throws {
        let scene = try parseScene("""
            objects:
              - {id: a, kind: circle, at: B2}
              - {id: b, kind: circle, at: D2}
            steps:
              - {do: create, target: a}
              - {do: move, target: a, to: B4}
              - {do: fade_in, target: b, line: 1}
              - {do: shift, target: b, by: [0, 100]}
            """)
        #expect(schedule(scene) == ["create a 0.000+1.200", "move a 1.200+1.000", "fade_in b 2.600+0.800", "shift b 3.400+1.000"])
        #expect(scene.animations.map(\.line) == [0, 0, 1, 1])
        // Line 0 needs 2.2 s of steps + 0.4 s pause, more than its natural 2.5 s; line 1 keeps 2.5 s.
        #expect(scene.lines.count == 2)
        #expect(close(scene.lines[0].end, 2.6) && close(scene.lines[1].start, 2.6) && close(scene.lines[1].end, 5.1))
        #expect(close(scene.duration, 5.1))
        #expect(scene.objects.map(\.appear) == [0, scene.animations[2].start])
        #expect(scene.animations[3].by == [0, 100])
    }

    @Test func togetherRunsInParallelAndSequenceInsideIt() throws {
        let scene = try parseScene("""
            objects:
              - {id: a, kind: circle, at: B2}
              - {id: b, kind: circle, at: D2}
            steps:
              - together:
                  - {do: create, target: a, duration: 2}
                  - sequence:
                      - {do: fade_in, target: b}
                      - {do: move, target: b, to: D4}
              - {do: indicate, target: a, delay: 0.5}
            """)
        #expect(schedule(scene) == [
            "create a 0.000+2.000", "fade_in b 0.000+0.800", "move b 0.800+1.000", "indicate a 2.500+1.000",
        ])
        #expect(close(scene.lines[0].end, 3.9))
        #expect(scene.animations.last?.easing == .thereAndBack)
    }

    @Test func authorDurationIsKeptAndStepsAreSpedUp() throws {
        let scene = try parseScene("""
            duration: 2
            objects:
              - {id: a, kind: circle, at: B2}
            steps:
              - {do: create, target: a}
              - {do: move, target: a, to: B4}
            """)
        // Two lines of 2.5 s natural length share 2 s; line 0 (1 s) needs 2.6 s, so its steps run
        // at (1 - 0.1) / (2.6 - 0.4) of their speed and end 0.1 s before the line does.
        #expect(close(scene.duration, 2))
        #expect(close(scene.lines[0].end, 1) && close(scene.lines[1].end, 2))
        let k = 0.9 / 2.2
        try #require(scene.animations.count == 2)
        #expect(close(scene.animations[0].start, 0) && close(scene.animations[0].duration, 1.2 * k))
        #expect(close(scene.animations[1].start, 1.2 * k) && close(scene.animations[1].end, 0.9))
    }

    @Test func lessonDurationHintActsLikeAnAuthorDuration() throws {
        let text = """
            objects:
              - {id: a, kind: circle, at: B2}
            steps:
              - {do: create, target: a}
              - {do: move, target: a, to: B4}
            """
        let hinted = try parseScene(text, durationHint: 2)
        let free = try parseScene(text)
        #expect(close(hinted.duration, 2))
        #expect(close(hinted.animations.last?.end, 0.9))
        #expect(close(free.animations.last?.end, 2.2))
        #expect(close(free.duration, 5.1))
    }

    @Test func defaultDurationsAndEasings() throws {
        let scene = try parseScene("""
            params: {p: 0}
            objects:
              - {id: a, kind: circle, at: B2}
              - {id: o, kind: circle, at: D4}
            steps:
              - {do: move, target: a, to: B3}
              - {do: follow, target: a, path: o}
              - {do: rotate, target: a, angle: 90, easing: ease_in}
              - {do: animate, param: p, to: 1}
              - {do: fade_out, target: a}
            """)
        #expect(scene.animations.map(\.easing) == [.smooth, .linear, .easeIn, .linear, .smooth])
        #expect(scene.animations.map(\.duration) == [1, 1, 1, 1, 0.6])
        #expect(scene.animations[1].other == "o")
        #expect(scene.animations[2].value == 90)
    }

    @Test func easingValues() {
        func values(_ e: Easing) -> [Double] { [0, 0.25, 0.5, 1].map { (e.apply($0) * 1e9).rounded() / 1e9 } }
        #expect(values(.linear) == [0, 0.25, 0.5, 1])
        #expect(values(.smooth) == [0, 0.15625, 0.5, 1])
        #expect(values(.easeIn) == [0, 0.015625, 0.125, 1])
        #expect(values(.easeOut) == [0, 0.578125, 0.875, 1])
        #expect(values(.easeInOut) == [0, 0.0625, 0.5, 1])
        #expect(values(.thereAndBack) == [0, 0.5, 1, 0])
        // Outside 0...1 the value is clamped.
        #expect(Easing.linear.apply(-1) == 0 && Easing.linear.apply(2) == 1)
        #expect(Easing.thereAndBack.apply(2) == 0)
    }

    // MARK: scene text

    @Test func sceneTextWithATopLevelSceneKey() throws {
        let wrapped = try SceneParser.parse(text: """
            scene:
              duration: 3
              objects:
                - {id: c, kind: circle, at: B2}
            """, file: "intro.scene", title: "Intro", lectureLines: ["Only line"], durationHint: nil)
        let bare = try SceneParser.parse(text: """
            duration: 3
            objects:
              - {id: c, kind: circle, at: B2}
            """, file: "intro.scene", title: "Intro", lectureLines: ["Only line"], durationHint: nil)
        #expect(wrapped == bare)
        #expect(wrapped.title == "Intro")
        #expect(close(wrapped.duration, 3))
        #expect(wrapped.lines.map(\.text) == ["Only line"])
        #expect(close(wrapped.lines.first?.end, 3))
        #expect(wrapped.objects.map(\.id) == ["c"])
    }

    @Test func sceneTextErrorsCarryTheFileAndPosition() throws {
        do {
            _ = try SceneParser.parse(text: """
                scene:
                  objects:
                    - {id: c, kind: circle, at: B9}
                """, file: "intro.scene", title: "Intro", lectureLines: ["Only line"], durationHint: nil)
            Issue.record("expected an error")
        } catch let error as C2VError {
            #expect(error.location == SourceLocation(file: "intro.scene", line: 3, column: 33))
            #expect(error.message.hasPrefix("invalid anchor `B9` for `at`"))
        }
    }

    @Test func sceneTextThatIsNotYAML() {
        #expect(throws: C2VError.self) {
            _ = try SceneParser.parse(text: "objects: [unclosed\n", file: "bad.scene", title: "T", lectureLines: [], durationHint: nil)
        }
    }
}
