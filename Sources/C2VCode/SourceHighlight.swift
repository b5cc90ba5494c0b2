internal import CC2VHighlight
import C2VUtil
import Foundation
import Synchronization

/// GNU source-highlight as c2v drives it: where its data lives, each language's definition
/// parsed once per process, and one highlighting run turned into Swift values.
enum SourceHighlight {
    /// One piece of a line as the library formatted it, with its role; offsets in UTF-8 bytes
    /// of the line.
    struct Token: Equatable {
        var line: Int
        var start: Int
        var length: Int
        var role: CodeRole
    }

    private struct Loaded {
        var dataDirectory: String?
        var definitions: [String: Int32] = [:]
    }

    /// Parsed definitions by language name. Held while a definition is parsed, so each is
    /// parsed once even when several render threads ask for it together.
    private static let loaded = Mutex(Loaded())

    static var version: String { String(cString: cc2v_code_library_version()) }

    /// The id of `language`'s parsed definition, parsing it the first time it is asked for.
    static func definition(for language: CodeLanguage) throws -> Int32 {
        try loaded.withLock { state in
            if let id = state.definitions[language.name] { return id }
            let directory = try state.dataDirectory ?? dataDirectory()
            state.dataDirectory = directory
            let id = try load(language, from: directory)
            state.definitions[language.name] = id
            return id
        }
    }

    /// The library's data folder: the one it is configured to use if that holds its language
    /// map, else the one it was built with. The definitions c2v ships include files from it.
    private static func dataDirectory() throws -> String {
        var candidates: [String] = []
        for candidate in [String(cString: cc2v_code_configured_data_dir()), String(cString: cc2v_code_default_data_dir()),
                          "/usr/share/source-highlight"]
        where !candidate.isEmpty && !candidates.contains(candidate) {
            candidates.append(candidate)
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: "\(candidate)/lang.map") {
            return candidate
        }
        throw C2VError(.native, "GNU source-highlight's language definitions are not installed (no lang.map in "
            + candidates.joined(separator: " or ") + "); install libsource-highlight-dev (make deps)")
    }

    private static func load(_ language: CodeLanguage, from directory: String) throws -> Int32 {
        switch language.source {
        case .library(let file):
            guard FileManager.default.fileExists(atPath: "\(directory)/\(file)") else {
                throw C2VError(.native, "GNU source-highlight has no \(file) in \(directory) for `\(language.name)`; "
                    + "reinstall libsource-highlight-common")
            }
            return try sourceHighlight("cannot read the \(language.name) definition \(directory)/\(file)") { error, size in
                cc2v_code_load_file(directory, file, error, size)
            }
        case .shipped(let file, let text):
            // The folder is spliced into `include "..."` lines; a quote would end the string early.
            guard !directory.contains("\"") else {
                throw C2VError(.native, "GNU source-highlight's data folder `\(directory)` contains a double quote")
            }
            let definition = text.replacingOccurrences(of: "@DATADIR@", with: directory)
            return try sourceHighlight("c2v's \(language.name) definition does not load") { error, size in
                cc2v_code_load_text(file, definition, error, size)
            }
        }
    }

    /// Every piece of every line of `text` (lines separated by "\n"), in order.
    static func tokens(of text: String, definition: Int32) throws -> [Token] {
        var result = cc2v_code_result()
        defer { cc2v_code_result_free(&result) }
        let bytes = text.utf8CString
        _ = try sourceHighlight("cannot highlight the code") { error, size in
            bytes.withUnsafeBufferPointer { buffer in
                cc2v_code_highlight(definition, buffer.baseAddress, buffer.count - 1, &result, error, size)
            }
        }
        // A result names few elements and many tokens: map each name once.
        let roles = (0..<result.element_count).map { CodeRole(element: result.elements[$0].map { String(cString: $0) } ?? "") }
        return (0..<result.token_count).map { i in
            let token = result.tokens[i]
            return Token(line: Int(token.line), start: Int(token.start), length: Int(token.length),
                         role: CodeRole(element: roles[Int(token.element)], container: roles[Int(token.container)]))
        }
    }

    /// Runs a shim call that returns -1 and a message on failure, keeping the library's words.
    private static func sourceHighlight(_ what: String, _ call: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws -> Int32 {
        var message = [CChar](repeating: 0, count: 1024)
        let status = message.withUnsafeMutableBufferPointer { call($0.baseAddress!, $0.count) }
        guard status >= 0 else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw C2VError(.native, what, underlying: "GNU source-highlight: " + text)
        }
        return status
    }
}
