import Crypto
import Foundation
import C2VUtil

/// A SHA-256 content digest, written as 64 lowercase hex characters.
public struct Digest: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let hex: String

    public init?(hex: String) {
        // Bytes, not Characters: this runs for every digest a record or action entry holds.
        guard hex.utf8.count == 64,
              hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        self.hex = hex
    }

    init(_ digest: SHA256.Digest) {
        hex = digest.map { byte in
            let s = String(byte, radix: 16)
            return byte < 16 ? "0" + s : s
        }.joined()
    }

    public static func of(_ data: Data) -> Digest { Digest(SHA256.hash(data: data)) }
    public static func of(_ string: String) -> Digest { of(Data(string.utf8)) }

    /// Hashes a file in 1 MiB chunks so large segments never sit in memory whole.
    public static func ofFile(at path: String) throws -> Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw C2VError(.io, "cannot open \(path) for hashing")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw C2VError(.io, "cannot read \(path)", underlying: C2VError.describe(error))
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return Digest(hasher.finalize())
    }

    public var description: String { hex }
    public var short: String { String(hex.prefix(12)) }
    public static func < (a: Digest, b: Digest) -> Bool { a.hex < b.hex }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Digest(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a SHA-256 hex digest"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
