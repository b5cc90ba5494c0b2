/// A language c2v highlights: its name in a lesson, other names it answers to, and the
/// definition the library reads for it.
struct CodeLanguage: Sendable {
    enum Source: Sendable {
        /// A definition file among the library's own (`c.lang`).
        case library(file: String)
        /// A definition c2v ships (see `Definitions`), under this file name.
        case shipped(file: String, text: String)
    }

    var name: String
    var aliases: [String]
    var source: Source

    /// Every language, by name. The library knows more; these are the ones whose element names
    /// map well onto `CodeRole` and that the tests check.
    static let all: [CodeLanguage] = [
        CodeLanguage(name: "bash", aliases: ["sh", "shell"], source: .library(file: "sh.lang")),
        CodeLanguage(name: "c", aliases: [], source: .library(file: "c.lang")),
        CodeLanguage(name: "cpp", aliases: ["c++"], source: .library(file: "cpp.lang")),
        CodeLanguage(name: "csharp", aliases: [], source: .library(file: "csharp.lang")),
        CodeLanguage(name: "go", aliases: [], source: .library(file: "go.lang")),
        CodeLanguage(name: "haskell", aliases: [], source: .library(file: "haskell.lang")),
        CodeLanguage(name: "java", aliases: [], source: .library(file: "java.lang")),
        CodeLanguage(name: "javascript", aliases: ["js"],
                     source: .shipped(file: "c2v-javascript.lang", text: Definitions.javascript)),
        CodeLanguage(name: "lua", aliases: [], source: .library(file: "lua.lang")),
        CodeLanguage(name: "python", aliases: ["py"], source: .shipped(file: "c2v-python.lang", text: Definitions.python)),
        CodeLanguage(name: "ruby", aliases: [], source: .library(file: "ruby.lang")),
        CodeLanguage(name: "rust", aliases: [], source: .library(file: "rust.lang")),
        CodeLanguage(name: "scala", aliases: [], source: .library(file: "scala.lang")),
        CodeLanguage(name: "sql", aliases: [], source: .library(file: "sql.lang")),
        CodeLanguage(name: "swift", aliases: [], source: .shipped(file: "c2v-swift.lang", text: Definitions.swift)),
    ]

    private static let byName: [String: CodeLanguage] = {
        var table: [String: CodeLanguage] = [:]
        for language in all {
            table[language.name] = language
            for alias in language.aliases { table[alias] = language }
        }
        return table
    }()

    /// Every name and alias, for suggestions.
    static var allNames: [String] { byName.keys.sorted() }

    static func named(_ name: String) -> CodeLanguage? { byName[name] }
}
