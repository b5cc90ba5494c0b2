#if canImport(Glibc)
import Glibc
#endif
import C2VUtil
import Crypto
import Foundation

/// Blobs by SHA-256 digest under `<cache>/cas/<aa>/<digest>`.
///
/// Writes are atomic (temporary file in the build's scratch folder, fsync, rename), so a blob
/// that exists under its name is complete; every read hashes what it reads.
public struct LocalContentStore: ContentStore {
    public let root: String
    /// Where partial writes live until they are renamed in (same file system); nil: beside the blob.
    let temporaryDirectory: String?

    public init(root: String, temporaryDirectory: String? = nil) {
        self.root = root
        self.temporaryDirectory = temporaryDirectory
    }

    public func path(for digest: Digest) -> String {
        "\(root)/\(digest.hex.prefix(2))/\(digest.hex)"
    }

    public func put(_ data: Data) throws -> BlobHandle {
        let handle = BlobHandle(digest: Digest.of(data), size: Int64(data.count))
        if case .intact = check(handle, stamp: nil) { return handle }
        try FileIO.writeAtomically(data, to: path(for: handle.digest), temporaryDirectory: temporaryDirectory)
        return handle
    }

    public func ingest(fileAt source: String) throws -> BlobHandle {
        let digest = try Digest.ofFile(at: source)
        let handle = BlobHandle(digest: digest, size: FileIO.stat(source)?.size ?? 0)
        let target = path(for: digest)
        try FileIO.createDirectory((target as NSString).deletingLastPathComponent)
        if case .intact = check(handle, stamp: nil) {
            try? FileManager.default.removeItem(atPath: source)
            return handle
        }
        try FileIO.commitRename(from: source, to: target)
        return handle
    }

    public func read(_ blob: BlobHandle) throws -> Data {
        var data = Data()
        data.reserveCapacity(Int(max(0, min(blob.size, 1 << 30))))
        try stream(blob) { chunk in data.append(chunk) }
        return data
    }

    /// The destination's folder must exist (a dead build's worker must not recreate its scratch).
    public func copy(_ blob: BlobHandle, to destination: String) throws {
        let directory = (destination as NSString).deletingLastPathComponent
        let temporary = "\(directory.isEmpty ? "." : directory)/.c2v-tmp-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw C2VError(.io, "cannot create a file in \(directory)", underlying: FileIO.errnoText()) }
        Interruption.shared.addPartialFile(temporary)
        var committed = false
        defer {
            if !committed { unlink(temporary) }
            Interruption.shared.removePartialFile(temporary)
        }
        do {
            defer { close(fd) }
            try stream(blob) { chunk in
                try chunk.withUnsafeBytes { raw in
                    var offset = 0
                    while offset < raw.count {
                        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 && errno == EINTR { continue }
                        guard n > 0 else { throw C2VError(.io, "cannot write \(destination)", underlying: FileIO.errnoText()) }
                        offset += n
                    }
                }
            }
        }
        try FileIO.commitRename(from: temporary, to: destination)
        committed = true
    }

    /// Reads a blob in 1 MiB chunks, hashing each before handing it on; throws `BlobCorruption`
    /// after the last chunk if the bytes were not the blob's. Callers keep nothing on a throw.
    func stream(_ blob: BlobHandle, _ body: (Data) throws -> Void) throws {
        let path = path(for: blob.digest)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BlobCorruption(digest: blob.digest, detail: "is missing from the content store")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw C2VError(.io, "cannot read blob \(blob.digest.short)", underlying: C2VError.describe(error))
            }
            if chunk.isEmpty { break }
            total += Int64(chunk.count)
            guard total <= blob.size else { throw BlobCorruption(digest: blob.digest, detail: "is longer than its \(blob.size) bytes") }
            hasher.update(data: chunk)
            try body(chunk)
        }
        guard total == blob.size else { throw BlobCorruption(digest: blob.digest, detail: "has \(total) bytes, not \(blob.size)") }
        guard Digest(hasher.finalize()) == blob.digest else {
            throw BlobCorruption(digest: blob.digest, detail: "does not match its digest")
        }
    }

    public func check(_ blob: BlobHandle, stamp: FileIO.Stat?) -> BlobState {
        let path = path(for: blob.digest)
        guard let stat = FileIO.stat(path) else { return .missing }
        guard stat.size == blob.size else { return .corrupt }
        if let stamp, stamp == stat { return .intact(stat) }
        return (try? Digest.ofFile(at: path)) == blob.digest ? .intact(stat) : .corrupt
    }

    public func stamp(of blob: BlobHandle) -> FileIO.Stat? { FileIO.stat(path(for: blob.digest)) }

    public func evict(_ digest: Digest) {
        try? FileManager.default.removeItem(atPath: path(for: digest))
    }
}

