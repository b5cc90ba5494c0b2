import Foundation
import C2VUtil

/// Which concurrency pool a step runs in: agent calls wait on the network, CPU steps
/// keep cores busy, so each has its own limit (`--agent-jobs`, `--jobs`).
public enum Pool: String, Sendable, Codable {
    case agent
    case cpu
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

/// One output a step hands back: bytes, or a finished file in its scratch folder
/// (moved into the content store without being read into memory).
public enum StepOutput: Sendable {
    case data(Data)
    case file(String)
}

/// What a step's work returns.
public struct StepProduct: Sendable {
    public var outputs: [String: StepOutput]
    public var warnings: [String]
    /// Figures about the work (tokens, attempts, cost), kept with the cache entry and reported;
    /// like warnings, never part of any key.
    public var metrics: [String: Double]

    public init(outputs: [String: StepOutput], warnings: [String] = [], metrics: [String: Double] = [:]) {
        self.outputs = outputs
        self.warnings = warnings
        self.metrics = metrics
    }
}

/// What a running step may see: its upstream artifacts (by digest, verified), a scratch
/// folder on the cache's file system, and a way to report progress.
public struct StepContext: Sendable {
    public let id: StepID
    public let scratch: String
    let upstream: [StepID: [String: Digest]]
    let store: ContentStore
    let progressSink: @Sendable (Int, Int) -> Void

    public func digest(_ output: String, of step: StepID) throws -> Digest {
        guard let digest = upstream[step]?[output] else {
            throw C2VError(.internal, "\(id) reads \(step).\(output), which is not among its declared inputs")
        }
        return digest
    }

    /// The upstream artifact's bytes, verified against its digest.
    public func data(_ output: String, of step: StepID) throws -> Data {
        try store.read(digest(output, of: step))
    }

    /// The upstream artifact's path in the content store. Read it; never write to it.
    public func path(_ output: String, of step: StepID) throws -> String {
        store.path(for: try digest(output, of: step))
    }

    /// Reports `done` of `total` units (frames, tokens) to the progress display.
    public func progress(_ done: Int, of total: Int) { progressSink(done, total) }
}

/// A step as plain data: what it is, what it reads, and the function that produces its bytes.
public struct StepSpec: Sendable {
    public var id: StepID
    public var version: Int
    public var pool: Pool
    /// Canonical values the step reads (lesson fields, settings), in a fixed order.
    public var inputs: [KeyComponent]
    /// Upstream steps; the digests of all their outputs join this step's key.
    public var dependencies: [StepID]
    /// Output name -> file to keep a copy at after the build (e.g. `build/<lesson>/<lesson>.mp4`).
    public var materialize: [String: String]
    public var work: @Sendable (StepContext) async throws -> StepProduct

    public init<K: StepKind>(
        _ kind: K.Type, target: String?, pool: Pool, inputs: [KeyComponent], dependencies: [StepID] = [],
        materialize: [String: String] = [:], work: @escaping @Sendable (StepContext) async throws -> StepProduct
    ) {
        self.id = StepID(kind: K.name, target: target)
        self.version = K.version
        self.pool = pool
        self.inputs = inputs
        self.dependencies = dependencies
        self.materialize = materialize
        self.work = work
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
