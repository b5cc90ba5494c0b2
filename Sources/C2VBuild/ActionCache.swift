import Foundation
import C2VUtil

/// One output of a step as recorded in the action cache.
public struct OutputRecord: Hashable, Sendable, Codable {
    public var digest: Digest
    public var size: Int64
}

/// What the action cache holds for a key: the step's output digests and metadata.
/// `seconds` and `created` are metadata only; they never feed back into any key.
public struct ActionEntry: Sendable, Codable, Equatable {
    public var key: Digest
    public var step: String
    public var outputs: [String: OutputRecord]
    public var warnings: [String]
    public var seconds: Double
    public var created: Date
    /// Metadata like `seconds` (entries written before it existed have none).
    public var metrics: [String: Double]?
}

/// Key -> outputs, stored as JSON under `<cache>/ac/<aa>/<key>`.
public struct ActionCache: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public func path(for key: Digest) -> String {
        "\(root)/\(key.hex.prefix(2))/\(key.hex)"
    }

    public enum Lookup: Sendable {
        case hit(ActionEntry)
        case miss
        /// The entry exists but cannot be trusted; the reason says why.
        case corrupt(String)
    }

    public func get(_ key: Digest) -> Lookup {
        let path = path(for: key)
        guard let data = FileManager.default.contents(atPath: path) else { return .miss }
        do {
            let entry = try Self.decoder.decode(ActionEntry.self, from: data)
            guard entry.key == key else { return .corrupt("action cache entry names another key") }
            return .hit(entry)
        } catch {
            return .corrupt("action cache entry is not valid JSON")
        }
    }

    public func put(_ entry: ActionEntry) throws {
        let data = try Self.encoder.encode(entry)
        try FileIO.writeAtomically(data, to: path(for: entry.key))
    }

    public func remove(_ key: Digest) {
        try? FileManager.default.removeItem(atPath: path(for: key))
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
}
