import Foundation
import Synchronization
import Testing
import C2VUtil
@testable import C2VBuild

enum Produce: StepKind { static let name = "produce"; static let version = 1 }
enum Consume: StepKind { static let name = "consume"; static let version = 1 }
enum ProduceV2: StepKind { static let name = "produce"; static let version = 2 }

/// Counts which steps ran and the most that ran at once.
final class Recorder: BuildObserver, Sendable {
    struct State { var ran: [String] = []; var running = 0; var peak = 0; var warnings: [String] = [] }
    let state = Mutex(State())
    func handle(_ event: BuildEvent) {
        state.withLock { s in
            if case .warning(let w) = event { s.warnings.append(w) }
        }
    }
    func enter(_ id: String) { state.withLock { s in s.ran.append(id); s.running += 1; s.peak = max(s.peak, s.running) } }
    func leave() { state.withLock { s in s.running -= 1 } }
    var ran: [String] { state.withLock { $0.ran.sorted() } }
    var peak: Int { state.withLock { $0.peak } }
}

struct Fixture {
    let root: String
    let recorder = Recorder()

    init() throws { root = try temporaryDirectory() }

    /// Two independent chains `produce(t) -> consume(t)`; `values` gives each producer's input,
    /// `outputs` what it returns (defaults to its input), `failing` a step that throws.
    func graph(values: [String: String], outputs: [String: String] = [:], failing: String? = nil,
               pool: Pool = .cpu, version2: Bool = false, sleep: Double = 0) throws -> BuildGraph {
        var steps: [StepSpec] = []
        let recorder = self.recorder
        for target in values.keys.sorted() {
            let value = values[target]!
            let output = outputs[target] ?? value
            let work: @Sendable (StepContext) async throws -> StepProduct = { context in
                recorder.enter(context.id.description)
                defer { recorder.leave() }
                if sleep > 0 { try await Task.sleep(for: .milliseconds(Int(sleep * 1000))) }
                if failing == context.id.description { throw C2VError(.buildFailed, "boom") }
                return StepProduct(outputs: ["out": .data(Data(output.utf8))])
            }
            steps.append(version2
                ? StepSpec(ProduceV2.self, target: target, pool: pool, inputs: [KeyComponent("value", value)], work: work)
                : StepSpec(Produce.self, target: target, pool: pool, inputs: [KeyComponent("value", value)], work: work))
            let producer = StepID(kind: "produce", target: target)
            steps.append(StepSpec(Consume.self, target: target, pool: .cpu, inputs: [], dependencies: [producer]) { context in
                recorder.enter(context.id.description)
                defer { recorder.leave() }
                if failing == context.id.description { throw C2VError(.buildFailed, "boom") }
                let upstream = try context.data("out", of: producer)
                return StepProduct(outputs: ["out": .data(upstream + Data("!".utf8))], warnings: ["checked \(target)"])
            })
        }
        return try BuildGraph(scope: "test", steps: steps)
    }

    func build(_ graph: BuildGraph, keepGoing: Bool = false, dryRun: Bool = false, jobs: Int = 2, agentJobs: Int = 2) async -> [StepResult] {
        let engine = BuildEngine(cache: CacheLayout(root: root),
                                 options: BuildOptions(jobs: jobs, agentJobs: agentJobs, keepGoing: keepGoing, dryRun: dryRun),
                                 observer: recorder)
        return await engine.build([graph])[0]
    }
}

func statuses(_ results: [StepResult]) -> [String: StepStatus] {
    Dictionary(uniqueKeysWithValues: results.map { ($0.id.description, $0.status) })
}

@Suite struct EngineTests {
    @Test func secondBuildIsAllCached() async throws {
        let f = try Fixture()
        let graph = try f.graph(values: ["a": "1", "b": "2"])
        let first = await f.build(graph)
        #expect(first.allSatisfy { $0.status == .ran })
        #expect(f.recorder.ran.count == 4)
        let second = await f.build(graph)
        #expect(second.allSatisfy { $0.status == .cached })
        #expect(f.recorder.ran.count == 4)
        // Warnings survive the cache.
        #expect(second.first { $0.id.description == "consume(a)" }?.warnings == ["checked a"])
        #expect(first.map(\.key) == second.map(\.key))
    }

    @Test func onlyTheChangedChainReruns() async throws {
        let f = try Fixture()
        _ = await f.build(try f.graph(values: ["a": "1", "b": "2"]))
        let results = await f.build(try f.graph(values: ["a": "1", "b": "3"]))
        #expect(statuses(results) == ["produce(a)": .cached, "consume(a)": .cached, "produce(b)": .ran, "consume(b)": .ran])
        #expect(results.first { $0.id.description == "produce(b)" }?.reason == "input 'value' changed")
        #expect(results.first { $0.id.description == "consume(b)" }?.reason == "input 'produce(b)/out' changed")
    }

    @Test func identicalOutputStopsTheCascade() async throws {
        let f = try Fixture()
        _ = await f.build(try f.graph(values: ["a": "1"], outputs: ["a": "same"]))
        let results = await f.build(try f.graph(values: ["a": "2"], outputs: ["a": "same"]))
        #expect(statuses(results) == ["produce(a)": .ran, "consume(a)": .cached])
    }

    @Test func versionBumpRebuildsExactlyThatKind() async throws {
        let f = try Fixture()
        let before = await f.build(try f.graph(values: ["a": "1"]))
        let after = await f.build(try f.graph(values: ["a": "1"], version2: true))
        #expect(statuses(after) == ["produce(a)": .ran, "consume(a)": .cached])
        #expect(after.first { $0.id.description == "produce(a)" }?.reason == "step version 1 -> 2")
        #expect(before[0].key != after[0].key)
        #expect(before[1].key == after[1].key)
    }

