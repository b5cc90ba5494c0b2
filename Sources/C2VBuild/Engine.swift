#if canImport(Glibc)
import Glibc
#endif
import C2VUtil
import Foundation

/// How a step ended in one build.
public enum StepStatus: String, Sendable, Codable, CaseIterable {
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
    public var reason: StepReason
    public var warnings: [String]
    public var outputs: [OutputName: BlobHandle]
    /// The bytes of the step's `retained` outputs, verified.
    public var retained: [OutputName: Data] = [:]
    public var error: String?
    /// The step's metrics: from this run, or from the run that made the cache entry.
    public var metrics: [MetricName: Double] = [:]
    /// How long the work that made its outputs took: this run's time, or for a cache hit the
    /// time recorded by the run that made the entry. What sharding balances on.
    public var workSeconds: Double = 0
}

/// What the engine tells an observer while it works.
public enum BuildEvent: Sendable {
    case started(scope: String, step: StepID, reason: RerunReason)
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
    /// Test hook: steps (by id, `render(intro)`) made to fail or to trap.
    public var faults: [String: Fault]
    /// Starts worker processes for `.worker` steps; nil runs every step in this process.
    public var workers: WorkerLauncher?

    public init(jobs: Int, agentJobs: Int = 4, keepGoing: Bool = false, dryRun: Bool = false,
                faults: [String: Fault] = [:], workers: WorkerLauncher? = nil) {
        self.jobs = max(1, jobs)
        self.agentJobs = max(1, agentJobs)
        self.keepGoing = keepGoing
        self.dryRun = dryRun
        self.faults = faults
        self.workers = workers
    }
}

/// What one `build` call did, per graph in declared step order, and what it cost.
public struct EngineRun: Sendable {
    public var results: [[StepResult]]
    public var workersStarted: Int
}

/// Runs build graphs: computes keys, answers from the cache, runs what is missing in two
/// bounded pools (CPU steps in worker processes), and records what it did. One task (the
/// caller of `build`) owns all state.
public struct BuildEngine: Sendable {
    public let storage: any BuildStorage
    public let options: BuildOptions
    public let observer: any BuildObserver
    public let services: StepServices

    public init(storage: any BuildStorage, options: BuildOptions, observer: any BuildObserver,
                services: StepServices = StepServices()) {
        self.storage = storage
        self.options = options
        self.observer = observer
        self.services = services
    }

    /// Builds every graph; the results come back per graph in declared step order.
    public func build(_ graphs: [BuildGraph]) async -> EngineRun {
        var run = Run(engine: self, graphs: graphs)
        await run.execute()
        return EngineRun(results: run.results(), workersStarted: run.workers?.workersStarted ?? 0)
    }
}

/// The mutable state of one `build` call, owned by a single task.
private struct Run {
    enum State {
        case pending
        case ready(StepKey, reason: RerunReason)
        case running(StepKey, reason: RerunReason)
        /// Its key is being looked up in the cache, off the scheduler.
        case lookingUp(StepKey, reason: RerunReason)
        case done(StepResult)
    }

    /// What the cache said about one key, checked.
    enum Lookup: Sendable {
        case hit(ActionEntry, stats: [Digest: FileIO.Stat?])
        /// An output of the entry is missing or does not match its digest.
        case damagedBlob(OutputName, BlobHandle)
        case corruptEntry(String)
        case miss
    }

    struct Node {
        let graph: Int
        let spec: StepSpec
        var dependencies: [Int]
        var dependents: [Int] = []
        var state: State = .pending
        /// Set when a reader found this step's output corrupt: why it runs again.
        var rerunBecause: RerunReason?
        var corruptionReruns = 0
    }

    enum Completion: Sendable {
        case succeeded(node: Int, outputs: [OutputName: BlobHandle], warnings: [String], metrics: [MetricName: Double], seconds: Double)
        case failed(node: Int, message: String, corrupt: Digest?, seconds: Double, metrics: [MetricName: Double] = [:])
        case lookedUp(node: Int, Lookup)
    }

