import Foundation
import Synchronization
import Testing
import C2VUtil
import C2VTestSupport
@testable import C2VBuild

/// What the test steps do, given to them as a service (never part of a key).
final class Behaviour: Sendable {
    struct State {
        var ran: [String] = []
        var running = 0
        var peak = 0
        var warnings: [String] = []
        var failing: String?
        var outputs: [String: String] = [:]
        var sleep: Double = 0
    }
    let state = Mutex(State())

    func enter(_ id: StepID) throws {
        let failing = state.withLock { s in
            s.ran.append(id.description); s.running += 1; s.peak = max(s.peak, s.running)
            return s.failing
        }
        if failing == id.description {
            leave()
            throw C2VError(.buildFailed, "boom")
        }
    }
    func leave() { state.withLock { $0.running -= 1 } }
    var ran: [String] { state.withLock { $0.ran.sorted() } }
    var peak: Int { state.withLock { $0.peak } }
}

final class Recorder: BuildObserver, Sendable {
    let warnings = Mutex([String]())
    func handle(_ event: BuildEvent) {
        if case .warning(let w) = event { warnings.withLock { $0.append(w) } }
    }
}

extension OutputName { static let out = OutputName("out") }

/// `produce(t)`: returns its value (or the output the behaviour names for its target).
enum Produce: BuildStep {
    struct Inputs: Codable, Sendable { var value: String }
    static let kind = "produce"
    static let pool = Pool.cpu
    static let components = [ComponentVersion("test.producer", 1)]
    static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        try await produce(inputs.value, context)
    }
    static func produce(_ value: String, _ context: StepContext) async throws -> StepProduct {
        let behaviour = try context.service(Behaviour.self)
        try behaviour.enter(context.id)
        defer { behaviour.leave() }
        let (output, sleep) = behaviour.state.withLock { ($0.outputs[context.id.target ?? ""], $0.sleep) }
        if sleep > 0 { try await Task.sleep(for: .milliseconds(Int(sleep * 1000))) }
        return StepProduct(outputs: [.out: .data(Data((output ?? value).utf8))])
    }
}

/// The same kind after its producer component changed.
enum ProduceV2: BuildStep {
    typealias Inputs = Produce.Inputs
    static let kind = "produce"
    static let pool = Pool.cpu
    static let components = [ComponentVersion("test.producer", 2)]
    static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        try await Produce.produce(inputs.value, context)
    }
}

/// An agent-pool producer, for the pool limits.
enum AgentProduce: BuildStep {
    typealias Inputs = Produce.Inputs
    static let kind = "produce"
    static let pool = Pool.agent
    static let components = Produce.components
    static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        try await Produce.produce(inputs.value, context)
    }
}

/// `consume(t)`: reads `produce(t)`'s output and appends "!".
enum Consume: BuildStep {
    struct Inputs: Codable, Sendable {}
    static let kind = "consume"
    static let pool = Pool.cpu
    static let components = [ComponentVersion("test.consumer", 1)]
    static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        let behaviour = try context.service(Behaviour.self)
        try behaviour.enter(context.id)
        defer { behaviour.leave() }
        let producer = StepID(kind: "produce", target: context.id.target)
        let upstream = try context.data(.out, of: producer)
        return StepProduct(outputs: [.out: .data(upstream + Data("!".utf8))], warnings: ["checked \(context.id.target ?? "")"])
    }
}

struct Fixture {
    let root: String
    let behaviour = Behaviour()
    let recorder = Recorder()

    init() throws { root = try temporaryDirectory() }

    var cache: LocalCache { LocalCache(root: root) }
    var store: LocalContentStore { LocalContentStore(root: "\(root)/cas") }

    /// Two independent chains `produce(t) -> consume(t)`; `values` gives each producer's input.
    func graph(values: [String: String], agent: Bool = false, version2: Bool = false) throws -> BuildGraph {
        var steps: [StepSpec] = []
        for target in values.keys.sorted() {
            let inputs = Produce.Inputs(value: values[target]!)
            steps.append(agent ? try StepSpec(AgentProduce.self, target: target, inputs: inputs)
                : version2 ? try StepSpec(ProduceV2.self, target: target, inputs: inputs)
                : try StepSpec(Produce.self, target: target, inputs: inputs))
            steps.append(try StepSpec(Consume.self, target: target, inputs: Consume.Inputs(),
                                      dependencies: [StepID(kind: "produce", target: target)]))
        }
        return try BuildGraph(scope: "test", steps: steps)
    }

