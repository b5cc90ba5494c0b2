import C2VUtil
import Foundation

/// A blob as the engine knows it: its digest and its size.
public struct BlobHandle: Hashable, Sendable, Codable, CustomStringConvertible {
    public var digest: Digest
    public var size: Int64

    public init(digest: Digest, size: Int64) {
        self.digest = digest
        self.size = size
    }

    public var description: String { "\(digest.short) (\(size) bytes)" }
}

/// A blob whose bytes did not match its digest (or size) when it was read. The engine treats it
/// as a cache miss: the blob is evicted and the step that made it runs again.
public struct BlobCorruption: Error, Sendable, CustomStringConvertible {
    public var digest: Digest
    public var detail: String

    public init(digest: Digest, detail: String) {
        self.digest = digest
        self.detail = detail
    }

    public var description: String { "blob \(digest.short) \(detail)" }
}

/// What a cheap check of a stored blob found.
public enum BlobState: Sendable, Equatable {
    /// Present and matching; the stamp lets the next check skip rehashing while it holds.
    case intact(FileIO.Stat?)
    case missing
    case corrupt
}

/// Blobs by digest (compare swift-build's `CASProtocol`). Every read hashes the bytes as they
/// stream past and fails with `BlobCorruption` on a mismatch, so no wrong byte is ever used.
public protocol ContentStore: Sendable {
    /// Stores bytes; storing the same bytes twice is a no-op.
    func put(_ data: Data) throws -> BlobHandle
    /// Moves a finished file (on the cache's file system) into the store.
    func ingest(fileAt path: String) throws -> BlobHandle
    /// The whole blob, verified while it is read.
    func read(_ blob: BlobHandle) throws -> Data
    /// Copies a blob to `path`, verified while it is copied into a temporary file beside `path`
    /// and renamed into place only when it matches: no partial or wrong file on any failure.
    func copy(_ blob: BlobHandle, to path: String) throws
    /// Presence and integrity; rehashes unless `stamp` shows the blob unchanged since it was last hashed.
    func check(_ blob: BlobHandle, stamp: FileIO.Stat?) -> BlobState
    /// The blob's stat now, without reading it: recorded right after the blob was written (and
    /// hashed), so later checks can skip rehashing while it holds. Nil when not local.
    func stamp(of blob: BlobHandle) -> FileIO.Stat?
    /// Removes a blob that failed verification so the rebuilt one can take its place.
    func evict(_ digest: Digest)
}

/// One output of a step as recorded in the action cache.
public typealias OutputRecord = BlobHandle

/// What the action cache holds for a key: the step's output blobs and metadata.
/// `seconds` and `created` are metadata only; they never feed back into any key.
public struct ActionEntry: Sendable, Codable, Equatable {
    public var key: Digest
    public var step: String
    public var outputs: [String: OutputRecord]
    public var warnings: [String]
    public var seconds: Double
    public var created: Date
    public var metrics: [String: Double]?

    public init(key: Digest, step: String, outputs: [String: OutputRecord], warnings: [String], seconds: Double,
                created: Date, metrics: [String: Double]?) {
        self.key = key
        self.step = step
        self.outputs = outputs
        self.warnings = warnings
        self.seconds = seconds
        self.created = created
        self.metrics = metrics
    }
}

/// Key -> outputs (compare swift-build's `ActionCacheProtocol`).
public protocol ActionCache: Sendable {
    func get(_ key: Digest) -> ActionLookup
    func put(_ entry: ActionEntry) throws
    func remove(_ key: Digest)
}

public enum ActionLookup: Sendable {
    case hit(ActionEntry)
    case miss
    /// The entry exists but cannot be trusted; the reason says why.
    case corrupt(String)
}

/// Everything the engine keeps between builds, behind one seam: blobs, action entries, the
/// per-scope records that `--explain` reads, and the scratch space of running builds.
public protocol BuildStorage: Sendable {
    var blobs: any ContentStore { get }
    var actions: any ActionCache { get }
    /// How many cache lookups may run at once off the scheduler; 0 for a storage quick enough
    /// to ask inline (a local disk), more for one whose answers cross a network.
    var concurrentLookups: Int { get }
    /// Folder of the per-scope records (a local memory; losing it costs only rehashing).
    var recordsDirectory: String { get }
    /// Claims a scratch folder for one build and reclaims those of builds that died.
    func openScratch() throws -> BuildScratch
    /// Removes what builds that died left in the scratch space (cheap when there is none).
    func reclaimScratch()
    /// The same storage with its partial writes staged in `scratch` (same file system).
    func staged(in scratch: BuildScratch) -> any BuildStorage
    /// A small state file of the tools on top of the engine (`samples.json`), inside the cache.
    func statePath(_ name: String) -> String
    /// Where a worker process finds the same blobs (a local store's root).
    var workerStoreRoot: String { get }
    /// Where a worker process keeps memos (a local action cache's root).
    var workerActionsRoot: String { get }
    /// Empties the storage; returns what was removed, for the user.
    func clean() throws -> [String]
}
