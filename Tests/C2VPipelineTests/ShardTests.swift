import Foundation
import Testing
import C2VBuild
import C2VLesson
import C2VTestSupport
@testable import C2VPipeline

@Suite struct ShardDealTests {
    @Test("Lessons are dealt longest first to the least-loaded shard, ties by course order")
    func dealBalancesCost() {
        // Round robin would give shard 0 lessons 0, 2, 4 (7 units) and shard 1 the rest (3).
        #expect(Shard.deal([5, 1, 1, 1, 1, 1], count: 2) == [0, 1, 1, 1, 1, 1])
        // Equal costs fall back to the course's order, so a course with no records deals round robin.
        #expect(Shard.deal([1, 1, 1, 1], count: 2) == [0, 1, 0, 1])
        #expect(Shard.deal([2, 3, 7, 1], count: 3) == [2, 1, 0, 2])
        // More shards than lessons: the extra shards get none.
        #expect(Shard.deal([1, 1], count: 4) == [0, 1])
    }

    @Test("Every lesson falls to exactly one shard, whatever the costs")
    func selectionPartitions() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let n = Int.random(in: 1...12, using: &generator), count = Int.random(in: 1...5, using: &generator)
            let costs: [Double?] = (0..<n).map { _ in Bool.random() ? nil : Double.random(in: 0...100, using: &generator) }
            let sections = (0..<n).map { _ in Int.random(in: 0...6, using: &generator) }
            var seen: [Int] = []
            for index in 0..<count {
                seen += try #require(Shard("\(index)/\(count)")).select(Array(0..<n), costs: costs, sections: sections)
            }
            #expect(seen.sorted() == Array(0..<n), "costs \(costs), sections \(sections), \(count) shards")
        }
    }

    @Test("Unknown lessons are priced by the known cost per section")
    func unknownLessonsAreEstimated() throws {
        // Lesson 0 is known at 30 s over 3 sections: 10 s a section. Lesson 1 (4 sections) is
        // then about 40 s and lesson 2 (1 section) 10 s, so the 40 s lesson gets a shard alone.
        let shard0 = try #require(Shard("0/2")), shard1 = try #require(Shard("1/2"))
        #expect(shard0.select(["a", "b", "c"], costs: [30, nil, nil], sections: [3, 4, 1]) == ["b"])
        #expect(shard1.select(["a", "b", "c"], costs: [30, nil, nil], sections: [3, 4, 1]) == ["a", "c"])
    }
}

@Suite struct ShardCostTests {
    func lessons(in folder: String, _ names: [String]) throws -> [Lesson] {
        try names.map { name in
            let path = "\(folder)/\(name).yaml"
            try Data("""
                c2v: 1
                title: \(name)
                sections:
                  - {id: a, title: A, lecture_lines: [One]}
                """.utf8).write(to: URL(fileURLWithPath: path))
            return try LessonParser.load(path: path)
        }
    }

    @Test("A build reads the costs recorded before its course version, so shards that finish early do not change the deal of the others")
    func costsOfOneVersionStayPut() throws {
        let root = try TestFiles.temporaryDirectory()
        let folder = "\(root)/course"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let storage = LocalCache(root: "\(root)/cache")
        let course = try lessons(in: folder, ["l1", "l2"])
        let v1 = ShardCosts.fingerprint(course)
        #expect(ShardCosts.costs(of: course, course: v1, in: storage) == [nil, nil])

        // Version 1: shard 0 records l1 before shard 1 reads; shard 1 still sees nothing for l1.
        try ShardCosts.record(12, lesson: course[0], course: v1, in: storage)
        #expect(ShardCosts.costs(of: course, course: v1, in: storage) == [nil, nil])
        try ShardCosts.record(3, lesson: course[1], course: v1, in: storage)

        // Version 2 (a lesson edited) deals by what version 1 recorded, and keeps doing so while
        // its own shards record.
        try Data("c2v: 1\ntitle: l2 edited\nsections:\n  - {id: a, title: A, lecture_lines: [Two]}\n".utf8)
            .write(to: URL(fileURLWithPath: "\(folder)/l2.yaml"))
        let v2 = ShardCosts.fingerprint(course)
        #expect(v2 != v1)
        #expect(ShardCosts.costs(of: course, course: v2, in: storage) == [12, 3])
        try ShardCosts.record(20, lesson: course[0], course: v2, in: storage)
        #expect(ShardCosts.costs(of: course, course: v2, in: storage) == [12, 3])
        // A rerun of version 2 that records again still reads version 1's figures.
        try ShardCosts.record(21, lesson: course[0], course: v2, in: storage)
        #expect(ShardCosts.costs(of: course, course: v2, in: storage) == [12, 3])
        // The next version reads version 2's.
        try Data("c2v: 1\ntitle: l1 edited\nsections:\n  - {id: a, title: A, lecture_lines: [Three]}\n".utf8)
            .write(to: URL(fileURLWithPath: "\(folder)/l1.yaml"))
        #expect(ShardCosts.costs(of: course, course: ShardCosts.fingerprint(course), in: storage) == [21, 3])
    }

    @Test("Two courses' lessons of one name keep separate costs")
    func coursesStayApart() throws {
        let root = try TestFiles.temporaryDirectory()
        for folder in ["a", "b"] { try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true) }
        let storage = LocalCache(root: "\(root)/cache")
        let a = try lessons(in: "\(root)/a", ["intro"]), b = try lessons(in: "\(root)/b", ["intro"])
        try ShardCosts.record(7, lesson: a[0], course: "old", in: storage)
        #expect(ShardCosts.costs(of: a, course: "new", in: storage) == [7])
        #expect(ShardCosts.costs(of: b, course: "new", in: storage) == [nil])
    }
}
