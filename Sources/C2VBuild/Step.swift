import C2VUtil
import Foundation

/// Which concurrency pool a step runs in: agent calls wait on the network, CPU steps
/// keep cores busy, so each has its own limit (`--agent-jobs`, `--jobs`).
public enum Pool: String, Sendable, Codable {
    case agent
    case cpu
}

/// Where a step's work runs. A worker is a separate process (c2v running itself), so a step
/// that traps or is killed fails alone; it is also the unit a remote executor would run.
public enum Isolation: String, Sendable, Codable {
    case inProcess
    case worker
}

/// A step's name in a graph: its kind and the target it builds (`render(intro)`, `assemble`).
public struct StepID: Hashable, Sendable, Codable, CustomStringConvertible {
    public var kind: String
    public var target: String?

    public init(kind: String, target: String?) {
        self.kind = kind
        self.target = target
    }

    public var description: String { target.map { "\(kind)(\($0))" } ?? kind }
}

/// The name of one of a step's outputs (`segment`, `poster`); the step types declare theirs.
public struct OutputName: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: OutputName, b: OutputName) -> Bool { a.rawValue < b.rawValue }
}

/// The name of a figure a step reports about its work (`tokens_in`); never part of a key.
public struct MetricName: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// One output a step hands back: bytes, or a finished file in its scratch folder
/// (moved into the content store without being read into memory).
public enum StepOutput: Sendable {
    case data(Data)
    case file(String)
    /// A blob already in the store (made by a memo, `StepContext.memoized`).
    case blob(BlobHandle)
}

/// What a step's work returns.
public struct StepProduct: Sendable {
    public var outputs: [OutputName: StepOutput]
    public var warnings: [String]
    /// Figures about the work (tokens, attempts, cost), kept with the cache entry and reported;
    /// like warnings, never part of any key.
    public var metrics: [MetricName: Double]

    public init(outputs: [OutputName: StepOutput], warnings: [String] = [], metrics: [MetricName: Double] = [:]) {
        self.outputs = outputs
        self.warnings = warnings
        self.metrics = metrics
    }
}

/// Services a step may use that are not inputs: an LLM transport and its credentials, a shared
/// budget. They decide how a step reaches its result, never which result its key stands for:
/// anything that changes the output bytes belongs in the step's `Inputs` (a model name, a
/// temperature), never here. Workers get none: CPU steps need none.
public struct StepServices: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public mutating func provide<T: Sendable>(_ value: T) { values[ObjectIdentifier(T.self)] = value }

    public func get<T: Sendable>(_ type: T.Type) -> T? { values[ObjectIdentifier(type)] as? T }
}

/// What a running step may see besides its inputs: its upstream artifacts (by handle, verified
/// as they are read), a scratch folder on the cache's file system, services, and progress.
public struct StepContext: Sendable {
    public let id: StepID
    public let scratch: String
    let upstream: [StepID: [OutputName: BlobHandle]]
    let blobs: any ContentStore
    let services: StepServices
    let progressSink: @Sendable (Int, Int) -> Void
    /// Where memos are kept (the build's action cache); nil: memos always compute.
    let memos: (any ActionCache)?

    public init(id: StepID, scratch: String, upstream: [StepID: [OutputName: BlobHandle]], blobs: any ContentStore,
                services: StepServices = StepServices(), memos: (any ActionCache)? = nil,
                progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.id = id
        self.scratch = scratch
        self.upstream = upstream
        self.blobs = blobs
        self.services = services
        self.memos = memos
        self.progressSink = progress
    }

    /// A part of a step's work, keyed and cached like a step of its own: `kind/name`, the
    /// components it runs and its canonical inputs. A section's `speak` memoises each line, so
    /// editing one line re-speaks only that line. Returns the outputs' handles and whether they
    /// came from the cache. A corrupt or missing memo output is computed again.
    public func memoized<Inputs: Encodable>(
        _ name: String, components: [ComponentVersion], inputs: Inputs, produce: () throws -> [OutputName: Data]
    ) throws -> (outputs: [OutputName: BlobHandle], cached: Bool) {
        let canonical = try CanonicalInputs(inputs)
        let key = StepKey(kind: "\(id.kind)/\(name)", components: components,
                          inputs: [KeyComponent("inputs", String(decoding: canonical.json, as: UTF8.self))])
        if let memos, case .hit(let entry) = memos.get(key.digest) {
            let outputs = Dictionary(uniqueKeysWithValues: entry.outputs.map { (OutputName($0.key), $0.value) })
            if outputs.values.allSatisfy({ if case .intact = blobs.check($0, stamp: nil) { true } else { false } }) {
                return (outputs, true)
            }
        }
        var outputs: [OutputName: BlobHandle] = [:]
        for (output, data) in try produce() { outputs[output] = try blobs.put(data) }
        try memos?.put(ActionEntry(key: key.digest, step: "\(id.kind)/\(name)",
                                   outputs: Dictionary(uniqueKeysWithValues: outputs.map { ($0.key.rawValue, $0.value) }),
                                   warnings: [], seconds: 0, created: Date(), metrics: nil))
        return (outputs, false)
    }

    /// A stored blob's bytes, verified (for a memo's outputs).
    public func read(_ blob: BlobHandle) throws -> Data { try blobs.read(blob) }

    /// The handle of a declared dependency's output.
    public func blob(_ output: OutputName, of step: StepID) throws -> BlobHandle {
        guard let blob = upstream[step]?[output] else {
            throw C2VError(.internal, "\(id) reads \(step).\(output), which is not among its declared inputs")
        }
        return blob
    }

    /// An upstream artifact's bytes, verified while they are read.
    public func data(_ output: OutputName, of step: StepID) throws -> Data {
        try blobs.read(blob(output, of: step))
    }

