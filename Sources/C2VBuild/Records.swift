import C2VUtil
import Foundation

/// The last recorded key of one step: enough to say which input changed (`--explain`).
public struct StepRecord: Sendable, Codable, Equatable {
    public var key: Digest
    public var components: [ComponentVersion]
    public var inputs: [RecordedComponent]
    public var succeeded: Bool
}

/// A copy of a blob kept outside the cache (a build output), with its stat at copy time.
struct MaterializedRecord: Sendable, Codable, Equatable {
    var digest: Digest
    var stat: FileIO.Stat
}

/// Per-scope memory of the last build: step keys for explanations, stats of verified blobs
/// (rehash only when their stat moved), and stats of copied outputs.
/// Losing it costs a rehash and a vaguer explanation, never a wrong result.
struct ScopeRecord: Sendable, Codable, Equatable {
    /// Bumped when the layout changes; a record of another format is ignored.
    static let format = 2
    var format = ScopeRecord.format
    var scope: String
    var steps: [String: StepRecord] = [:]
    var blobStats: [String: FileIO.Stat] = [:]
    var materialized: [String: MaterializedRecord] = [:]

    init(scope: String) { self.scope = scope }

    static func path(root: String, scope: String) -> String {
        "\(root)/\(Digest.of(scope).hex.prefix(24)).json"
    }

    static func load(root: String, scope: String) -> ScopeRecord {
        guard let data = FileManager.default.contents(atPath: path(root: root, scope: scope)),
              let record = try? JSONDecoder().decode(ScopeRecord.self, from: data),
              record.scope == scope, record.format == format
        else { return ScopeRecord(scope: scope) }
        return record
    }

    func save(root: String, temporaryDirectory: String?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileIO.writeAtomically(try encoder.encode(self), to: Self.path(root: root, scope: scope), durable: false,
                                   temporaryDirectory: temporaryDirectory)
    }
}

/// Why a step must run: the first thing that differs from its last recorded key.
public enum RerunReason: Sendable, Equatable, CustomStringConvertible {
    case newTarget
    case componentChanged(name: String, from: Int?, to: Int?)
    case inputAdded(String)
    case inputChanged(String)
    case inputRemoved(String)
    case inputsReordered
    case notInCache
    case previousAttemptFailed
    /// The action entry or one of its blobs did not verify.
    case cacheEntryCorrupt
    /// A step reading this step's output found it corrupt, so it runs again.
    case outputCorruptWhenRead(OutputName)

    public var description: String {
        switch self {
        case .newTarget: "new target"
        case .componentChanged(let name, let from?, let to?): "component \(name) version \(from) -> \(to)"
        case .componentChanged(let name, nil, _): "component \(name) added"
        case .componentChanged(let name, _, nil): "component \(name) removed"
        case .inputAdded(let name): "input '\(name)' added"
        case .inputChanged(let name): "input '\(name)' changed"
        case .inputRemoved(let name): "input '\(name)' removed"
        case .inputsReordered: "inputs reordered"
        case .notInCache: "not in cache"
        case .previousAttemptFailed: "previous attempt failed"
        case .cacheEntryCorrupt: "cache entry corrupt"
        case .outputCorruptWhenRead(let output): "its \(output) was corrupt when read"
        }
    }

    static func explain(_ key: StepKey, against record: StepRecord?) -> RerunReason {
        guard let record else { return .newTarget }
        let old = Dictionary(record.components.map { ($0.name, $0.version) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(key.components.map { ($0.name, $0.version) }, uniquingKeysWith: { a, _ in a })
        for component in key.components where old[component.name] != component.version {
            return .componentChanged(name: component.name, from: old[component.name], to: component.version)
        }
        if let removed = record.components.first(where: { new[$0.name] == nil }) {
            return .componentChanged(name: removed.name, from: removed.version, to: nil)
        }
        let oldInputs = Dictionary(record.inputs.map { ($0.name, $0.digest) }, uniquingKeysWith: { a, _ in a })
        for input in key.inputDigests {
            guard let previous = oldInputs[input.name] else { return .inputAdded(input.name) }
            if previous != input.digest { return .inputChanged(input.name) }
        }
        let newNames = Set(key.explanation.map(\.name))
        if let removed = record.inputs.first(where: { !newNames.contains($0.name) }) { return .inputRemoved(removed.name) }
        if key.explanation.map(\.name) != record.inputs.map(\.name) { return .inputsReordered }
        return record.succeeded ? .notInCache : .previousAttemptFailed
    }
}

/// Why a step ended as it did, as the report and the progress display say it.
public enum StepReason: Sendable, Equatable, CustomStringConvertible {
    case cached
    case ran(RerunReason)
    case upstreamFailed(StepID)
    case upstreamWouldRun(StepID)
    case notStarted(afterFailure: Bool)

    public var description: String {
        switch self {
        case .cached: "cached"
        case .ran(let why): why.description
        case .upstreamFailed(let id): "upstream \(id) did not build"
        case .upstreamWouldRun(let id): "may run: upstream \(id) would run"
        case .notStarted(true): "not started: the build stopped after a failure (use --keep-going)"
        case .notStarted(false): "not started"
        }
    }
}