    func engine(keepGoing: Bool = false, dryRun: Bool = false, jobs: Int = 2, agentJobs: Int = 2,
                faults: [String: Fault] = [:]) -> BuildEngine {
        var services = StepServices()
        services.provide(behaviour)
        return BuildEngine(storage: cache,
                           options: BuildOptions(jobs: jobs, agentJobs: agentJobs, keepGoing: keepGoing, dryRun: dryRun, faults: faults),
                           observer: recorder, services: services)
    }

    func build(_ graph: BuildGraph, keepGoing: Bool = false, dryRun: Bool = false, jobs: Int = 2, agentJobs: Int = 2,
               faults: [String: Fault] = [:]) async -> [StepResult] {
        await engine(keepGoing: keepGoing, dryRun: dryRun, jobs: jobs, agentJobs: agentJobs, faults: faults).build([graph]).results[0]
    }
}

func statuses(_ results: [StepResult]) -> [String: StepStatus] {
    Dictionary(uniqueKeysWithValues: results.map { ($0.id.description, $0.status) })
}

func result(_ results: [StepResult], _ id: String) -> StepResult? { results.first { $0.id.description == id } }

func flipByteKeepingTimes(_ path: String) throws { try TestFiles.flipByteKeepingTimes(path) }

@Suite struct EngineTests {
    @Test func secondBuildIsAllCached() async throws {
        let f = try Fixture()
        let graph = try f.graph(values: ["a": "1", "b": "2"])
        let first = await f.build(graph)
        #expect(first.allSatisfy { $0.status == .ran })
        #expect(f.behaviour.ran.count == 4)
        let second = await f.build(graph)
        #expect(second.allSatisfy { $0.status == .cached })
        #expect(f.behaviour.ran.count == 4)
        // Warnings survive the cache.
        #expect(result(second, "consume(a)")?.warnings == ["checked a"])
        #expect(first.map(\.key) == second.map(\.key))
    }

    @Test func onlyTheChangedChainReruns() async throws {
        let f = try Fixture()
        _ = await f.build(try f.graph(values: ["a": "1", "b": "2"]))
        let results = await f.build(try f.graph(values: ["a": "1", "b": "3"]))
        #expect(statuses(results) == ["produce(a)": .cached, "consume(a)": .cached, "produce(b)": .ran, "consume(b)": .ran])
        #expect(result(results, "produce(b)")?.reason == .ran(.inputChanged("value")))
        #expect(result(results, "consume(b)")?.reason == .ran(.inputChanged("produce(b)/out")))
    }

    @Test func identicalOutputStopsTheCascade() async throws {
        let f = try Fixture()
        f.behaviour.state.withLock { $0.outputs = ["a": "same"] }
        _ = await f.build(try f.graph(values: ["a": "1"]))
        let results = await f.build(try f.graph(values: ["a": "2"]))
        #expect(statuses(results) == ["produce(a)": .ran, "consume(a)": .cached])
    }

    @Test func componentBumpRebuildsExactlyTheStepsThatUseIt() async throws {
        let f = try Fixture()
        let before = await f.build(try f.graph(values: ["a": "1"]))
        let after = await f.build(try f.graph(values: ["a": "1"], version2: true))
        #expect(statuses(after) == ["produce(a)": .ran, "consume(a)": .cached])
        #expect(result(after, "produce(a)")?.reason == .ran(.componentChanged(name: "test.producer", from: 1, to: 2)))
        #expect(result(after, "produce(a)")?.reason.description == "component test.producer version 1 -> 2")
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
        f.behaviour.state.withLock { $0.failing = "produce(a)" }
        let failing = await f.build(try f.graph(values: ["a": "1", "b": "2"]), keepGoing: true)
        #expect(statuses(failing) == ["produce(a)": .failed, "consume(a)": .skipped, "produce(b)": .ran, "consume(b)": .ran])
        #expect(result(failing, "produce(a)")?.error?.contains("boom") == true)
        f.behaviour.state.withLock { $0.failing = nil }
        let retry = await f.build(try f.graph(values: ["a": "1", "b": "2"]))
        #expect(statuses(retry) == ["produce(a)": .ran, "consume(a)": .ran, "produce(b)": .cached, "consume(b)": .cached])
        #expect(result(retry, "produce(a)")?.reason == .ran(.previousAttemptFailed))
    }

