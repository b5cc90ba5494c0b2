import Foundation
import SwiftProtobuf
import Testing
import C2VBuild
@testable import C2VRemote

@Suite struct ActionResultTests {
    let entry = ActionEntry(
        key: Digest.of("key"), step: "render(intro)",
        outputs: ["segment": BlobHandle(digest: Digest.of("seg"), size: 1234), "poster": BlobHandle(digest: Digest.of("png"), size: 56)],
        warnings: ["w"], seconds: 1.5, created: Date(timeIntervalSince1970: 1_700_000_000), metrics: ["tokens_in": 3])

    @Test func entriesRoundTripAsActionResults() throws {
        let data = try RemoteActionEntry.encode(entry)
        #expect(RemoteActionEntry.decode(data, key: entry.key) == entry)
        #expect(RemoteActionEntry.decode(data, key: Digest.of("other")) == nil, "an entry for another key is a miss")
    }

    @Test func theWireFormatIsREAPIs() throws {
        // Decoded as a plain ActionResult: output_files (field 2) name each output by digest and size.
        let result = try REActionResult(serializedBytes: try RemoteActionEntry.encode(entry))
        #expect(result.outputFiles.map(\.path) == ["poster", "segment"])
        #expect(result.outputFiles[1].digest == REDigest(hash: Digest.of("seg").hex, sizeBytes: 1234))
        // Hand-checked bytes of one OutputFile: field 1 (path) then field 2 (digest {1: hash, 2: size}).
        let file = REOutputFile(path: "a", digest: REDigest(hash: "b", sizeBytes: 3))
        #expect([UInt8](try file.serializedData()) == [0x0A, 0x01, 0x61, 0x12, 0x05, 0x0A, 0x01, 0x62, 0x10, 0x03])
    }

    @Test func outputsThatDisagreeAreAMiss() throws {
        var result = try REActionResult(serializedBytes: try RemoteActionEntry.encode(entry))
        result.outputFiles[1].digest?.sizeBytes = 999
        #expect(RemoteActionEntry.decode(try result.serializedData(), key: entry.key) == nil)
        #expect(RemoteActionEntry.decode(Data("not protobuf at all".utf8), key: entry.key) == nil)
    }
}