    @Test func keysDoNotDependOnTheCacheLocation() async throws {
        let f1 = try Fixture(), f2 = try Fixture()
        let r1 = await f1.build(try f1.graph(values: ["a": "1"]))
        let r2 = await f2.build(try f2.graph(values: ["a": "1"]))
        #expect(r1.map(\.key) == r2.map(\.key))
    }

    @Test func keepGoingBuildsIndependentWorkAndRetriesOnlyTheFailure() async throws {
        let f = try Fixture()
        let failing = await f.build(try f.graph(values: ["a": "1", "b": "2"], failing: "produce(a)"), keepGoing: true)
        #expect(statuses(failing) == ["produce(a)": .failed, "consume(a)": .skipped, "produce(b)": .ran, "consume(b)": .ran])
        #expect(failing.first { $0.id.description == "produce(a)" }?.error?.contains("boom") == true)
        let retry = await f.build(try f.graph(values: ["a": "1", "b": "2"]))
        #expect(statuses(retry) == ["produce(a)": .ran, "consume(a)": .ran, "produce(b)": .cached, "consume(b)": .cached])
        #expect(retry.first { $0.id.description == "produce(a)" }?.reason == "previous attempt failed")
    }

    @Test func withoutKeepGoingNothingNewStartsAfterAFailure() async throws {
        let f = try Fixture()
        let results = await f.build(try f.graph(values: ["a": "1", "b": "2"], failing: "produce(a)"), jobs: 1)
        #expect(statuses(results)["produce(a)"] == .failed)
        #expect(statuses(results)["consume(a)"] == .skipped)
        #expect(statuses(results)["consume(b)"] == .skipped)
        #expect(!f.recorder.ran.contains("consume(b)"))
    }

    @Test func corruptOutputIsRebuilt() async throws {
        let f = try Fixture()
        let first = await f.build(try f.graph(values: ["a": "1"]))
        let digest = try #require(first[0].outputs["out"])
        let path = CacheLayout(root: f.root).store.path(for: digest)
        try Data("X".utf8).write(to: URL(fileURLWithPath: path))
        let second = await f.build(try f.graph(values: ["a": "1"]))
        #expect(statuses(second) == ["produce(a)": .ran, "consume(a)": .cached])
        #expect(second[0].reason == "cache entry corrupt")
        #expect(f.recorder.state.withLock { $0.warnings.count } == 1)
        #expect(CacheLayout(root: f.root).store.verify(digest))
    }

    @Test func dryRunRunsNothing() async throws {
        let f = try Fixture()
        let results = await f.build(try f.graph(values: ["a": "1"]), dryRun: true)
        #expect(statuses(results) == ["produce(a)": .wouldRun, "consume(a)": .wouldRun])
        #expect(f.recorder.ran.isEmpty)
        #expect(results[1].reason.contains("upstream produce(a)"))
    }

    @Test func poolsBoundConcurrency() async throws {
        let f = try Fixture()
        let graph = try f.graph(values: ["a": "1", "b": "2", "c": "3", "d": "4"], pool: .agent, sleep: 0.05)
        _ = await f.build(graph, jobs: 4, agentJobs: 1)
        // Producers are agent steps limited to one at a time; consumers may overlap with them.
        #expect(f.recorder.peak <= 2)
        let g = try Fixture()
        _ = await g.build(try g.graph(values: ["a": "1", "b": "2", "c": "3", "d": "4"], pool: .agent, sleep: 0.05), jobs: 1, agentJobs: 4)
        #expect(g.recorder.peak >= 2)
    }

    @Test func graphRejectsUndeclaredDependencies() throws {
        let step = StepSpec(Consume.self, target: "x", pool: .cpu, inputs: [], dependencies: [StepID(kind: "produce", target: "x")]) { _ in
            StepProduct(outputs: [:])
        }
        #expect(throws: C2VError.self) { try BuildGraph(scope: "s", steps: [step]) }
    }
}

/// Counts finished events per step, to catch a step reported (or run) twice.
final class FinishCounter: BuildObserver, Sendable {
    let counts = Mutex([String: Int]())
    func handle(_ event: BuildEvent) {
        if case .finished(let result) = event { counts.withLock { $0[result.id.description, default: 0] += 1 } }
    }
}

@Suite struct DiamondTests {
    /// a -> b, and c depends on both a and b: when a finishes, c is reachable twice in one cascade.
    func diamond(_ value: String) throws -> BuildGraph {
        let a = StepSpec(Produce.self, target: "a", pool: .cpu, inputs: [KeyComponent("v", value)]) { _ in
            StepProduct(outputs: ["out": .data(Data(value.utf8))])
        }
        let b = StepSpec(Produce.self, target: "b", pool: .cpu, inputs: [], dependencies: [a.id]) { c in
            StepProduct(outputs: ["out": .data(try c.data("out", of: a.id))])
        }
        let c = StepSpec(Consume.self, target: "c", pool: .cpu, inputs: [], dependencies: [a.id, b.id]) { c in
            StepProduct(outputs: ["out": .data(try c.data("out", of: b.id))])
        }
        return try BuildGraph(scope: "diamond", steps: [a, b, c])
    }

    @Test(arguments: [false, true])
    func eachStepFinishesOnce(dryRun: Bool) async throws {
        let root = try temporaryDirectory()
        for value in ["1", "1", "2"] {
            let counter = FinishCounter()
            let engine = BuildEngine(cache: CacheLayout(root: root), options: BuildOptions(jobs: 2, dryRun: dryRun), observer: counter)
            let results = await engine.build([try diamond(value)])[0]
            #expect(results.count == 3)
            #expect(counter.counts.withLock { $0 } == ["produce(a)": 1, "produce(b)": 1, "consume(c)": 1])
        }
    }
}