    let engine: BuildEngine
    let graphs: [BuildGraph]
    var nodes: [Node] = []
    var records: [ScopeRecord]
    /// As loaded, so a build that changed nothing writes nothing.
    let loadedRecords: [ScopeRecord]
    var readyQueue: [Pool: [Int]] = [.agent: [], .cpu: []]
    var runningCount: [Pool: Int] = [.agent: 0, .cpu: 0]
    /// Steps waiting for a cache lookup off the scheduler, and how many are under way.
    var lookupQueue: [Int] = []
    var lookupsRunning = 0
    var stopped = false
    /// Opened when the first step runs: a build the cache answers whole writes nothing.
    var scratch: BuildScratch?
    var staged: (any BuildStorage)?
    var workers: WorkerPool?

    init(engine: BuildEngine, graphs: [BuildGraph]) {
        self.engine = engine
        self.graphs = graphs
        records = graphs.map { ScopeRecord.load(root: engine.storage.recordsDirectory, scope: $0.scope) }
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

    var store: any ContentStore { (staged ?? engine.storage).blobs }

    func limit(_ pool: Pool) -> Int { pool == .agent ? engine.options.agentJobs : engine.options.jobs }

    mutating func execute() async {
        // A write past a file size limit fails with EFBIG (and is cleaned up) instead of killing the build.
        signal(SIGXFSZ, SIG_IGN)
        if !engine.options.dryRun { engine.storage.reclaimScratch() }
        for i in nodes.indices where nodes[i].dependencies.isEmpty { resolve(i) }
        await withTaskGroup(of: Completion.self) { group in
            while true {
                while !stopped, !Interruption.shared.isInterrupted, lookupsRunning < engine.storage.concurrentLookups,
                      !lookupQueue.isEmpty {
                    startLookup(lookupQueue.removeFirst(), in: &group)
                }
                for pool in [Pool.agent, .cpu] {
                    while !stopped, !Interruption.shared.isInterrupted, runningCount[pool, default: 0] < limit(pool),
                          let next = readyQueue[pool]?.first {
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
            complete(i, status: .skipped, reason: .notStarted(afterFailure: stopped))
        }
        workers?.shutdown()
        for (record, loaded) in zip(records, loadedRecords) where record != loaded {
            try? record.save(root: engine.storage.recordsDirectory, temporaryDirectory: scratch?.path)
        }
        scratch?.close()
    }

    /// Computes a step's key once all its dependencies are done, and answers from the cache when it can.
    mutating func resolve(_ i: Int) {
        // A step depending on two steps that finish in one cascade is reached twice; resolve it once.
        guard case .pending = nodes[i].state else { return }
        let node = nodes[i]
        var upstreamFailed: StepID?
        var upstreamWouldRun: StepID?
        var upstream: [KeyComponent] = []
        for d in node.dependencies {
            guard case .done(let result) = nodes[d].state else { return }
            switch result.status {
            case .ran, .cached:
                for (name, blob) in result.outputs.sorted(by: { $0.key < $1.key }) {
                    upstream.append(KeyComponent("\(result.id)/\(name)", "sha256:\(blob.digest.hex)"))
                }
            case .failed, .skipped: upstreamFailed = upstreamFailed ?? result.id
            case .wouldRun: upstreamWouldRun = upstreamWouldRun ?? result.id
            }
        }
        if let upstreamFailed {
            complete(i, status: .skipped, reason: .upstreamFailed(upstreamFailed))
            return
        }
        if let upstreamWouldRun {
            complete(i, status: .wouldRun, reason: .upstreamWouldRun(upstreamWouldRun))
            return
        }
        let inputs = node.spec.inputs, hashedUpstream = upstream
        let key = StepKey(kind: node.spec.id.kind, components: node.spec.components,
                          inputs: [KeyComponent("inputs", String(decoding: inputs.json, as: UTF8.self))] + upstream,
                          explanation: { inputs.fields + hashedUpstream })
        let previous = records[node.graph].steps[node.spec.id.description]
        // Explaining is only needed when the key is new to this target, or its last attempt failed.
        let reason = node.rerunBecause
            ?? (previous?.key == key.digest ? (previous!.succeeded ? .notInCache : .previousAttemptFailed)
                : RerunReason.explain(key, against: previous))
        if engine.storage.concurrentLookups > 0 {
            // A remote answers slowly: ask it off the scheduler, several steps at a time.
            nodes[i].state = .lookingUp(key, reason: reason)
            lookupQueue.append(i)
            return
        }
        apply(Self.lookUp(key.digest, actions: engine.storage.actions, store: store, stamps: records[node.graph].blobStats),
              to: i, key: key, reason: reason)
    }

    /// Asks the action cache for a key and checks every output blob of a hit. Touches no state of
    /// the run, so it can run off the scheduler; a stat equal to the one recorded when a blob
    /// was last hashed is trusted (reads verify as they go), anything else is rehashed.
    static func lookUp(_ key: Digest, actions: any ActionCache, store: any ContentStore,
                       stamps: [String: FileIO.Stat]) -> Lookup {
        switch actions.get(key) {
        case .hit(let entry):
            var stats: [Digest: FileIO.Stat?] = [:]
            for (name, blob) in entry.outputs.sorted(by: { $0.key < $1.key }) {
                switch store.check(blob, stamp: stamps[blob.digest.hex]) {
                case .intact(let stat): stats[blob.digest] = stat
                case .missing, .corrupt: return .damagedBlob(OutputName(name), blob)
                }
            }
            return .hit(entry, stats: stats)
        case .corrupt(let why): return .corruptEntry(why)
        case .miss: return .miss
        }
    }

    /// Acts on what the cache said about a step: a verified hit completes it, anything else
    /// queues it to run.
    mutating func apply(_ lookup: Lookup, to i: Int, key: StepKey, reason explained: RerunReason) {
        let node = nodes[i]
        var reason = explained
        switch lookup {
        case .hit(let entry, let stats):
            for (digest, stat) in stats { records[node.graph].blobStats[digest.hex] = stat }
            let outputs = Dictionary(uniqueKeysWithValues: entry.outputs.map { (OutputName($0.key), $0.value) })
            remember(key, for: i, succeeded: true)
            if engine.options.dryRun {
                complete(i, status: .cached, key: key.digest, reason: .cached, warnings: entry.warnings,
                         outputs: outputs, metrics: metrics(entry.metrics), workSeconds: entry.seconds)
                return
            }
            switch deliver(i, outputs) {
            case .delivered(let retained):
                complete(i, status: .cached, key: key.digest, reason: .cached, warnings: entry.warnings,
                         outputs: outputs, retained: retained, metrics: metrics(entry.metrics), workSeconds: entry.seconds)
                return
            case .failed(let message):
                complete(i, status: .failed, key: key.digest, reason: .cached, error: message)
                return
            case .corrupt:
                break
            }
            engine.storage.actions.remove(key.digest)
            reason = .cacheEntryCorrupt
        case .damagedBlob(let name, let blob):
            store.evict(blob.digest)
            records[node.graph].blobStats[blob.digest.hex] = nil
            engine.observer.handle(.warning("\(node.spec.id): its cached \(name) (blob \(blob.digest.short)) is missing or does not match its digest; rebuilding"))
            engine.storage.actions.remove(key.digest)
            reason = .cacheEntryCorrupt
        case .corruptEntry(let why):
            engine.storage.actions.remove(key.digest)
            reason = .cacheEntryCorrupt
            engine.observer.handle(.warning("\(node.spec.id): \(why); rebuilding"))
        case .miss:
            break
        }
        if engine.options.dryRun {
            complete(i, status: .wouldRun, key: key.digest, reason: .ran(reason))
            return
        }
        nodes[i].state = .ready(key, reason: reason)
        readyQueue[node.spec.pool, default: []].append(i)
    }

    /// Starts a lookup queued by `resolve` in a child task.
    mutating func startLookup(_ i: Int, in group: inout TaskGroup<Completion>) {
        guard case .lookingUp(let key, _) = nodes[i].state else { return }
        lookupsRunning += 1
        let actions = engine.storage.actions, store = store, stamps = records[nodes[i].graph].blobStats
        group.addTask {
            let lookup = (try? await runBlocking { Self.lookUp(key.digest, actions: actions, store: store, stamps: stamps) }) ?? .miss
            return .lookedUp(node: i, lookup)
        }
    }

    func metrics(_ stored: [String: Double]?) -> [MetricName: Double] {
        Dictionary(uniqueKeysWithValues: (stored ?? [:]).map { (MetricName($0.key), $0.value) })
    }

    enum Delivery {
        case delivered([OutputName: Data])
        case failed(String)
        case corrupt
    }

    /// Copies the step's materialized outputs into place and loads its retained ones, every
    /// byte verified. A corrupt blob is evicted, so the step runs again.
    mutating func deliver(_ i: Int, _ outputs: [OutputName: BlobHandle]) -> Delivery {
        let node = nodes[i]
        do {
            for (name, destination) in node.spec.materialize.sorted(by: { $0.key < $1.key }) {
                guard let blob = outputs[name] else { return .failed("\(node.spec.id) produced no \(name)") }
                if let known = records[node.graph].materialized[destination], known.digest == blob.digest,
                   FileIO.stat(destination) == known.stat {
                    continue
                }
                try FileIO.createDirectory((destination as NSString).deletingLastPathComponent)
                try store.copy(blob, to: destination)
                guard let stat = FileIO.stat(destination) else { return .failed("\(destination) vanished after it was written") }
                records[node.graph].materialized[destination] = MaterializedRecord(digest: blob.digest, stat: stat)
            }
            var retained: [OutputName: Data] = [:]
            for name in node.spec.retained {
                guard let blob = outputs[name] else { return .failed("\(node.spec.id) produced no \(name)") }
                retained[name] = try store.read(blob)
            }
            return .delivered(retained)
        } catch let corruption as BlobCorruption {
            store.evict(corruption.digest)
            records[node.graph].blobStats[corruption.digest.hex] = nil
            engine.observer.handle(.warning("\(node.spec.id): cached \(corruption); rebuilding"))
            return .corrupt
        } catch {
            return .failed("could not copy the outputs of \(node.spec.id) into place: \(C2VError.describe(error))")
        }
    }

    mutating func remember(_ key: StepKey, for i: Int, succeeded: Bool) {
        let node = nodes[i]
        if let known = records[node.graph].steps[node.spec.id.description], known.key == key.digest {
            records[node.graph].steps[node.spec.id.description]?.succeeded = succeeded
            return
        }
        records[node.graph].steps[node.spec.id.description] = StepRecord(
            key: key.digest, components: key.components, inputs: key.inputDigests, succeeded: succeeded)
    }

    /// The scratch folder, worker pool and staged storage, made when the first step starts.
    mutating func prepare() throws -> (BuildScratch, any BuildStorage) {
        if let scratch, let staged { return (scratch, staged) }
        let opened = try engine.storage.openScratch()
        scratch = opened
        staged = engine.storage.staged(in: opened)
        if let launcher = engine.options.workers {
            workers = WorkerPool(launcher: launcher, logDirectory: "\(opened.path)/logs")
        }
        return (opened, staged!)
    }

    mutating func start(_ i: Int, in group: inout TaskGroup<Completion>) {
        guard case .ready(let key, let reason) = nodes[i].state else { return }
        let node = nodes[i]
        let scope = graphs[node.graph].scope
        let (scratch, storage): (BuildScratch, any BuildStorage)
        do { (scratch, storage) = try prepare() } catch {
            complete(i, status: .failed, key: key.digest, reason: .ran(reason), error: C2VError.describe(error))
            return
        }
        nodes[i].state = .running(key, reason: reason)
        runningCount[node.spec.pool, default: 0] += 1
        remember(key, for: i, succeeded: false)
        engine.observer.handle(.started(scope: scope, step: node.spec.id, reason: reason))
        var upstream: [StepID: [OutputName: BlobHandle]] = [:]
        for d in node.dependencies {
            if case .done(let result) = nodes[d].state { upstream[result.id] = result.outputs }
        }
        let job = Job(spec: node.spec, node: i, key: key, scope: scope, upstream: upstream, scratch: scratch,
                      storage: storage, workers: node.spec.isolation == .worker ? workers : nil,
                      fault: engine.options.faults[node.spec.id.description], engine: engine)
        group.addTask { await job.perform() }
    }

    mutating func finish(_ completion: Completion) {
        switch completion {
        case .lookedUp(let i, let lookup):
            lookupsRunning -= 1
            guard case .lookingUp(let key, let reason) = nodes[i].state else { return }
            apply(lookup, to: i, key: key, reason: reason)
        case .succeeded(let i, let outputs, let warnings, let metrics, let seconds):
            runningCount[nodes[i].spec.pool, default: 0] -= 1
            guard case .running(let key, let reason) = nodes[i].state else { return }
            records[nodes[i].graph].steps[nodes[i].spec.id.description]?.succeeded = true
            // Just written and hashed on the way in: their stat now stands for that hash.
            for blob in outputs.values {
                records[nodes[i].graph].blobStats[blob.digest.hex] = store.stamp(of: blob)
            }
            switch deliver(i, outputs) {
            case .delivered(let retained):
                complete(i, status: .ran, key: key.digest, reason: .ran(reason), seconds: seconds, warnings: warnings,
                         outputs: outputs, retained: retained, metrics: metrics)
            case .failed(let message):
                complete(i, status: .failed, key: key.digest, reason: .ran(reason), seconds: seconds, error: message)
            case .corrupt:
                complete(i, status: .failed, key: key.digest, reason: .ran(reason), seconds: seconds,
                         error: "its outputs did not verify right after they were stored")
            }
        case .failed(let i, let message, let corrupt, let seconds, let metrics):
            runningCount[nodes[i].spec.pool, default: 0] -= 1
            guard case .running(let key, let reason) = nodes[i].state else { return }
            if let corrupt, rebuildProducer(of: corrupt, for: i) { return }
            complete(i, status: .failed, key: key.digest, reason: .ran(reason), seconds: seconds, error: message, metrics: metrics)
        }
    }

    /// A running step found an upstream blob corrupt: evict it, run its producer again (once),
    /// and run the reader after it. False when no dependency made that blob.
    mutating func rebuildProducer(of digest: Digest, for reader: Int) -> Bool {
        for d in nodes[reader].dependencies {
            guard case .done(let result) = nodes[d].state, nodes[d].corruptionReruns == 0,
                  let output = result.outputs.first(where: { $0.value.digest == digest })?.key
            else { continue }
            store.evict(digest)
            records[nodes[d].graph].blobStats[digest.hex] = nil
            if let key = result.key { engine.storage.actions.remove(key) }
            engine.observer.handle(.warning("\(nodes[reader].spec.id): \(result.id)'s \(output) (blob \(digest.short)) did not match its digest; rebuilding it"))
            nodes[d].corruptionReruns += 1
            nodes[d].rerunBecause = .outputCorruptWhenRead(output)
            nodes[d].state = .pending
            nodes[reader].state = .pending
            resolve(d)
            return true
        }
        return false
    }

    mutating func complete(
        _ i: Int, status: StepStatus, key: Digest? = nil, reason: StepReason, seconds: Double = 0,
        warnings: [String] = [], outputs: [OutputName: BlobHandle] = [:], retained: [OutputName: Data] = [:],
        error: String? = nil, metrics: [MetricName: Double] = [:], workSeconds: Double? = nil
    ) {
        let node = nodes[i]
        let result = StepResult(
            id: node.spec.id, scope: graphs[node.graph].scope, key: key, status: status, seconds: seconds,
            reason: reason, warnings: warnings, outputs: outputs, retained: retained, error: error, metrics: metrics,
            workSeconds: workSeconds ?? seconds)
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

/// One step's work, run in a child task: in this process or in a worker, then its outputs are
/// stored and its action entry written.
private struct Job: Sendable {
    let spec: StepSpec
    let node: Int
    let key: StepKey
    let scope: String
    let upstream: [StepID: [OutputName: BlobHandle]]
    let scratch: BuildScratch
    let storage: any BuildStorage
    let workers: WorkerPool?
    let fault: Fault?
    let engine: BuildEngine

    func perform() async -> Run.Completion {
        let clock = ContinuousClock()
        let began = clock.now
        func elapsed() -> Double {
            let d = clock.now - began
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        var folder: String?
        defer { if let folder { try? FileManager.default.removeItem(atPath: folder) } }
        do {
            let stepFolder = try scratch.stepFolder(spec.id.kind)
            folder = stepFolder
            let observer = engine.observer
            let scope = self.scope, id = spec.id
            let progress: @Sendable (Int, Int) -> Void = { done, total in
                observer.handle(.progress(scope: scope, step: id, done: done, total: total))
            }
            let product: StepProduct
            if let workers {
                let job = WorkerJob(
                    id: spec.id, inputs: spec.inputs.json,
                    upstream: upstream.sorted { $0.key.description < $1.key.description }.map { step, outputs in
                        WorkerJob.Upstream(step: step, outputs: Dictionary(uniqueKeysWithValues: outputs.map { ($0.key.rawValue, $0.value) }))
                    },
                    scratch: stepFolder, storeRoot: storage.workerStoreRoot, actionsRoot: storage.workerActionsRoot, fault: fault)
                product = try await workers.run(job, progress: progress)
            } else {
                try fault?.apply(to: spec.id)
                let context = StepContext(id: spec.id, scratch: stepFolder, upstream: upstream, blobs: storage.blobs,
                                          services: engine.services, memos: storage.actions, progress: progress)
                product = try await spec.perform(spec.inputs.json, context)
            }
            let store = storage.blobs
            var outputs: [OutputName: BlobHandle] = [:]
            for (name, output) in product.outputs {
                switch output {
                case .data(let data): outputs[name] = try store.put(data)
                case .blob(let blob):
                    // A memo's blob (possibly written by a worker straight to the local disk):
                    // read back verified and stored through this build's store, so a remote gets it too.
                    outputs[name] = try store.put(try store.read(blob))
                case .file(let path): outputs[name] = try await runBlocking { try store.ingest(fileAt: path) }
                }
            }
            let seconds = elapsed()
            let entry = ActionEntry(
                key: key.digest, step: spec.id.description,
                outputs: Dictionary(uniqueKeysWithValues: outputs.map { ($0.key.rawValue, $0.value) }),
                warnings: product.warnings, seconds: seconds, created: Date(),
                metrics: product.metrics.isEmpty ? nil : Dictionary(uniqueKeysWithValues: product.metrics.map { ($0.key.rawValue, $0.value) }))
            // Off the cooperative pool: a remote cache may wait for its uploads before taking the entry.
            let actions = storage.actions
            try await runBlocking { try actions.put(entry) }
            return .succeeded(node: node, outputs: outputs, warnings: product.warnings, metrics: product.metrics, seconds: seconds)
        } catch let corruption as BlobCorruption {
            return .failed(node: node, message: "\(corruption)", corrupt: corruption.digest, seconds: elapsed())
        } catch let failure as StepFailure {
            // What the failed work still cost (an agent's billed tokens) is kept for the report.
            return .failed(node: node, message: C2VError.describe(failure.underlying), corrupt: nil, seconds: elapsed(),
                           metrics: failure.metrics)
        } catch {
            return .failed(node: node, message: C2VError.describe(error), corrupt: nil, seconds: elapsed())
        }
    }
}
