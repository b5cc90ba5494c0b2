import Foundation
import Testing
import C2VUtil
@testable import C2VBuild

func temporaryDirectory() throws -> String {
    try FileIO.makeTemporaryDirectory(prefix: "c2v-build-test")
}

@Suite struct StoreTests {
    @Test func putReadRoundTripAndDeduplicate() throws {
        let root = try temporaryDirectory()
        let store = ContentStore(root: "\(root)/cas")
        let digest = try store.put(Data("hello".utf8))
        #expect(digest == Digest.of(Data("hello".utf8)))
        #expect(store.path(for: digest).hasSuffix("/\(digest.hex.prefix(2))/\(digest.hex)"))
        #expect(try store.read(digest) == Data("hello".utf8))
        #expect(try store.put(Data("hello".utf8)) == digest)
    }

    @Test func flippedByteIsDetected() throws {
        let root = try temporaryDirectory()
        let store = ContentStore(root: "\(root)/cas")
        let digest = try store.put(Data("frame bytes".utf8))
        var bytes = try FileIO.read(store.path(for: digest))
        bytes[0] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: store.path(for: digest)))
        #expect(!store.verify(digest))
        #expect(throws: C2VError.self) { try store.read(digest) }
        // A later put of the real bytes repairs the blob.
        store.evict(digest)
        try store.put(Data("frame bytes".utf8))
        #expect(store.verify(digest))
    }

    @Test func crashBeforeRenameLeavesNoVisibleBlob() throws {
        // A writer that died after writing its temporary file but before the rename leaves
        // only a `.tmp-*` file: no blob under the digest's name, and the next put succeeds.
        let root = try temporaryDirectory()
        let store = ContentStore(root: "\(root)/cas")
        let data = Data("segment".utf8)
        let digest = Digest.of(data)
        let folder = (store.path(for: digest) as NSString).deletingLastPathComponent
        try FileIO.createDirectory(folder)
        try Data("segm".utf8).write(to: URL(fileURLWithPath: "\(folder)/.tmp-123-\(digest.hex)"))
        #expect(FileIO.stat(store.path(for: digest)) == nil)
        #expect(!store.verify(digest))
        try store.put(data)
        #expect(try store.read(digest) == data)
    }

    @Test func actionCacheRoundTripAndCorruption() throws {
        let root = try temporaryDirectory()
        let cache = ActionCache(root: "\(root)/ac")
        let key = Digest.of("key")
        guard case .miss = cache.get(key) else { Issue.record("expected a miss"); return }
        let entry = ActionEntry(key: key, step: "render(a)", outputs: ["segment": OutputRecord(digest: Digest.of("x"), size: 1)],
                                warnings: ["w"], seconds: 1.5, created: Date(timeIntervalSince1970: 1_700_000_000))
        try cache.put(entry)
        guard case .hit(let read) = cache.get(key) else { Issue.record("expected a hit"); return }
        #expect(read == entry)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: cache.path(for: key)))
        guard case .corrupt = cache.get(key) else { Issue.record("expected corrupt"); return }
    }
}