    @Test func withoutKeepGoingNothingNewStartsAfterAFailureButFinishedWorkIsCached() async throws {
        let f = try Fixture()
        let results = await f.build(try f.graph(values: ["a": "1", "b": "2"]), jobs: 1, faults: ["produce(a)": .fail])
        #expect(statuses(results)["produce(a)"] == .failed)
        #expect(result(results, "produce(a)")?.error?.contains("injected fault in produce(a)") == true)
        #expect(statuses(results)["consume(a)"] == .skipped)
        #expect(statuses(results)["consume(b)"] == .skipped)
        #expect(!f.behaviour.ran.contains("consume(b)"))
        // produce(b) had finished (or never started); either way what ran is cached.
        let again = await f.build(try f.graph(values: ["a": "1", "b": "2"]))
        for id in f.behaviour.ran where id != "produce(a)" { #expect(f.behaviour.ran.filter { $0 == id }.count == 1, "\(id) ran twice") }
        #expect(again.allSatisfy { $0.status == .ran || $0.status == .cached })
    }

    @Test func corruptOutputIsRebuilt() async throws {
        let f = try Fixture()
        let first = await f.build(try f.graph(values: ["a": "1"]))
        let blob = try #require(first[0].outputs[.out])
        try Data("X".utf8).write(to: URL(fileURLWithPath: f.store.path(for: blob.digest)))
        let second = await f.build(try f.graph(values: ["a": "1"]))
        #expect(statuses(second) == ["produce(a)": .ran, "consume(a)": .cached])
        #expect(second[0].reason == .ran(.cacheEntryCorrupt))
        #expect(f.recorder.warnings.withLock { $0.count } == 1)
        #expect(f.store.check(blob, stamp: nil) == .intact(FileIO.stat(f.store.path(for: blob.digest))))
    }

    /// In-place change with size and mtime kept: the change time still moves, so the stat
    /// shortcut does not trust the blob, and it is rehashed and rebuilt.
    @Test func sameSizeSameMtimeFlipIsCaught() async throws {
        let f = try Fixture()
        let first = await f.build(try f.graph(values: ["a": "hello world"]))
        let blob = try #require(first[0].outputs[.out])
        try flipByteKeepingTimes(f.store.path(for: blob.digest))
        let second = await f.build(try f.graph(values: ["a": "hello world"]))
        #expect(statuses(second) == ["produce(a)": .ran, "consume(a)": .cached])
        #expect(try f.store.read(blob) == Data("hello world".utf8))
    }

    /// Bit rot the stat cannot see is caught when a running step reads the blob: the reader's
    /// failure is a miss of the producer, which runs again before the reader.
    @Test func corruptionFoundWhileReadingRerunsTheProducer() async throws {
        let f = try Fixture()
        let first = await f.build(try f.graph(values: ["a": "payload"]))
        let blob = try #require(first[0].outputs[.out])
        let path = f.store.path(for: blob.digest)
        try flipByteKeepingTimes(path)
        // Make the record trust the changed file, as if the disk had rotted under an unchanged stat.
        var record = ScopeRecord.load(root: f.cache.recordsDirectory, scope: "test")
        record.blobStats[blob.digest.hex] = FileIO.stat(path)
        try record.save(root: f.cache.recordsDirectory, temporaryDirectory: nil)
        // Force the consumer to run (its component changed), so it reads the corrupt blob.
        let consumer = try StepSpec(ConsumeV2.self, target: "a", inputs: Consume.Inputs(), dependencies: [StepID(kind: "produce", target: "a")])
        let graph = try BuildGraph(scope: "test", steps: [try StepSpec(Produce.self, target: "a", inputs: .init(value: "payload")), consumer])
        let second = await f.build(graph)
        #expect(statuses(second) == ["produce(a)": .ran, "consume(a)": .ran])
        #expect(result(second, "produce(a)")?.reason == .ran(.outputCorruptWhenRead(.out)))
        #expect(f.recorder.warnings.withLock { $0.contains { $0.contains("did not match its digest") } })
        #expect(try f.store.read(try #require(result(second, "consume(a)")?.outputs[.out])) == Data("payload!".utf8))
    }

    @Test func materializedCopiesAreVerifiedAndLeaveNoPartialFile() async throws {
        let f = try Fixture()
        let out = try temporaryDirectory()
        let graph = try BuildGraph(scope: "m", steps: [
            try StepSpec(Produce.self, target: "a", inputs: .init(value: "video bytes"), materialize: [.out: "\(out)/a.bin"], retained: [.out]),
        ])
        let first = await f.build(graph)
        #expect(first[0].retained[.out] == Data("video bytes".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/a.bin")) == Data("video bytes".utf8))
        let blob = try #require(first[0].outputs[.out])
        // Rot the blob under an unchanged record, and remove the copy so it must be made again.
        try flipByteKeepingTimes(f.store.path(for: blob.digest))
        var record = ScopeRecord.load(root: f.cache.recordsDirectory, scope: "m")
        record.blobStats[blob.digest.hex] = FileIO.stat(f.store.path(for: blob.digest))
        try record.save(root: f.cache.recordsDirectory, temporaryDirectory: nil)
        try FileManager.default.removeItem(atPath: "\(out)/a.bin")
        let second = await f.build(graph)
        #expect(statuses(second) == ["produce(a)": .ran])
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/a.bin")) == Data("video bytes".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["a.bin"], "no partial copies left")
    }

    @Test func dryRunRunsNothingAndWritesNothing() async throws {
        let f = try Fixture()
        let results = await f.build(try f.graph(values: ["a": "1"]), dryRun: true)
        #expect(statuses(results) == ["produce(a)": .wouldRun, "consume(a)": .wouldRun])
        #expect(f.behaviour.ran.isEmpty)
        #expect(results[1].reason == .upstreamWouldRun(StepID(kind: "produce", target: "a")))
        #expect(!FileManager.default.fileExists(atPath: "\(f.root)/tmp"))
    }

    @Test func poolsBoundConcurrency() async throws {
        let f = try Fixture()
        f.behaviour.state.withLock { $0.sleep = 0.05 }
        _ = await f.build(try f.graph(values: ["a": "1", "b": "2", "c": "3", "d": "4"], agent: true), jobs: 4, agentJobs: 1)
        // Producers are agent steps limited to one at a time; consumers may overlap with them.
        #expect(f.behaviour.peak <= 2)
        let g = try Fixture()
        g.behaviour.state.withLock { $0.sleep = 0.05 }
        _ = await g.build(try g.graph(values: ["a": "1", "b": "2", "c": "3", "d": "4"], agent: true), jobs: 1, agentJobs: 4)
        #expect(g.behaviour.peak >= 2)
    }

    @Test func graphRejectsUndeclaredDependencies() throws {
        let step = try StepSpec(Consume.self, target: "x", inputs: Consume.Inputs(), dependencies: [StepID(kind: "produce", target: "x")])
        #expect(throws: C2VError.self) { try BuildGraph(scope: "s", steps: [step]) }
    }

    @Test func aStepCannotReadWhatItDidNotDeclare() async throws {
        let f = try Fixture()
        let lonely = try BuildGraph(scope: "lonely", steps: [try StepSpec(Consume.self, target: "x", inputs: Consume.Inputs())])
        let results = await f.build(lonely)
        #expect(results[0].status == .failed)
        #expect(results[0].error?.contains("not among its declared inputs") == true)
    }
}

enum ConsumeV2: BuildStep {
    typealias Inputs = Consume.Inputs
    static let kind = "consume"
    static let pool = Pool.cpu
    static let components = [ComponentVersion("test.consumer", 2)]
    static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        try await Consume.run(inputs, in: context)
    }
}

