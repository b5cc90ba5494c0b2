import Foundation
import C2VUtil

/// Blobs by SHA-256 digest under `<cache>/cas/<aa>/<digest>`.
///
/// Writes are atomic (temporary file in the same directory, fsync, rename), so a blob
/// that exists under its name is complete; reads verify the digest and report a mismatch.
public struct ContentStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public func path(for digest: Digest) -> String {
        "\(root)/\(digest.hex.prefix(2))/\(digest.hex)"
    }

    /// Stores bytes and returns their digest; storing the same bytes twice is a no-op.
    @discardableResult
    public func put(_ data: Data) throws -> Digest {
        let digest = Digest.of(data)
        let target = path(for: digest)
        // Small blobs only come through here, so an existing one is rehashed rather than trusted.
        if FileIO.stat(target)?.size == Int64(data.count), (try? Digest.ofFile(at: target)) == digest { return digest }
        try FileIO.writeAtomically(data, to: target)
        return digest
    }

    /// Moves a finished file into the store. The file must be on the cache's file system
    /// (steps get their scratch folders under the cache for this reason).
    @discardableResult
    public func ingest(fileAt source: String) throws -> Digest {
        let digest = try Digest.ofFile(at: source)
        let target = path(for: digest)
        try FileIO.createDirectory((target as NSString).deletingLastPathComponent)
        if FileIO.stat(target) != nil, (try? Digest.ofFile(at: target)) == digest {
            try? FileManager.default.removeItem(atPath: source)
            return digest
        }
        try FileIO.commitRename(from: source, to: target)
        return digest
    }

    /// Reads and verifies a blob. A mismatch is reported as `.cacheCorrupt`.
    public func read(_ digest: Digest) throws -> Data {
        let data = try FileIO.read(path(for: digest))
        guard Digest.of(data) == digest else {
            throw C2VError(.cacheCorrupt, "content store blob \(digest.short) does not match its digest")
        }
        return data
    }

    /// Rehashes a blob on disk; false when it is missing or its bytes changed.
    public func verify(_ digest: Digest) -> Bool {
        (try? Digest.ofFile(at: path(for: digest))) == digest
    }

    /// Removes a blob that failed verification so the rebuilt one can take its place.
    public func evict(_ digest: Digest) {
        try? FileManager.default.removeItem(atPath: path(for: digest))
    }
}
