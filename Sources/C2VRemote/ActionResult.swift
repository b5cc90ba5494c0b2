import C2VBuild
import Foundation
import SwiftProtobuf

// The three REAPI messages an action-cache value needs (build.bazel.remote.execution.v2), written
// the way protoc-gen-swift writes them, so bazel-remote's validation of `/ac/` values accepts
// c2v's entries. Field numbers follow remote_execution.proto.

/// `Digest`: a blob's SHA-256 and size.
struct REDigest: Sendable {
    var hash = ""
    var sizeBytes: Int64 = 0
    var unknownFields = UnknownStorage()
}

/// `OutputFile`: one output, by name and digest (field 1 path, 2 digest).
struct REOutputFile: Sendable {
    var path = ""
    var digest: REDigest?
    var unknownFields = UnknownStorage()
}

/// `ActionResult`: outputs (field 2), exit code (4), and c2v's own entry as `stdout_raw` (5).
struct REActionResult: Sendable {
    var outputFiles: [REOutputFile] = []
    var exitCode: Int32 = 0
    var stdoutRaw = Data()
    var unknownFields = UnknownStorage()
}

private let package = "build.bazel.remote.execution.v2"

extension REDigest: Message, _MessageImplementationBase, _ProtoNameProviding {
    static let protoMessageName = package + ".Digest"
    static let _protobuf_nameMap = _NameMap()

    mutating func decodeMessage<D: Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularStringField(value: &hash)
            case 2: try decoder.decodeSingularInt64Field(value: &sizeBytes)
            default: break
            }
        }
    }

    func traverse<V: Visitor>(visitor: inout V) throws {
        if !hash.isEmpty { try visitor.visitSingularStringField(value: hash, fieldNumber: 1) }
        if sizeBytes != 0 { try visitor.visitSingularInt64Field(value: sizeBytes, fieldNumber: 2) }
        try unknownFields.traverse(visitor: &visitor)
    }

    // Spelled out as protoc-gen-swift does: the runtime's default `==` would call back into this.
    static func == (a: REDigest, b: REDigest) -> Bool {
        a.hash == b.hash && a.sizeBytes == b.sizeBytes && a.unknownFields == b.unknownFields
    }
}

extension REOutputFile: Message, _MessageImplementationBase, _ProtoNameProviding {
    static let protoMessageName = package + ".OutputFile"
    static let _protobuf_nameMap = _NameMap()

    mutating func decodeMessage<D: Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularStringField(value: &path)
            case 2: try decoder.decodeSingularMessageField(value: &digest)
            default: break
            }
        }
    }

    func traverse<V: Visitor>(visitor: inout V) throws {
        if !path.isEmpty { try visitor.visitSingularStringField(value: path, fieldNumber: 1) }
        if let digest { try visitor.visitSingularMessageField(value: digest, fieldNumber: 2) }
        try unknownFields.traverse(visitor: &visitor)
    }

    static func == (a: REOutputFile, b: REOutputFile) -> Bool {
        a.path == b.path && a.digest == b.digest && a.unknownFields == b.unknownFields
    }
}

extension REActionResult: Message, _MessageImplementationBase, _ProtoNameProviding {
    static let protoMessageName = package + ".ActionResult"
    static let _protobuf_nameMap = _NameMap()

    mutating func decodeMessage<D: Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 2: try decoder.decodeRepeatedMessageField(value: &outputFiles)
            case 4: try decoder.decodeSingularInt32Field(value: &exitCode)
            case 5: try decoder.decodeSingularBytesField(value: &stdoutRaw)
            default: break
            }
        }
    }

    func traverse<V: Visitor>(visitor: inout V) throws {
        if !outputFiles.isEmpty { try visitor.visitRepeatedMessageField(value: outputFiles, fieldNumber: 2) }
        if exitCode != 0 { try visitor.visitSingularInt32Field(value: exitCode, fieldNumber: 4) }
        if !stdoutRaw.isEmpty { try visitor.visitSingularBytesField(value: stdoutRaw, fieldNumber: 5) }
        try unknownFields.traverse(visitor: &visitor)
    }

    static func == (a: REActionResult, b: REActionResult) -> Bool {
        a.outputFiles == b.outputFiles && a.exitCode == b.exitCode && a.stdoutRaw == b.stdoutRaw && a.unknownFields == b.unknownFields
    }
}

/// c2v's action entries as REAPI `ActionResult`s: each output an `OutputFile` named by its
/// output name, and the whole entry (warnings, metrics, timings) as JSON in `stdout_raw`.
enum RemoteActionEntry {
    static func encode(_ entry: ActionEntry) throws -> Data {
        var result = REActionResult()
        result.outputFiles = entry.outputs.sorted { $0.key < $1.key }.map { name, blob in
            REOutputFile(path: name, digest: REDigest(hash: blob.digest.hex, sizeBytes: blob.size))
        }
        result.stdoutRaw = try LocalActionCache.encoder.encode(entry)
        return try result.serializedData()
    }

    /// The entry, if the bytes are an `ActionResult` c2v wrote for `key` and its outputs agree.
    static func decode(_ data: Data, key: Digest) -> ActionEntry? {
        guard let result = try? REActionResult(serializedBytes: data),
              let entry = try? LocalActionCache.decoder.decode(ActionEntry.self, from: result.stdoutRaw),
              entry.key == key
        else { return nil }
        let listed = Dictionary(uniqueKeysWithValues: result.outputFiles.map { ($0.path, $0.digest) })
        for (name, blob) in entry.outputs {
            guard let digest = listed[name] ?? nil, digest.hash == blob.digest.hex, digest.sizeBytes == blob.size else { return nil }
        }
        return entry
    }
}
