import C2VBuild
import C2VHTTP
import C2VUtil
import Foundation
import Synchronization

/// A cache server that speaks the Bazel HTTP cache protocol (`GET`/`PUT` on `/cas/<sha256>` and
/// `/ac/<key>`, under an optional instance prefix): nginx with WebDAV, bazel-remote, most CI caches.
///
/// The remote never fails a build: the first outage, timeout, 5xx or refused upload is warned
/// about once and the rest of the build runs on the local cache alone. Connecting may take at
/// most 1 s, a request at most `requestTimeout`, and all waiting on the remote in one build at
/// most `budgetSeconds`.
public final class RemoteCache: Sendable {
    public struct Statistics: Sendable, Codable, Equatable {
        public var hits = 0
        public var misses = 0
        public var errors = 0
        public var bytesDown = 0
        public var bytesUp = 0
        public var seconds = 0.0
        public var disabled = false

        enum CodingKeys: String, CodingKey {
            case hits, misses, errors, bytesDown = "bytes_down", bytesUp = "bytes_up", seconds, disabled
        }
    }

    /// The URL without credentials or a trailing slash; what messages show.
    public let base: String
    let userPassword: String?
    let netrc: String?
    let http: HTTPClient
    let warn: @Sendable (String) -> Void
    let requestTimeout: Double
    let budgetSeconds: Double
    private let state = Mutex(Statistics())
    /// Blob uploads run in the background, at most `uploadLimit` at once; an action entry waits
    /// for those before it goes up, so the server never names a blob it lacks.
    static let uploadLimit = 4
    /// Cache lookups that may download at once, each an action entry and then its blobs.
    public static let downloadLimit = 8
    /// How long the end of a build waits for uploads still under way.
    public static let finalUploadWait = 10.0
    private let uploads = DispatchGroup()
    private let uploadSlots = DispatchSemaphore(value: RemoteCache.uploadLimit)
    private let uploadQueue = DispatchQueue(label: "c2v.remote.uploads", attributes: .concurrent)

