import Foundation
import Testing
import C2VBuild
import C2VTestSupport
import C2VUtil
@testable import C2VPipeline

/// A cache filled by a c2v whose component was one version older: exactly the steps that list
/// that component run again, and nothing downstream whose input bytes stayed the same.
@Suite(.serialized) struct ComponentBumpTests {
    static let lesson = """
        c2v: 1
        title: Bump
        video: {size: 320x180, fps: 10, quality: draft}
        sections:
          - id: one
            title: One
            lecture_lines: [A sine wave repeats]
            animations: [Plot a sine wave on axes]
            duration_hint: 1
          - id: two
            title: Two
            lecture_lines: [Look at the circle]
            duration_hint: 1
            scene:
              objects:
                - {id: c, kind: circle, at: C3, radius: 60}
        """

    struct Recorder: BuildObserver {
        func handle(_ event: BuildEvent) {}
    }

    /// The same plans as an older c2v would make them: `component` one version lower.
    static func older(_ plans: [LessonPlan], _ component: String) throws -> [LessonPlan] {
        try plans.map { plan in
            var plan = plan
            let steps = plan.graph.steps.map { step in
                var step = step
                step.components = step.components.map { $0.name == component ? ComponentVersion($0.name, $0.version - 1) : $0 }
                return step
            }
            plan.graph = try BuildGraph(scope: plan.graph.scope, steps: steps)
            return plan
        }
    }

    @Test(arguments: ["critic.layout", "scene.parser", "render.frames", "subtitles.webvtt", "scene.geometry"])
    func olderCacheRerunsExactlyTheDependents(component: String) async throws {
        let path = try TestFiles.writeLesson(Self.lesson)
        let cache = try TestFiles.temporaryDirectory("c2v-bump-cache")
        let request = BuildRequest(paths: [path], cacheDirectory: cache, outputDirectory: "\(cache)/out",
                                   options: BuildOptions(jobs: 2))
        let plans = try Pipeline.plans(for: request)
        let before = await Pipeline.build(try Self.older(plans, component), request: request, observer: Recorder())[0]
        #expect(before.succeeded)
        let after = await Pipeline.build(plans, request: request, observer: Recorder())[0]
        #expect(after.succeeded)

        let users = Set(plans[0].graph.steps.filter { $0.components.contains { $0.name == component } }.map(\.id.description))
        #expect(!users.isEmpty)
        let ran = Set(after.results.filter { $0.status == .ran }.map(\.id.description))
        // Steps downstream of a user rerun only if the user's output bytes changed; c2v's steps are
        // deterministic, so with the same code they did not.
        #expect(ran == users, "\(component): ran \(ran.sorted()), expected \(users.sorted())")
        let version = try #require(plans[0].graph.steps.lazy.flatMap(\.components).first { $0.name == component }?.version)
        for result in after.results where users.contains(result.id.description) {
            #expect(result.reason == .ran(.componentChanged(name: component, from: version - 1, to: version)), "\(result.id): \(result.reason)")
        }
    }
}