/// Counts finished events per step, to catch a step reported (or run) twice.
final class FinishCounter: BuildObserver, Sendable {
    let counts = Mutex([String: Int]())
    func handle(_ event: BuildEvent) {
        if case .finished(let result) = event { counts.withLock { $0[result.id.description, default: 0] += 1 } }
    }
}

/// `copy(t)`: passes on its first dependency's output.
enum Relay: BuildStep {
    struct Inputs: Codable, Sendable { var from: [StepID] }
    static let kind = "relay"
    static let pool = Pool.cpu
    static let components: [ComponentVersion] = []
    static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        StepProduct(outputs: [.out: .data(try context.data(.out, of: inputs.from.last!))])
    }
}

@Suite struct DiamondTests {
    /// a -> b, and c depends on both a and b: when a finishes, c is reachable twice in one cascade.
    func diamond(_ value: String) throws -> BuildGraph {
        let a = try StepSpec(Produce.self, target: "a", inputs: .init(value: value))
        let b = try StepSpec(Relay.self, target: "b", inputs: .init(from: [a.id]), dependencies: [a.id])
        let c = try StepSpec(Relay.self, target: "c", inputs: .init(from: [a.id, b.id]), dependencies: [a.id, b.id])
        return try BuildGraph(scope: "diamond", steps: [a, b, c])
    }

