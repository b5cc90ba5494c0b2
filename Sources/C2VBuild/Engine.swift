import Foundation
import C2VUtil

/// How a step ended in one build.
public enum StepStatus: String, Sendable, Codable {
    case ran
    case cached
    case failed
    case skipped
    /// Dry run only: the step would run (or may run, when an upstream step would).
    case wouldRun = "would-run"
}

/// The outcome of one step, as the report and the progress display see it.
public struct StepResult: Sendable {
    public var id: StepID
    public var scope: String
    public var key: Digest?
    public var status: StepStatus
    public var seconds: Double
    public var reason: String
    public var warnings: [String]
    public var outputs: [String: Digest]
    public var error: String?
    /// The step's metrics: from this run, or from the run that made the cache entry.
    public var metrics: [String: Double] = [:]
}

/// What the engine tells an observer while it works.
public enum BuildEvent: Sendable {
    case started(scope: String, step: StepID, reason: String)
    case progress(scope: String, step: StepID, done: Int, total: Int)
    case finished(StepResult)
    case warning(String)
}

public protocol BuildObserver: Sendable {
    func handle(_ event: BuildEvent)
}

public struct BuildOptions: Sendable {
    public var jobs: Int
    public var agentJobs: Int
    public var keepGoing: Bool
    public var dryRun: Bool

    public init(jobs: Int, agentJobs: Int = 4, keepGoing: Bool = false, dryRun: Bool = false) {
        self.jobs = max(1, jobs)
        self.agentJobs = max(1, agentJobs)
        self.keepGoing = keepGoing
        self.dryRun = dryRun
    }
}

/// The cache folder's layout: `cas/` blobs, `ac/` action entries, `records/` per-scope memory,
/// `tmp/` scratch folders (same file system, so finished files move into `cas/` by rename).
public struct CacheLayout: Sendable {
    public let root: String
    public init(root: String) { self.root = root }
    public var store: ContentStore { ContentStore(root: "\(root)/cas") }
    public var actions: ActionCache { ActionCache(root: "\(root)/ac") }
    var records: String { "\(root)/records" }
    var scratch: String { "\(root)/tmp" }
}

/// Runs build graphs: computes keys, answers from the cache, runs what is missing in two
/// bounded pools, and records what it did. One task (the caller of `build`) owns all state.
public struct BuildEngine: Sendable {
    public let cache: CacheLayout
    public let options: BuildOptions
    public let observer: any BuildObserver

    public init(cache: CacheLayout, options: BuildOptions, observer: any BuildObserver) {
        self.cache = cache
        self.options = options
        self.observer = observer
    }

    /// Builds every graph; the results come back per graph in declared step order.
    public func build(_ graphs: [BuildGraph]) async -> [[StepResult]] {
        var run = Run(engine: self, graphs: graphs)
        await run.execute()
        return run.results()
    }
}

/// The mutable state of one `build` call, owned by a single task.
private struct Run {
    enum State {
        case pending
        case ready(StepKey, reason: String)
        case running
        case done(StepResult)
    }

    struct Node {
        let graph: Int
        let spec: StepSpec
        var dependencies: [Int]
        var dependents: [Int] = []
        var state: State = .pending
    }

    enum Completion: Sendable {
        case succeeded(node: Int, outputs: [String: OutputRecord], warnings: [String], metrics: [String: Double], seconds: Double)
        case failed(node: Int, message: String, seconds: Double)
    }

    let engine: BuildEngine
    let graphs: [BuildGraph]
    var nodes: [Node] = []
    var records: [ScopeRecord]
    /// As loaded, so a build that changed nothing writes nothing.
    let loadedRecords: [ScopeRecord]
    var readyQueue: [Pool: [Int]] = [.agent: [], .cpu: []]
    var runningCount: [Pool: Int] = [.agent: 0, .cpu: 0]
    var stopped = false

    init(engine: BuildEngine, graphs: [BuildGraph]) {
        self.engine = engine
        self.graphs = graphs
        records = graphs.map { ScopeRecord.load(root: engine.cache.records, scope: $0.scope) }
        loadedRecords = records
        for (g, graph) in graphs.enumerated() {
            var index: [StepID: Int] = [:]
            for spec in graph.steps {
                let deps = spec.dependencies.compactMap { index[$0] }
                index[spec.id] = nodes.count
                for d in deps { nodes[d].dependents.append(nodes.count) }
                nodes.append(Node(graph: g, spec: spec, dependencies: deps))
            }
        }
    }

    func limit(_ pool: Pool) -> Int { pool == .agent ? engine.options.agentJobs : engine.options.jobs }

    mutating func execute() async {
        for i in nodes.indices where nodes[i].dependencies.isEmpty { resolve(i) }
        await withTaskGroup(of: Completion.self) { group in
            while true {
                for pool in [Pool.agent, .cpu] {
                    while !stopped, runningCount[pool, default: 0] < limit(pool), let next = readyQueue[pool]?.first {
                        readyQueue[pool]?.removeFirst()
                        start(next, in: &group)
                    }
                }
                guard let completion = await group.next() else { break }
                finish(completion)
            }
        }
        for i in nodes.indices {
            if case .done = nodes[i].state { continue }
            let reason = stopped ? "not started: the build stopped after a failure (use --keep-going)" : "not started"
            complete(i, status: .skipped, reason: reason)
        }
        for (record, loaded) in zip(records, loadedRecords) where record != loaded {
            try? record.save(root: engine.cache.records)
        }
    }