/// Key -> outputs, stored as JSON under `<cache>/ac/<aa>/<key>`.
public struct LocalActionCache: ActionCache {
    public let root: String
    let temporaryDirectory: String?

    public init(root: String, temporaryDirectory: String? = nil) {
        self.root = root
        self.temporaryDirectory = temporaryDirectory
    }

    public func path(for key: Digest) -> String {
        "\(root)/\(key.hex.prefix(2))/\(key.hex)"
    }

    public func get(_ key: Digest) -> ActionLookup {
        guard let data = FileManager.default.contents(atPath: path(for: key)) else {
            // Something that is there but cannot be read as a file (a folder in its place) is
            // corrupt, so the engine removes it; as a miss it would block every later build.
            return FileManager.default.fileExists(atPath: path(for: key)) ? .corrupt("action cache entry is not a readable file") : .miss
        }
        do {
            let entry = try Self.decoder.decode(ActionEntry.self, from: data)
            guard entry.key == key else { return .corrupt("action cache entry names another key") }
            return .hit(entry)
        } catch {
            return .corrupt("action cache entry is not valid JSON")
        }
    }

    public func put(_ entry: ActionEntry) throws {
        try FileIO.writeAtomically(try Self.encoder.encode(entry), to: path(for: entry.key), temporaryDirectory: temporaryDirectory)
    }

    public func remove(_ key: Digest) {
        try? FileManager.default.removeItem(atPath: path(for: key))
    }

    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    public static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
}

/// The cache folder on local disk:
///
/// ```
/// cas/      blobs by digest        ac/       action entries by key
/// records/  per-scope memory       state/    small files of the tools above (samples.json)
/// tmp/      one folder per running build, each with a lock that tells a live build from a dead one
/// ```
public struct LocalCache: BuildStorage {
    public let root: String
    /// The scratch folder of the build using this value; writes go through it.
    let scratchPath: String?

    public init(root: String) {
        self.root = root
        scratchPath = nil
    }

    init(root: String, scratchPath: String) {
        self.root = root
        self.scratchPath = scratchPath
    }

    /// The folders c2v owns inside `root`; `clean` removes these and nothing else.
    public static let folders = ["cas", "ac", "records", "state", "tmp"]

    public var blobs: any ContentStore { LocalContentStore(root: "\(root)/cas", temporaryDirectory: scratchPath) }
    public var actions: any ActionCache { LocalActionCache(root: "\(root)/ac", temporaryDirectory: scratchPath) }
    public var recordsDirectory: String { "\(root)/records" }
    public var concurrentLookups: Int { 0 }
    public var workerStoreRoot: String { "\(root)/cas" }
    public var workerActionsRoot: String { "\(root)/ac" }
    public func statePath(_ name: String) -> String { "\(root)/state/\(name)" }

    /// The disk stores themselves, for a storage layered over this one (the remote cache).
    public var localBlobs: LocalContentStore { LocalContentStore(root: "\(root)/cas", temporaryDirectory: scratchPath) }
    public var localActions: LocalActionCache { LocalActionCache(root: "\(root)/ac", temporaryDirectory: scratchPath) }
    public func stagedLocal(in scratch: BuildScratch) -> LocalCache { LocalCache(root: root, scratchPath: scratch.path) }

    /// The same cache with its writes staged in `scratch`.
    public func staged(in scratch: BuildScratch) -> any BuildStorage { LocalCache(root: root, scratchPath: scratch.path) }

    public func openScratch() throws -> BuildScratch {
        try BuildScratch.open(in: "\(root)/tmp")
    }

    public func reclaimScratch() {
        BuildScratch.reclaimDead(in: "\(root)/tmp")
    }

    public func clean() throws -> [String] {
        var removed: [String] = []
        let manager = FileManager.default
        // A live build's scratch is left alone: cleaning under a running build must not break it.
        BuildScratch.reclaimDead(in: "\(root)/tmp")
        for folder in Self.folders {
            let path = "\(root)/\(folder)"
            guard manager.fileExists(atPath: path) else { continue }
            if folder == "tmp", let rest = try? manager.contentsOfDirectory(atPath: path), !rest.isEmpty { continue }
            do { try manager.removeItem(atPath: path) } catch {
                throw C2VError(.io, "cannot remove \(path)", underlying: C2VError.describe(error))
            }
            removed.append(path)
        }
        if let rest = try? manager.contentsOfDirectory(atPath: root), rest.isEmpty { try? manager.removeItem(atPath: root) }
        return removed
    }
}