    /// Copies an upstream artifact to `path` (in the scratch folder), verified while it is
    /// copied: for readers that seek, which cannot hash as they go.
    public func copy(_ output: OutputName, of step: StepID, to path: String) throws {
        try blobs.copy(blob(output, of: step), to: path)
    }

    /// An upstream JSON artifact, verified and decoded.
    public func decode<T: Decodable>(_ type: T.Type, _ output: OutputName, of step: StepID) throws -> T {
        try JSONDecoder().decode(type, from: data(output, of: step))
    }

    /// A service the graph builder provided; a missing one is a bug in the builder.
    public func service<T: Sendable>(_ type: T.Type) throws -> T {
        guard let value = services.get(type) else {
            throw C2VError(.internal, "\(id) needs a \(T.self), which this build does not provide")
        }
        return value
    }

    /// Reports `done` of `total` units (frames, tokens) to the progress display.
    public func progress(_ done: Int, of total: Int) { progressSink(done, total) }
}

/// One kind of step: its typed inputs, the code components it runs, and its work.
///
/// `Inputs` is both what the key hashes (canonically, field by field) and the only value the
/// work receives: the engine hands `run` the value decoded from the very bytes it hashed, so a
/// step cannot read what its key leaves out. Compare llbuild2fx's `FXKey` and swift-driver's
/// `Job`. Upstream artifacts come in through `StepContext`, by digest.
public protocol BuildStep: SendableMetatype {
    associatedtype Inputs: Codable & Sendable
    /// Short lowercase name used in step ids, reports and keys (`render`).
    static var kind: String { get }
    static var pool: Pool { get }
    static var isolation: Isolation { get }
    /// Every component whose behaviour shapes this step's outputs; each version joins the key.
    static var components: [ComponentVersion] { get }
    static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct
}

extension BuildStep {
    public static var isolation: Isolation { .inProcess }

    /// Decodes the canonical inputs and runs: the one way any executor starts this step's work.
    static func perform(_ json: Data, in context: StepContext) async throws -> StepProduct {
        let inputs: Inputs
        do { inputs = try JSONDecoder().decode(Inputs.self, from: json) } catch {
            throw C2VError(.internal, "\(context.id): its inputs do not decode as \(Inputs.self)", underlying: "\(error)")
        }
        return try await run(inputs, in: context)
    }
}

/// A planned step as plain data: what it is, what it reads, and which kind's work produces it.
public struct StepSpec: Sendable {
    public let id: StepID
    public let pool: Pool
    public let isolation: Isolation
    /// Plain data like the rest: a test can plan with an older version of a component.
    public var components: [ComponentVersion]
    public let inputs: CanonicalInputs
    /// Upstream steps; the digests of all their outputs join this step's key.
    public let dependencies: [StepID]
    /// Output name -> file to keep a verified copy at after the build (`build/<lesson>/<lesson>.mp4`).
    public let materialize: [OutputName: String]
    /// Outputs whose bytes the caller reads after the build (a summary); loaded and verified by
    /// the engine, so a corrupt one reruns the step instead of failing the report.
    public let retained: [OutputName]
    let perform: @Sendable (Data, StepContext) async throws -> StepProduct

    /// `isolation` overrides the kind's, for a step whose inputs need services a worker has not
    /// (a speech endpoint's credentials).
    public init<S: BuildStep>(
        _ step: S.Type, target: String?, inputs: S.Inputs, dependencies: [StepID] = [],
        materialize: [OutputName: String] = [:], retained: [OutputName] = [], isolation: Isolation? = nil
    ) throws {
        id = StepID(kind: S.kind, target: target)
        pool = S.pool
        self.isolation = isolation ?? S.isolation
        components = S.components
        self.inputs = try CanonicalInputs(inputs)
        self.dependencies = dependencies
        self.materialize = materialize
        self.retained = retained
        perform = { json, context in try await S.perform(json, in: context) }
    }
}

/// The step kinds a worker process can run, by kind name.
public struct StepRegistry: Sendable {
    var steps: [String: @Sendable (Data, StepContext) async throws -> StepProduct] = [:]

    public init() {}

    public mutating func register<S: BuildStep>(_ step: S.Type) {
        steps[S.kind] = { json, context in try await S.perform(json, in: context) }
    }
}

/// The steps of one scope (a lesson), in declared order; a step's dependencies come before it.
public struct BuildGraph: Sendable {
    /// Names the record of last builds used by `--explain` (e.g. the lesson's name).
    public var scope: String
    public var steps: [StepSpec]

    public init(scope: String, steps: [StepSpec]) throws {
        self.scope = scope
        self.steps = steps
        var seen = Set<StepID>()
        for step in steps {
            guard seen.insert(step.id).inserted else {
                throw C2VError(.internal, "step \(step.id) appears twice in \(scope)")
            }
            for dependency in step.dependencies where !seen.contains(dependency) {
                throw C2VError(.internal, "step \(step.id) depends on \(dependency), which is not declared before it")
            }
        }
    }
}

/// Runs blocking work (drawing, encoding, hashing large files) on its own thread so the
/// cooperative pool stays free for the scheduler and network-bound steps.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// A step that failed after doing work worth counting: its error, and the metrics of what it
/// did before failing (the tokens of an agent's calls, which the server billed). The engine
/// reports the error and keeps the metrics on the failed result; nothing is cached.
public struct StepFailure: Error, CustomStringConvertible {
    public var underlying: any Error
    public var metrics: [MetricName: Double]

    public init(_ underlying: any Error, metrics: [MetricName: Double]) {
        self.underlying = underlying
        self.metrics = metrics
    }

    public var description: String { C2VError.describe(underlying) }
}
