import Foundation
import C2VUtil

/// The last recorded key of one step: enough to say which input changed (`--explain`).
public struct StepRecord: Sendable, Codable, Equatable {
    public var key: Digest
    public var version: Int
    public var components: [RecordedComponent]
    public var succeeded: Bool
}

/// A copy of a blob kept outside the cache (a build output), with its stat at copy time.
struct MaterializedRecord: Sendable, Codable, Equatable {
    var digest: Digest
    var stat: FileIO.Stat
}

/// Per-scope memory of the last build: step keys for explanations, stats of verified blobs
/// (rehash only when size or mtime moved), and stats of copied outputs.
/// Losing it costs a rehash and a vaguer explanation, never a wrong result.
struct ScopeRecord: Sendable, Codable, Equatable {
    var scope: String
    var steps: [String: StepRecord] = [:]
    var blobStats: [String: FileIO.Stat] = [:]
    var materialized: [String: MaterializedRecord] = [:]

    static func path(root: String, scope: String) -> String {
        "\(root)/\(Digest.of(scope).hex.prefix(24)).json"
    }

    static func load(root: String, scope: String) -> ScopeRecord {
        guard let data = FileManager.default.contents(atPath: path(root: root, scope: scope)),
              let record = try? JSONDecoder().decode(ScopeRecord.self, from: data),
              record.scope == scope
        else { return ScopeRecord(scope: scope) }
        return record
    }

    func save(root: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileIO.writeAtomically(try encoder.encode(self), to: Self.path(root: root, scope: scope), durable: false)
    }
}

/// Why a step must run: the first thing that differs from its last recorded key.
func explain(_ key: StepKey, against record: StepRecord?) -> String {
    guard let record else { return "new target" }
    if record.version != key.version { return "step version \(record.version) -> \(key.version)" }
    let old = Dictionary(record.components.map { ($0.name, $0.digest) }, uniquingKeysWith: { a, _ in a })
    let oldNames = record.components.map(\.name)
    for component in key.componentDigests {
        guard let previous = old[component.name] else { return "input '\(component.name)' added" }
        if previous != component.digest { return "input '\(component.name)' changed" }
    }
    let newNames = Set(key.components.map(\.name))
    if let removed = oldNames.first(where: { !newNames.contains($0) }) { return "input '\(removed)' removed" }
    if key.components.map(\.name) != oldNames { return "inputs reordered" }
    return record.succeeded ? "not in cache" : "previous attempt failed"
}