    /// Computes a step's key once all its dependencies are done, and answers from the cache when it can.
    mutating func resolve(_ i: Int) {
        // A step depending on two steps that finish in one cascade is reached twice; resolve it once.
        guard case .pending = nodes[i].state else { return }
        let node = nodes[i]
        var upstreamFailed: StepID?
        var upstreamWouldRun: StepID?
        var components = node.spec.inputs
        for d in node.dependencies {
            guard case .done(let result) = nodes[d].state else { return }
            switch result.status {
            case .ran, .cached:
                for (name, digest) in result.outputs.sorted(by: { $0.key < $1.key }) {
                    components.append(KeyComponent("\(result.id)/\(name)", "sha256:\(digest.hex)"))
                }
            case .failed, .skipped: upstreamFailed = upstreamFailed ?? result.id
            case .wouldRun: upstreamWouldRun = upstreamWouldRun ?? result.id
            }
        }
        if let upstreamFailed {
            complete(i, status: .skipped, reason: "upstream \(upstreamFailed) did not build")
            return
        }
        if let upstreamWouldRun {
            complete(i, status: .wouldRun, reason: "may run: upstream \(upstreamWouldRun) would run")
            return
        }
        let key = StepKey(kind: node.spec.id.kind, version: node.spec.version, components: components)
        let previous = records[node.graph].steps[node.spec.id.description]
        var reason = explain(key, against: previous)
        switch engine.cache.actions.get(key.digest) {
        case .hit(let entry):
            if verifyOutputs(of: entry, graph: node.graph) {
                remember(key, for: i, succeeded: true)
                if materialize(i, entry.outputs) {
                    complete(i, status: .cached, key: key.digest, reason: "cached", warnings: entry.warnings,
                             outputs: entry.outputs.mapValues(\.digest), metrics: entry.metrics ?? [:])
                } else {
                    complete(i, status: .failed, key: key.digest, reason: "cached",
                             error: "could not copy the outputs of \(node.spec.id) into place")
                }
                return
            }
            engine.cache.actions.remove(key.digest)
            reason = "cache entry corrupt"
            engine.observer.handle(.warning("\(node.spec.id): a cached output did not match its digest; rebuilding"))
        case .corrupt(let why):
            engine.cache.actions.remove(key.digest)
            reason = "cache entry corrupt"
            engine.observer.handle(.warning("\(node.spec.id): \(why); rebuilding"))
        case .miss:
            break
        }
        if engine.options.dryRun {
            complete(i, status: .wouldRun, key: key.digest, reason: reason)
            return
        }
        nodes[i].state = .ready(key, reason: reason)
        readyQueue[node.spec.pool, default: []].append(i)
    }

    /// Checks each output blob: a stat match with the last verification is trusted, anything else is rehashed.
    mutating func verifyOutputs(of entry: ActionEntry, graph: Int) -> Bool {
        let store = engine.cache.store
        for output in entry.outputs.values {
            guard let stat = FileIO.stat(store.path(for: output.digest)) else { return false }
            if records[graph].blobStats[output.digest.hex] == stat { continue }
            guard stat.size == output.size, store.verify(output.digest) else {
                store.evict(output.digest)
                records[graph].blobStats[output.digest.hex] = nil
                return false
            }
            records[graph].blobStats[output.digest.hex] = stat
        }
        return true
    }

    /// Keeps copies of selected outputs outside the cache; skips the copy when the file is already ours.
    mutating func materialize(_ i: Int, _ outputs: [String: OutputRecord]) -> Bool {
        let node = nodes[i]
        for (name, destination) in node.spec.materialize.sorted(by: { $0.key < $1.key }) {
            guard let output = outputs[name] else { return false }
            if let known = records[node.graph].materialized[destination], known.digest == output.digest,
               FileIO.stat(destination) == known.stat {
                continue
            }
            do {
                let directory = (destination as NSString).deletingLastPathComponent
                try FileIO.createDirectory(directory)
                let temporary = "\(directory)/.tmp-\(UInt64.random(in: 0...UInt64.max))"
                try FileManager.default.copyItem(atPath: engine.cache.store.path(for: output.digest), toPath: temporary)
                try FileIO.commitRename(from: temporary, to: destination)
                guard let stat = FileIO.stat(destination) else { return false }
                records[node.graph].materialized[destination] = MaterializedRecord(digest: output.digest, stat: stat)
            } catch {
                engine.observer.handle(.warning("\(node.spec.id): cannot write \(destination): \(error)"))
                return false
            }
        }
        return true
    }

    mutating func remember(_ key: StepKey, for i: Int, succeeded: Bool) {
        let node = nodes[i]
        records[node.graph].steps[node.spec.id.description] = StepRecord(
            key: key.digest, version: key.version, components: key.componentDigests, succeeded: succeeded)
    }

