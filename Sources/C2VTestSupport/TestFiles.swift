import C2VUtil
import Foundation

/// Files and folders for tests.
public enum TestFiles {
    public static func temporaryDirectory(_ prefix: String = "c2v-test") throws -> String {
        try FileIO.makeTemporaryDirectory(prefix: prefix)
    }

    /// The repository's root, found from this source file (tests read `lessons/`).
    public static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Flips one byte in the middle of a file in place and puts its mtime back, as bit rot or a
    /// careless edit would; the size stays.
    public static func flipByteKeepingTimes(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x20
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: bytes)
        try handle.close()
        if let date = attributes[.modificationDate] {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
        }
    }
}

extension TestFiles {
    /// Writes `text` as a lesson file in a fresh folder and returns its path.
    public static func writeLesson(_ text: String, name: String = "lesson.yaml") throws -> String {
        let directory = try temporaryDirectory("c2v-lesson")
        let path = "\(directory)/\(name)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