    /// `userPassword` (`user:password`, HTTP Basic) comes from the environment, never the URL.
    /// `netrc`: a netrc file curl reads credentials from instead.
    public init(url: String, userPassword: String?, netrc: String? = nil, http: HTTPClient = .shared, requestTimeout: Double = 30,
                budgetSeconds: Double = 60, warn: @escaping @Sendable (String) -> Void) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw C2VError(.usage, "--remote-cache must be an http(s) URL like http://cache.example:8080/c2v, got `\(url)`")
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw C2VError(.usage, "--remote-cache must not hold credentials; give them in C2V_REMOTE_CACHE_AUTH=user:password")
        }
        base = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.userPassword = userPassword
        self.netrc = netrc
        self.http = http
        self.warn = warn
        self.requestTimeout = requestTimeout
        self.budgetSeconds = budgetSeconds
    }

    public var statistics: Statistics { state.withLock { $0 } }

    var usable: Bool { state.withLock { !$0.disabled } }

    /// A blob or action entry, or nil on a miss or once the remote is off.
    func get(_ path: String) -> Data? {
        guard let response = send(.get, path) else { return nil }
        switch response.status {
        case 200:
            state.withLock { $0.hits += 1; $0.bytesDown += response.body.count }
            return response.body
        case 404:
            state.withLock { $0.misses += 1 }
            return nil
        default:
            fail("GET \(path) answered HTTP \(response.status)")
            return nil
        }
    }

    /// Uploads a blob in the background.
    func putLater(_ path: String, _ data: Data) {
        guard usable else { return }
        uploads.enter()
        uploadQueue.async { [self] in
            uploadSlots.wait()
            put(path, data)
            uploadSlots.signal()
            uploads.leave()
        }
    }

    /// Waits for the blob uploads under way, at most `seconds`; false if some were still going.
    @discardableResult
    public func finishUploads(within seconds: Double) -> Bool {
        uploads.wait(timeout: .now() + seconds) == .success
    }

    func put(_ path: String, _ data: Data) {
        guard let response = send(.put, path, body: data) else { return }
        if (200..<300).contains(response.status) {
            state.withLock { $0.bytesUp += data.count }
        } else {
            fail("PUT \(path) answered HTTP \(response.status)")
        }
    }

    /// Whether the server answers at all (for `--remote-cache-required`): a request for a blob
    /// nobody stores; any HTTP status counts as an answer, except 401 and 403.
    public func reachable() -> String? {
        do {
            let response = try http.request(.head, "\(base)/cas/\(Digest.of(Data()).hex)", connectTimeout: 1, timeout: requestTimeout,
                                            userPassword: userPassword, netrc: netrc)
            if response.status == 401 || response.status == 403 { return "it refused the credentials (HTTP \(response.status))" }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A miss recorded by a caller that found a downloaded blob wrong.
    func countCorrupt() { state.withLock { $0.misses += 1; $0.errors += 1 } }

    private func send(_ method: HTTPClient.Method, _ path: String, body: Data = Data()) -> HTTPResponse? {
        guard usable else { return nil }
        let began = Date()
        defer {
            let spent = Date().timeIntervalSince(began)
            let over = state.withLock { s -> Bool in s.seconds += spent; return s.seconds > budgetSeconds && !s.disabled }
            if over { fail("the remote cache used up its \(Int(budgetSeconds)) s of waiting in this build") }
        }
        do {
            return try http.request(method, "\(base)/\(path)", body: body, connectTimeout: 1, timeout: requestTimeout,
                                    userPassword: userPassword, netrc: netrc)
        } catch {
            fail("\(method.rawValue) \(path) failed: \(error)")
            return nil
        }
    }

    /// Counts the error, turns the remote off for the rest of the build, and warns once.
    private func fail(_ why: String) {
        let first = state.withLock { s -> Bool in
            s.errors += 1
            defer { s.disabled = true }
            return !s.disabled
        }
        if first { warn("remote cache \(base): \(why); carrying on with the local cache only") }
    }
}

/// Blobs on the local disk, backed by the remote: reads fall back to it (verified, then kept
/// locally), writes go to both, the local one first.
public struct TieredContentStore: ContentStore {
    let local: LocalContentStore
    let remote: RemoteCache

    /// Brings a blob from the remote into the local store; false when it cannot.
    func fetch(_ blob: BlobHandle) -> Bool {
        guard let data = remote.get("cas/\(blob.digest.hex)") else { return false }
        guard Int64(data.count) == blob.size, Digest.of(data) == blob.digest else {
            // nginx does not check what it stores: a wrong blob is a miss, and the rebuilt one replaces it.
            remote.countCorrupt()
            return false
        }
        return (try? local.put(data)) != nil
    }

    public func put(_ data: Data) throws -> BlobHandle {
        let blob = try local.put(data)
        remote.putLater("cas/\(blob.digest.hex)", data)
        return blob
    }

    public func ingest(fileAt path: String) throws -> BlobHandle {
        let blob = try local.ingest(fileAt: path)
        // Just hashed on its way in: upload the bytes as they are, without hashing them again.
        if remote.usable, let data = try? FileIO.read(local.path(for: blob.digest)) { remote.putLater("cas/\(blob.digest.hex)", data) }
        return blob
    }

    public func read(_ blob: BlobHandle) throws -> Data {
        if case .missing = local.check(blob, stamp: local.stamp(of: blob)) { _ = fetch(blob) }
        return try local.read(blob)
    }

    public func copy(_ blob: BlobHandle, to path: String) throws {
        if case .missing = local.check(blob, stamp: local.stamp(of: blob)) { _ = fetch(blob) }
        try local.copy(blob, to: path)
    }

    public func check(_ blob: BlobHandle, stamp: FileIO.Stat?) -> BlobState {
        let state = local.check(blob, stamp: stamp)
        if case .intact = state { return state }
        // Missing or corrupt here: the remote may have the right bytes.
        if state == .corrupt { local.evict(blob.digest) }
        return fetch(blob) ? local.check(blob, stamp: nil) : state
    }

    public func stamp(of blob: BlobHandle) -> FileIO.Stat? { local.stamp(of: blob) }
    public func evict(_ digest: Digest) { local.evict(digest) }
}

/// Action entries on the local disk, backed by the remote in the same way.
public struct TieredActionCache: ActionCache {
    let local: LocalActionCache
    let remote: RemoteCache

    public func get(_ key: Digest) -> ActionLookup {
        let found = local.get(key)
        guard case .miss = found, let data = remote.get("ac/\(key.hex)") else { return found }
        guard let entry = RemoteActionEntry.decode(data, key: key) else {
            remote.countCorrupt()
            return .miss
        }
        try? local.put(entry)
        return .hit(entry)
    }

    public func put(_ entry: ActionEntry) throws {
        try local.put(entry)
        // The entry goes up after the blobs it names (and any others under way) are there.
        guard remote.usable, let data = try? RemoteActionEntry.encode(entry) else { return }
        if remote.finishUploads(within: remote.requestTimeout) { remote.put("ac/\(entry.key.hex)", data) }
    }

    public func remove(_ key: Digest) { local.remove(key) }
}

/// The local cache with a remote behind it.
public struct TieredStorage: BuildStorage {
    public let local: LocalCache
    public let remote: RemoteCache

    public init(local: LocalCache, remote: RemoteCache) {
        self.local = local
        self.remote = remote
    }

    public var blobs: any ContentStore { TieredContentStore(local: local.localBlobs, remote: remote) }
    public var actions: any ActionCache { TieredActionCache(local: local.localActions, remote: remote) }
    public var recordsDirectory: String { local.recordsDirectory }
    /// Lookups (an action entry, then its blobs) run this many at once.
    public var concurrentLookups: Int { RemoteCache.downloadLimit }
    public func openScratch() throws -> BuildScratch { try local.openScratch() }
    public func reclaimScratch() { local.reclaimScratch() }
    public func staged(in scratch: BuildScratch) -> any BuildStorage { TieredStorage(local: local.stagedLocal(in: scratch), remote: remote) }
    public func statePath(_ name: String) -> String { local.statePath(name) }
    public var workerStoreRoot: String { local.workerStoreRoot }
    public var workerActionsRoot: String { local.workerActionsRoot }
    public func clean() throws -> [String] { try local.clean() }
}
