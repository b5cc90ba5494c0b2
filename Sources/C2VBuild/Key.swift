import C2VUtil
import Crypto
import Foundation

/// One named input of a key: a field of a step's `Inputs`, or an upstream artifact's digest.
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

/// A step's typed inputs in canonical form: the JSON its work decodes (and the key hashes),
/// and its fields flattened to paths (`theme.background`, `lecture_lines[0]`) for `--explain`.
///
/// The JSON is written with sorted keys and no whitespace, so equal values give equal bytes on
/// every machine; the work receives the value decoded from exactly these bytes, so it cannot
/// see anything its key leaves out.
public struct CanonicalInputs: Sendable, Equatable {
    public let json: Data

    public init<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        json = try encoder.encode(value)
        guard json.first == UInt8(ascii: "{") else {
            throw C2VError(.internal, "a step's Inputs must encode as a JSON object, got \(String(decoding: json, as: UTF8.self).prefix(80))")
        }
    }

    /// Leaves up to three levels deep, snake_cased, in sorted order; deeper values (a scene's
    /// objects) are one field each. Only explanations use them (computed when a key is new to
    /// its target); the key hashes `json`.
    public var fields: [KeyComponent] {
        guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else { return [] }
        var fields: [KeyComponent] = []
        try? Self.flatten(object, path: "", depth: 0, into: &fields)
        return fields
    }

    static func flatten(_ value: Any, path: String, depth: Int, into fields: inout [KeyComponent]) throws {
        if depth < 3, let object = value as? [String: Any], !object.isEmpty {
            for name in object.keys.sorted() {
                let segment = snakeCase(name)
                try flatten(object[name]!, path: path.isEmpty ? segment : "\(path).\(segment)", depth: depth + 1, into: &fields)
            }
        } else if depth < 3, depth > 0, let array = value as? [Any], !array.isEmpty, array.count <= 64 {
            for (i, element) in array.enumerated() { try flatten(element, path: "\(path)[\(i)]", depth: depth + 1, into: &fields) }
        } else {
            let text = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
            fields.append(KeyComponent(path, String(decoding: text, as: UTF8.self)))
        }
    }

    /// `lectureLines` -> `lecture_lines`, the way lesson files spell fields.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        for ch in name {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

/// The identity of one step's work: kind, the versions of the components it runs, its typed
/// inputs, and the digests of the artifacts it consumes, hashed canonically.
///
/// Keys never hold absolute paths, timestamps, the cache location or secrets: `Inputs` types
/// hold none, and upstream artifacts enter only as digests.
public struct StepKey: Hashable, Sendable {
    public let kind: String
    /// Sorted by name; each one's version is part of the key.
    public let components: [ComponentVersion]
    /// What is hashed, in order: the canonical inputs, then `<step>/<output>` upstream digests.
    public let inputs: [KeyComponent]
    /// What `--explain` compares: the inputs' flattened fields and the upstream digests.
    /// Computed only when needed (a key new to its target), which keeps no-op builds cheap.
    public var explanation: [KeyComponent] { explain() }
    let explain: @Sendable () -> [KeyComponent]
    public let digest: Digest

    /// Format tag of the key encoding itself; changing the encoding changes every key.
    static let encodingTag = "c2v-step-key/2"

    public init(kind: String, components: [ComponentVersion], inputs: [KeyComponent],
                explanation: (@Sendable () -> [KeyComponent])? = nil) {
        self.kind = kind
        self.components = components.sorted { $0.name < $1.name }
        self.inputs = inputs
        explain = explanation ?? { inputs }
        var encoder = CanonicalEncoder()
        encoder.append(Self.encodingTag)
        encoder.append(kind)
        encoder.append(UInt64(self.components.count))
        for component in self.components {
            encoder.append(component.name)
            encoder.append(UInt64(component.version))
        }
        encoder.append(UInt64(inputs.count))
        for input in inputs {
            encoder.append(input.name)
            encoder.append(input.value)
        }
        digest = Digest(SHA256.hash(data: encoder.bytes))
    }

    public static func == (a: StepKey, b: StepKey) -> Bool { a.digest == b.digest }
    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// Per-input digests, kept in the target record so `--explain` can name what changed.
    public var inputDigests: [RecordedComponent] {
        explanation.map { RecordedComponent(name: $0.name, digest: Digest.of($0.value)) }
    }
}

/// What the target record remembers of one key input (its value's digest only).
public struct RecordedComponent: Hashable, Sendable, Codable {
    public var name: String
    public var digest: Digest
}
