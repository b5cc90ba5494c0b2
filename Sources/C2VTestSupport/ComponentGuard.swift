import C2VUtil
import Foundation

/// The version guard: a checked-in table of what each component produced at its version, and
/// the verdict on what it produces now. A component whose output changed while neither its own
/// version nor the version of a part it builds on moved fails the test suite, naming the
/// version to bump; so a cache filled by an older c2v can never serve its stale results.
public enum ComponentGuard {
    /// One row of the table: the component's version, the versions of the components its
    /// output also depends on, and the digest of its fixture outputs.
    public struct Entry: Codable, Sendable, Equatable {
        public var version: Int
        public var parts: [String: Int]
        public var fingerprint: String

        public init(version: Int, parts: [String: Int], fingerprint: String) {
            self.version = version
            self.parts = parts
            self.fingerprint = fingerprint
        }
    }

    /// What a component produces today, with its version and its parts' versions.
    public struct Observation: Sendable {
        public var component: ComponentVersion
        public var parts: [ComponentVersion]
        public var fingerprint: String

        public init(component: ComponentVersion, parts: [ComponentVersion], fingerprint: String) {
            self.component = component
            self.parts = parts
            self.fingerprint = fingerprint
        }

        public var entry: Entry {
            Entry(version: component.version, parts: Dictionary(uniqueKeysWithValues: parts.map { ($0.name, $0.version) }),
                  fingerprint: fingerprint)
        }
    }

    public enum Verdict: Equatable, Sendable, CustomStringConvertible {
        case unchanged(String)
        /// The output changed and no version did: the bug this guard exists for.
        case changedWithoutBump(component: String, version: Int, parts: [String])
        /// Versions moved (the right fix) but the table still holds the old row.
        case needsRecording(String)
        case notRecorded(String)

        public var passes: Bool { if case .unchanged = self { true } else { false } }

        public var description: String {
            switch self {
            case .unchanged(let name): "\(name): unchanged"
            case .changedWithoutBump(let name, let version, let parts):
                "\(name) produces different output than its version \(version) recorded: bump \(name) to \(version + 1)"
                    + (parts.isEmpty ? "" : " (or, if the change is in one of its parts, that part: \(parts.joined(separator: ", ")))")
                    + ", then re-record with C2V_RECORD_FINGERPRINTS=1 (docs/architecture.md, \"Bumping a component\")"
            case .needsRecording(let name):
                "\(name): its version or a part's moved; re-record the table with C2V_RECORD_FINGERPRINTS=1"
            case .notRecorded(let name): "\(name) is not in the table; record it with C2V_RECORD_FINGERPRINTS=1"
            }
        }
    }

    public static func verdict(recorded: Entry?, observed: Observation) -> Verdict {
        let name = observed.component.name
        guard let recorded else { return .notRecorded(name) }
        let now = observed.entry
        if recorded == now { return .unchanged(name) }
        if recorded.version == now.version && recorded.parts == now.parts {
            // Only the output moved.
            return .changedWithoutBump(component: name, version: now.version, parts: now.parts.keys.sorted())
        }
        return .needsRecording(name)
    }

    public static func load(_ path: String) throws -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return try JSONDecoder().decode([String: Entry].self, from: data)
    }

    public static func save(_ observations: [Observation], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let table = Dictionary(uniqueKeysWithValues: observations.map { ($0.component.name, $0.entry) })
        try (try encoder.encode(table) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
    }

    /// A stable text of any value (every stored property that holds something, doubles in full),
    /// for fingerprints.
    public static func describe(_ value: Any) -> String {
        var text = ""
        dump(value, to: &text)
        // Class instances print their address; it is not behaviour.
        text = text.replacingOccurrences(of: #"0x[0-9a-f]{6,}"#, with: "0x", options: .regularExpression)
        // A property that is nil prints nothing, as it encodes to nothing: adding an optional
        // field to a model (a new kind's key) changes no output that leaves it unset.
        return text.replacingOccurrences(of: #"(?m)^ *- [A-Za-z_][A-Za-z0-9_]*: nil\n"#, with: "", options: .regularExpression)
    }
}
