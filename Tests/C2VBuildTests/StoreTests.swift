#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import C2VUtil
import C2VTestSupport
@testable import C2VBuild

func temporaryDirectory() throws -> String { try TestFiles.temporaryDirectory("c2v-build-test") }

@Suite struct StoreTests {
    @Test func putReadRoundTripAndDeduplicate() throws {
        let root = try temporaryDirectory()
        let store = LocalContentStore(root: "\(root)/cas")
        let blob = try store.put(Data("hello".utf8))
        #expect(blob.digest == Digest.of(Data("hello".utf8)) && blob.size == 5)
        #expect(store.path(for: blob.digest).hasSuffix("/\(blob.digest.hex.prefix(2))/\(blob.digest.hex)"))
        #expect(try store.read(blob) == Data("hello".utf8))
        #expect(try store.put(Data("hello".utf8)) == blob)
    }

    @Test func flippedByteIsDetectedByReadsCopiesAndChecks() throws {
        let root = try temporaryDirectory()
        let store = LocalContentStore(root: "\(root)/cas")
        let blob = try store.put(Data("frame bytes".utf8))
        try flipByteKeepingTimes(store.path(for: blob.digest))
        #expect(store.check(blob, stamp: nil) == .corrupt)
        #expect(throws: BlobCorruption.self) { try store.read(blob) }
        let destination = "\(root)/out/video.mp4"
        try FileIO.createDirectory("\(root)/out")
        #expect(throws: BlobCorruption.self) { try store.copy(blob, to: destination) }
        #expect(!FileManager.default.fileExists(atPath: destination))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/out").isEmpty, "no partial file")
        // A later put of the real bytes repairs the blob.
        store.evict(blob.digest)
        _ = try store.put(Data("frame bytes".utf8))
        #expect(try store.read(blob) == Data("frame bytes".utf8))
    }

    @Test func aTruncatedOrLongerBlobIsCorrupt() throws {
        let root = try temporaryDirectory()
        let store = LocalContentStore(root: "\(root)/cas")
        let blob = try store.put(Data("0123456789".utf8))
        try Data("01234".utf8).write(to: URL(fileURLWithPath: store.path(for: blob.digest)))
        #expect(throws: BlobCorruption.self) { try store.read(blob) }
        try Data("0123456789ab".utf8).write(to: URL(fileURLWithPath: store.path(for: blob.digest)))
        #expect(throws: BlobCorruption.self) { try store.read(blob) }
        #expect(store.check(blob, stamp: nil) == .corrupt)
    }

    @Test func partialWritesLiveInTheScratchFolder() throws {
        let root = try temporaryDirectory()
        let scratch = "\(root)/tmp/build-x"
        try FileIO.createDirectory(scratch)
        let store = LocalContentStore(root: "\(root)/cas", temporaryDirectory: scratch)
        let blob = try store.put(Data("segment".utf8))
        #expect(try store.read(blob) == Data("segment".utf8))
        let shard = (store.path(for: blob.digest) as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: shard) == [blob.digest.hex])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
    }

    @Test func actionCacheRoundTripAndCorruption() throws {
        let root = try temporaryDirectory()
        let cache = LocalActionCache(root: "\(root)/ac")
        let key = Digest.of("key")
        guard case .miss = cache.get(key) else { Issue.record("expected a miss"); return }
        let entry = ActionEntry(key: key, step: "render(a)", outputs: ["segment": BlobHandle(digest: Digest.of("x"), size: 1)],
                                warnings: ["w"], seconds: 1.5, created: Date(timeIntervalSince1970: 1_700_000_000), metrics: nil)
        try cache.put(entry)
        guard case .hit(let read) = cache.get(key) else { Issue.record("expected a hit"); return }
        #expect(read == entry)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: cache.path(for: key)))
        guard case .corrupt = cache.get(key) else { Issue.record("expected corrupt"); return }
    }

    @Test func cleanRemovesOnlyTheCachesOwnFolders() throws {
        let root = try temporaryDirectory()
        let cache = LocalCache(root: root)
        _ = try cache.staged(in: try cache.openScratch()).blobs.put(Data("x".utf8))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: "\(root)/notes.txt"))
        try FileIO.createDirectory("\(root)/state")
        let removed = try cache.clean()
        #expect(removed.contains("\(root)/cas") && removed.contains("\(root)/state"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["notes.txt", "tmp"],
                "a live build's scratch stays")
    }
}

@Suite struct ScratchTests {
    @Test func aLiveBuildsScratchIsKeptAndADeadOnesIsReclaimed() throws {
        let tmp = "\(try temporaryDirectory())/tmp"
        let live = try BuildScratch.open(in: tmp)
        // A dead build: its lock file exists but nobody holds it; and an older c2v's bare folder.
        try FileIO.createDirectory("\(tmp)/build-1-dead/render-x")
        try Data().write(to: URL(fileURLWithPath: "\(tmp)/build-1-dead.lock"))
        try FileIO.createDirectory("\(tmp)/render-12345")
        #expect(BuildScratch.reclaimDead(in: tmp) == 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: tmp).sorted()
        #expect(names == [(live.path as NSString).lastPathComponent, (live.lockPath as NSString).lastPathComponent].sorted())
        // Another live build does not reclaim this one either.
        let other = try BuildScratch.open(in: tmp)
        #expect(FileManager.default.fileExists(atPath: live.path))
        other.close()
        live.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
    }

    @Test func aKilledProcessReleasesItsLock() throws {
        let tmp = "\(try temporaryDirectory())/tmp"
        try FileIO.createDirectory("\(tmp)/build-2-killed")
        // A child holds the lock the way a build does, then dies by SIGKILL.
        let lock = "\(tmp)/build-2-killed.lock"
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // `-o`: the lock stays with flock itself, not with `sleep`, so killing flock releases it
        // (without it the orphaned `sleep` keeps the lock until it ends).
        child.arguments = ["-o", lock, "sleep", "5"]
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: lock) { usleep(20_000) }
        usleep(100_000)
        #expect(BuildScratch.reclaimDead(in: tmp) == 0, "held by a live process")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(BuildScratch.reclaimDead(in: tmp) >= 1)
        #expect(!FileManager.default.fileExists(atPath: "\(tmp)/build-2-killed"))
    }
}