    mutating func start(_ i: Int, in group: inout TaskGroup<Completion>) {
        guard case .ready(let key, let reason) = nodes[i].state else { return }
        let node = nodes[i]
        nodes[i].state = .running
        startedReasons[i] = reason
        runningCount[node.spec.pool, default: 0] += 1
        remember(key, for: i, succeeded: false)
        let scope = graphs[node.graph].scope
        engine.observer.handle(.started(scope: scope, step: node.spec.id, reason: reason))
        var upstream: [StepID: [String: Digest]] = [:]
        for d in node.dependencies {
            if case .done(let result) = nodes[d].state { upstream[result.id] = result.outputs }
        }
        let engine = self.engine
        group.addTask {
            await Self.perform(node.spec, node: i, key: key, scope: scope, upstream: upstream, engine: engine)
        }
    }

    /// Runs one step's work in a child task, stores its outputs and its action-cache entry.
    static func perform(
        _ spec: StepSpec, node: Int, key: StepKey, scope: String, upstream: [StepID: [String: Digest]],
        engine: BuildEngine
    ) async -> Completion {
        let clock = ContinuousClock()
        let began = clock.now
        func elapsed() -> Double {
            let d = clock.now - began
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        let scratch = "\(engine.cache.scratch)/\(spec.id.kind)-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try FileIO.createDirectory(scratch)
            let observer = engine.observer
            let context = StepContext(
                id: spec.id, scratch: scratch, upstream: upstream, store: engine.cache.store,
                progressSink: { done, total in
                    observer.handle(.progress(scope: scope, step: spec.id, done: done, total: total))
                })
            let product = try await spec.work(context)
            let store = engine.cache.store
            var outputs: [String: OutputRecord] = [:]
            for (name, output) in product.outputs {
                switch output {
                case .data(let data):
                    outputs[name] = OutputRecord(digest: try store.put(data), size: Int64(data.count))
                case .file(let path):
                    let size = FileIO.stat(path)?.size ?? 0
                    let digest = try await runBlocking { try store.ingest(fileAt: path) }
                    outputs[name] = OutputRecord(digest: digest, size: size)
                }
            }
            let seconds = elapsed()
            try engine.cache.actions.put(ActionEntry(
                key: key.digest, step: spec.id.description, outputs: outputs, warnings: product.warnings,
                seconds: seconds, created: Date(), metrics: product.metrics.isEmpty ? nil : product.metrics))
            return .succeeded(node: node, outputs: outputs, warnings: product.warnings, metrics: product.metrics, seconds: seconds)
        } catch {
            return .failed(node: node, message: "\(error)", seconds: elapsed())
        }
    }

    mutating func finish(_ completion: Completion) {
        switch completion {
        case .succeeded(let i, let outputs, let warnings, let metrics, let seconds):
            runningCount[nodes[i].spec.pool, default: 0] -= 1
            guard case .running = nodes[i].state else { return }
            let recordID = nodes[i].spec.id.description
            records[nodes[i].graph].steps[recordID]?.succeeded = true
            let key = records[nodes[i].graph].steps[recordID]?.key
            let reason = reasonOf(i)
            for output in outputs.values {
                if let stat = FileIO.stat(engine.cache.store.path(for: output.digest)) {
                    records[nodes[i].graph].blobStats[output.digest.hex] = stat
                }
            }
            if materialize(i, outputs) {
                complete(i, status: .ran, key: key, reason: reason, seconds: seconds, warnings: warnings,
                         outputs: outputs.mapValues(\.digest), metrics: metrics)
            } else {
                complete(i, status: .failed, key: key, reason: reason, seconds: seconds,
                         error: "could not copy the outputs of \(nodes[i].spec.id) into place")
            }
        case .failed(let i, let message, let seconds):
            runningCount[nodes[i].spec.pool, default: 0] -= 1
            let key = records[nodes[i].graph].steps[nodes[i].spec.id.description]?.key
            complete(i, status: .failed, key: key, reason: reasonOf(i), seconds: seconds, error: message)
        }
    }

    var startedReasons: [Int: String] = [:]

    func reasonOf(_ i: Int) -> String { startedReasons[i] ?? "" }

    mutating func complete(
        _ i: Int, status: StepStatus, key: Digest? = nil, reason: String, seconds: Double = 0,
        warnings: [String] = [], outputs: [String: Digest] = [:], error: String? = nil, metrics: [String: Double] = [:]
    ) {
        let node = nodes[i]
        let result = StepResult(
            id: node.spec.id, scope: graphs[node.graph].scope, key: key, status: status, seconds: seconds,
            reason: reason, warnings: warnings, outputs: outputs, error: error, metrics: metrics)
        nodes[i].state = .done(result)
        engine.observer.handle(.finished(result))
        if status == .failed && !engine.options.keepGoing {
            stopped = true
        }
        for dependent in node.dependents { resolve(dependent) }
    }

    func results() -> [[StepResult]] {
        var perGraph = Array(repeating: [StepResult](), count: graphs.count)
        for node in nodes {
            if case .done(let result) = node.state { perGraph[node.graph].append(result) }
        }
        return perGraph
    }
}
