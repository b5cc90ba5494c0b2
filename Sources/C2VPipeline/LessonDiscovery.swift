import C2VLesson
import C2VUtil
import Foundation

/// Finds lesson files: a path is a lesson file, or a course folder whose `*.yaml` files
/// (except `course.yaml`) are its lessons, in natural name order (`l2` before `l10`).
public enum LessonDiscovery {
    public static func lessonFiles(in paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw C2VError(.usage, "no such lesson file or course folder: \(path)")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                let lessons = names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && $0 != "course.yaml" && $0 != "course.yml" && !$0.hasPrefix(".") }
                    .sorted { naturalLess($0, $1) }
                let directory = path.hasSuffix("/") ? String(path.dropLast()) : path
                guard !lessons.isEmpty else {
                    throw C2VError(.usage, "no lessons in \(path): expected *.yaml lesson files besides course.yaml")
                }
                files += lessons.map { "\(directory)/\($0)" }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Loads every lesson, reporting all files' errors together; refuses two lessons that would
    /// write to the same build folder.
    public static func load(_ paths: [String]) throws -> [Lesson] {
        var lessons: [Lesson] = []
        var errors: [C2VError] = []
        for file in try lessonFiles(in: paths) {
            do {
                lessons.append(try LessonParser.load(path: file))
            } catch let error as C2VError {
                errors.append(error)
            } catch let many as C2VErrors {
                errors += many.errors
            }
        }
        var seen: [String: String] = [:]
        for lesson in lessons {
            if let other = seen[lesson.name] {
                errors.append(C2VError(.usage, "lessons \(other) and \(lesson.file) would both build into `\(lesson.name)`; rename one"))
            }
            seen[lesson.name] = lesson.file
        }
        try C2VErrors.throwIfAny(errors)
        return lessons
    }

    /// Compares names with digit runs as numbers.
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        func parts(_ s: String) -> [(String, Int?)] {
            var result: [(String, Int?)] = []
            var current = "", digits = false
            for ch in s {
                if ch.isNumber != digits, !current.isEmpty {
                    result.append((current, digits ? Int(current) : nil))
                    current = ""
                }
                digits = ch.isNumber
                current.append(ch)
            }
            if !current.isEmpty { result.append((current, digits ? Int(current) : nil)) }
            return result
        }
        for (x, y) in zip(parts(a), parts(b)) {
            if let i = x.1, let j = y.1, i != j { return i < j }
            if x.0 != y.0 { return x.0 < y.0 }
        }
        return a.count < b.count
    }
}