    @Test(arguments: [false, true])
    func eachStepFinishesOnce(dryRun: Bool) async throws {
        let f = try Fixture()
        for value in ["1", "1", "2"] {
            let counter = FinishCounter()
            var services = StepServices()
            services.provide(f.behaviour)
            let engine = BuildEngine(storage: f.cache, options: BuildOptions(jobs: 2, dryRun: dryRun), observer: counter, services: services)
            let results = await engine.build([try diamond(value)]).results[0]
            #expect(results.count == 3)
            #expect(counter.counts.withLock { $0 } == ["produce(a)": 1, "relay(b)": 1, "relay(c)": 1])
        }
    }
}

/// A local cache that answers lookups slowly, like a remote, and lets the engine ask `limit` of
/// them at once; counts how many were in flight together.
struct SlowLookupStorage: BuildStorage {
    final class Counter: Sendable {
        let state = Mutex((now: 0, peak: 0, total: 0))
    }
    struct Slow: ActionCache {
        let inner: any ActionCache
        let counter: Counter
        func get(_ key: Digest) -> ActionLookup {
            counter.state.withLock { $0.now += 1; $0.total += 1; $0.peak = max($0.peak, $0.now) }
            defer { counter.state.withLock { $0.now -= 1 } }
            Thread.sleep(forTimeInterval: 0.05)
            return inner.get(key)
        }
        func put(_ entry: ActionEntry) throws { try inner.put(entry) }
        func remove(_ key: Digest) { inner.remove(key) }
    }

    let local: LocalCache
    let limit: Int
    let counter = Counter()

    var blobs: any ContentStore { local.blobs }
    var actions: any ActionCache { Slow(inner: local.actions, counter: counter) }
    var concurrentLookups: Int { limit }
    var recordsDirectory: String { local.recordsDirectory }
    func openScratch() throws -> BuildScratch { try local.openScratch() }
    func reclaimScratch() { local.reclaimScratch() }
    func staged(in scratch: BuildScratch) -> any BuildStorage { local.staged(in: scratch) }
    func statePath(_ name: String) -> String { local.statePath(name) }
    var workerStoreRoot: String { local.workerStoreRoot }
    var workerActionsRoot: String { local.workerActionsRoot }
    func clean() throws -> [String] { try local.clean() }
}

@Suite struct SlowLookupTests {
    @Test("A storage with slow lookups is asked off the scheduler, several at once and never more than it allows")
    func lookupsRunConcurrentlyUnderTheLimit() async throws {
        let f = try Fixture()
        let values = Dictionary(uniqueKeysWithValues: (0..<12).map { ("t\($0)", "\($0)") })
        let graph = try f.graph(values: values)
        _ = await f.build(graph)
        let slow = SlowLookupStorage(local: f.cache, limit: 4)
        var services = StepServices()
        services.provide(f.behaviour)
        let engine = BuildEngine(storage: slow, options: BuildOptions(jobs: 2, agentJobs: 2), observer: f.recorder, services: services)
        let second = await engine.build([graph]).results[0]
        #expect(second.count == 24 && second.allSatisfy { $0.status == .cached })
        let counts = slow.counter.state.withLock { $0 }
        #expect(counts.total == 24)
        #expect(counts.peak == 4, "peak lookups in flight: \(counts.peak)")
        // Cache hits report the time the work took when it ran, for sharding.
        #expect(second.allSatisfy { $0.seconds == 0 && $0.workSeconds > 0 })
        // A change still reruns through the slow path: the changed chain runs, the rest is cached.
        var changed = values
        changed["t3"] = "x"
        let third = await engine.build([try f.graph(values: changed)]).results[0]
        #expect(statuses(third).filter { $0.value == .ran }.keys.sorted() == ["consume(t3)", "produce(t3)"])
    }
}
