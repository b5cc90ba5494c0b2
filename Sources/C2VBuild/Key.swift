import Crypto
import Foundation

/// A kind of step with a version: bumping `version` invalidates exactly the steps of this kind.
public protocol StepKind {
    /// Short lowercase name used in step ids and reports (`render`).
    static var name: String { get }
    /// Incremented whenever the step's code changes what it produces from the same inputs.
    static var version: Int { get }
}

/// One named input of a key: a lesson field, a setting, or an upstream artifact digest.
public struct KeyComponent: Hashable, Sendable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Builds a length-prefixed byte encoding, so no two different sequences of fields
/// encode to the same bytes: `("ab","c")` and `("a","bc")` differ.
public struct CanonicalEncoder {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ string: String) {
        let utf8 = Array(string.utf8)
        append(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

/// The identity of one step's work: kind, version and every input, hashed canonically.
///
/// Keys never hold absolute paths, timestamps, the cache location or secrets; callers
/// pass only what a step reads. Component order is significant and kept as given.
public struct StepKey: Hashable, Sendable {
    public let kind: String
    public let version: Int
    public let components: [KeyComponent]
    public let digest: Digest

    /// Format tag of the key encoding itself; changing the encoding changes every key.
    static let encodingTag = "c2v-step-key/1"

    public init(kind: String, version: Int, components: [KeyComponent]) {
        self.kind = kind
        self.version = version
        self.components = components
        var encoder = CanonicalEncoder()
        encoder.append(Self.encodingTag)
        encoder.append(kind)
        encoder.append(UInt64(version))
        encoder.append(UInt64(components.count))
        for component in components {
            encoder.append(component.name)
            encoder.append(component.value)
        }
        digest = Digest(SHA256.hash(data: encoder.bytes))
    }

    /// Per-component digests, kept in the target record so `--explain` can name what changed.
    public var componentDigests: [RecordedComponent] {
        components.map { RecordedComponent(name: $0.name, digest: Digest.of($0.value)) }
    }
}

/// What the target record remembers of one key component (its value's digest only).
public struct RecordedComponent: Hashable, Sendable, Codable {
    public var name: String
    public var digest: Digest
}
