import C2VBuild
import C2VLesson
import C2VUtil
import Foundation
import Synchronization

/// One of `count` machines building a course together (`--shard index/count`): a GitHub Actions
/// matrix, a Kubernetes Indexed Job. Every lesson goes to exactly one shard. Lessons are dealt
/// out by cost, longest first, each to the shard with the least work so far; the cost of a
/// lesson is what earlier builds recorded in the cache (`ShardCosts`), or an estimate from its
/// sections where none did. Ties go by the course's order, so the deal is the same everywhere.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// Parses `i/n`; nil unless 0 <= i < n.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
        index = i
        count = n
    }

    public var description: String { "\(index)/\(count)" }

    /// The shard (0..<count) of each of `costs`, in their order.
    public static func deal(_ costs: [Double], count: Int) -> [Int] {
        var load = Array(repeating: 0.0, count: count)
        var assignment = Array(repeating: 0, count: costs.count)
        let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
        for i in order {
            let lightest = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            assignment[i] = lightest
            load[lightest] += costs[i]
        }
        return assignment
    }

    /// This shard's lessons, in the course's order, given every lesson's cost (nil when unknown).
    public func select<T>(_ lessons: [T], costs: [Double?], sections: [Int]) -> [T] {
        let known = zip(costs, sections).compactMap { cost, n in cost.map { ($0, n) } }
        // Unknown lessons are priced at the known cost per section, or one unit per section.
        let perSection = known.isEmpty ? 1 : known.map(\.0).reduce(0, +) / Double(max(1, known.map(\.1).reduce(0, +)))
        let priced = zip(costs, sections).map { cost, n in cost ?? perSection * Double(max(1, n)) }
        let assignment = Self.deal(priced, count: count)
        return lessons.indices.filter { assignment[$0] == index }.map { lessons[$0] }
    }
}

/// The recorded build cost of each lesson, kept in the build's storage (so a remote cache shares
/// it with every shard) as one small action entry per lesson.
///
/// The shards of one run must agree on the costs, even when one of them finishes (and records)
/// before another starts. So a record keeps the cost from the previous version of the course
/// beside the latest one, and a build of the version that wrote the latest one reads the
/// previous: the shards of one run (and any rerun of it) all read what existed before it began.
public enum ShardCosts {
    struct Record: Codable, Equatable {
        struct Cost: Codable, Equatable {
            var course: String
            var seconds: Double
        }
        var latest: Cost
        var previous: Cost?
    }

    /// Names the course version: every lesson's name and file bytes.
    public static func fingerprint(_ lessons: [Lesson]) -> String {
        let parts = lessons.map { lesson in
            "\(lesson.name)\u{0}\((try? Digest.ofFile(at: lesson.file).hex) ?? "unreadable")"
        }
        return Digest.of(parts.sorted().joined(separator: "\n")).hex
    }

    /// Per lesson, and per course folder so that two courses' `intro` lessons stay apart.
    static func key(_ lesson: Lesson) -> Digest {
        let folder = ((lesson.file as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return Digest.of("c2v-lesson-cost/1\u{0}\(folder)\u{0}\(lesson.name)")
    }

    static func load(_ lesson: Lesson, from storage: any BuildStorage) -> Record? {
        guard case .hit(let entry) = storage.actions.get(key(lesson)), let blob = entry.outputs["cost"],
              let data = try? storage.blobs.read(blob) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    /// The recorded cost of each lesson for a build of course version `course`; nil where unknown.
    public static func costs(of lessons: [Lesson], course: String, in storage: any BuildStorage) -> [Double?] {
        let results = Mutex([Double?](repeating: nil, count: lessons.count))
        // A remote answers each in a round trip: ask for all lessons at once.
        DispatchQueue.concurrentPerform(iterations: lessons.count) { i in
            guard let record = load(lessons[i], from: storage) else { return }
            let cost = record.latest.course == course ? record.previous?.seconds : record.latest.seconds
            results.withLock { $0[i] = cost }
        }
        return results.withLock { $0 }
    }

    /// Records what a lesson cost in a build of course version `course`.
    public static func record(_ seconds: Double, lesson: Lesson, course: String, in storage: any BuildStorage) throws {
        let old = load(lesson, from: storage)
        let latest = Record.Cost(course: course, seconds: (seconds * 1000).rounded() / 1000)
        let record = Record(latest: latest, previous: old.map { $0.latest.course == course ? $0.previous : $0.latest } ?? nil)
        guard record != old else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let blob = try storage.blobs.put(try encoder.encode(record))
        try storage.actions.put(ActionEntry(key: key(lesson), step: "lesson-cost", outputs: ["cost": blob], warnings: [],
                                            seconds: 0, created: Date(), metrics: nil))
    }
}
