import Foundation
import Testing
@testable import C2VLesson
import C2VUtil

/// Every error `body` throws, flattened: one `C2VError`, or the list inside `C2VErrors`.
/// Records an issue (and returns []) when nothing or something else is thrown.
func thrownErrors(_ body: () throws -> Void, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [C2VError] {
    do {
        try body()
        Issue.record("expected an error, but nothing was thrown", sourceLocation: sourceLocation)
        return []
    } catch let error as C2VError {
        return [error]
    } catch let errors as C2VErrors {
        return errors.errors
    } catch {
        Issue.record("expected C2VError or C2VErrors, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return []
    }
}

/// The errors from parsing `text` as the lesson file `file`.
func lessonErrors(_ text: String, file: String = "lessons/waves.yaml",
                  sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [C2VError] {
    thrownErrors({ _ = try LessonParser.parse(text, file: file) }, sourceLocation: sourceLocation)
}

/// The one error from parsing `text`; records an issue when there are several or none.
func singleLessonError(_ text: String, file: String = "lessons/waves.yaml",
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) -> C2VError? {
    let errors = lessonErrors(text, file: file, sourceLocation: sourceLocation)
    guard errors.count == 1 else {
        Issue.record("expected exactly one error, got \(errors.count):\n\(errors.map(\.description).joined(separator: "\n"))",
                     sourceLocation: sourceLocation)
        return nil
    }
    return errors[0]
}

/// (line, column) of an error, for compact position checks.
func position(_ error: C2VError?) -> [Int]? {
    guard let location = error?.location else { return nil }
    return [location.line, location.column]
}

/// A fresh empty directory under the system temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "c2v-lesson-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}
