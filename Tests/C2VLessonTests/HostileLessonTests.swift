import Foundation
import Testing
@testable import C2VLesson
import C2VUtil

/// Lessons and files that once crashed, hung or ate memory: caps checked before any work, files
/// checked before a byte is read.
@Suite struct HostileLessonTests {
    func lesson(sections: String) -> String { "c2v: 1\ntitle: Waves\nsections:\n\(sections)" }

    @Test("A section may have at most 40 lecture lines, of at most 400 characters each")
    func lectureLineCaps() throws {
        let many = (0..<41).map { "Line \($0)" }.joined(separator: ", ")
        let error = try #require(singleLessonError(lesson(sections: "  - {id: a, title: A, lecture_lines: [\(many)]}\n")))
        #expect(error.message == "sections[0].lecture_lines has 41 lines; at most 40 per section: split the section")
        #expect(error.location?.line == 4)
        let long = String(repeating: "word ", count: 81)
        let tooLong = try #require(singleLessonError(lesson(sections: "  - id: a\n    title: A\n    lecture_lines:\n      - \(long)\n")))
        #expect(tooLong.message.hasPrefix("sections[0].lecture_lines[0] is 404 characters; at most 400"))
        #expect(tooLong.location?.line == 7 && tooLong.location?.column == 9)
    }

    @Test("A lesson may have at most 100 sections")
    func sectionCap() throws {
        let sections = (0..<101).map { "  - {id: s\($0), title: S, brief: Hi.}" }.joined(separator: "\n") + "\n"
        let error = try #require(singleLessonError(lesson(sections: sections)))
        #expect(error.message == "`sections` has 101 sections; at most 100 per lesson: split the lesson")
    }

    @Test("A control character is reported where it is, not at 1:1")
    func controlCharacterPosition() throws {
        let error = try #require(singleLessonError("c2v: 1\ntitle: Bad \u{7} title\nsections: []\n"))
        #expect(error.location?.line == 2 && error.location?.column == 12, "\(String(describing: error.location))")
        #expect(error.message.hasPrefix("invalid YAML: control characters are not allowed"))
    }

    @Test("A lesson path that is a FIFO, a folder or a device is refused without blocking on it")
    func specialFilesAreRefused() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/pipe.yaml"
        #expect(mkfifo(fifo, 0o644) == 0)
        let errors = thrownErrors { _ = try LessonParser.load(path: fifo) }
        #expect(errors.first?.message.contains("is a named pipe, not a regular file") == true, "\(errors.map(\.message))")
        let device = thrownErrors { _ = try LessonParser.load(path: "/dev/zero") }
        #expect(device.first?.message.contains("is a device, not a regular file") == true, "\(device.map(\.message))")
    }

    @Test("A file is measured before it is read: a 1.5 GB sparse file is refused without reading it")
    func sizeBeforeRead() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/big.yaml"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 1_572_864_000) == 0)
        var before = rusage(), after = rusage()
        getrusage(RUSAGE_SELF.rawValue, &before)
        let errors = thrownErrors { _ = try LessonParser.load(path: path) }
        getrusage(RUSAGE_SELF.rawValue, &after)
        #expect(errors.first?.message == "file is 1572864000 bytes; lesson files are limited to 1024 KiB")
        // Peak memory (KiB) grew by far less than the file.
        #expect(after.ru_maxrss - before.ru_maxrss < 100_000, "peak RSS grew by \(after.ru_maxrss - before.ru_maxrss) KiB")
    }

    @Test("InputFile follows symlinks and refuses a real path outside the folder it must stay in")
    func confinement() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/lesson", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
        try write("scene: {}\n", to: root + "/outside/s.scene.yaml")
        try write("scene: {}\n", to: root + "/lesson/ok.scene.yaml")
        try FileManager.default.createSymbolicLink(atPath: root + "/lesson/x.scene.yaml", withDestinationPath: "../outside/s.scene.yaml")
        try FileManager.default.createSymbolicLink(atPath: root + "/lesson/p.scene.yaml", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: root + "/lesson/inner.scene.yaml", withDestinationPath: "ok.scene.yaml")
        try FileManager.default.createSymbolicLink(atPath: root + "/lesson/dangling.scene.yaml", withDestinationPath: "nothing")
        #expect(throws: InputFile.Problem.outside("the lesson folder")) { try InputFile.read(root + "/lesson/x.scene.yaml", limit: 1000, inside: root + "/lesson") }
        #expect(throws: InputFile.Problem.outside("the lesson folder")) { try InputFile.read(root + "/lesson/p.scene.yaml", limit: 1000, inside: root + "/lesson") }
        #expect(try InputFile.read(root + "/lesson/inner.scene.yaml", limit: 1000, inside: root + "/lesson") == Data("scene: {}\n".utf8))
        #expect(throws: InputFile.Problem.unreadable("it is a symlink to nothing")) { try InputFile.read(root + "/lesson/dangling.scene.yaml", limit: 1000, inside: root + "/lesson") }
        #expect(throws: InputFile.Problem.tooLarge(size: 10, limit: 5)) { try InputFile.read(root + "/lesson/ok.scene.yaml", limit: 5) }
        #expect(throws: InputFile.Problem.missing) { try InputFile.read(root + "/lesson/none.scene.yaml", limit: 5) }
    }
}

@Suite struct YAMLHintTests {
    @Test("A tab, an unknown escape and a missing comma get hints")
    func hints() throws {
        let tab = try #require(singleLessonError("c2v: 1\ntitle: T\nsections:\n\t- {id: a, title: A, lecture_lines: [One]}\n"))
        #expect(tab.message.hasSuffix(": a tab; YAML indents with spaces only"), "\(tab.message)")
        #expect(tab.location?.line == 4 && tab.location?.column == 1)
        let escape = try #require(singleLessonError("c2v: 1\ntitle: \"a \\q b\"\nsections: []\n"))
        #expect(escape.message.contains("write TeX and other backslashes in single quotes"), "\(escape.message)")
        let comma = try #require(singleLessonError("c2v: 1\ntitle: T\nsections:\n  - {id: a, title: A, lecture_lines: [One, x]}\n  - {id: b, title: B, at: [A1:C3 x, y}\n"))
        #expect(comma.message.contains("needs quotes, like \"A1:C3\""), "\(comma.message)")
    }
}
