import Foundation
import Testing
@testable import C2VUtil

@Suite struct ErrorDescriptionTests {
    @Test("Foundation's file errors read as path and reason, never as an NSCocoaErrorDomain dump")
    func cocoaErrors() throws {
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent/c2v/file.yaml"))
            Issue.record("read a file that does not exist")
        } catch {
            let text = C2VError.describe(error)
            #expect(text == "/nonexistent/c2v/file.yaml: no such file or directory", "\(text)")
            #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("UserInfo"))
        }
        do {
            try FileManager.default.createDirectory(atPath: "/proc/c2v-cannot", withIntermediateDirectories: true)
            Issue.record("created a folder in /proc")
        } catch {
            let text = C2VError.describe(error)
            #expect(text.hasPrefix("/proc/c2v-cannot: "), "\(text)")
            #expect(!text.contains("NSCocoaErrorDomain"))
        }
    }

    @Test("A c2v error inside a message loses its `error:` prefix but keeps its place")
    func c2vErrors() {
        let e = C2VError(.invalidInput, "bad radius", at: SourceLocation(file: "a.yaml", line: 3, column: 9))
        #expect(C2VError.describe(e) == "a.yaml:3:9: bad radius")
        #expect(C2VError.describe(C2VError(.io, "cannot write x", underlying: "disk full")) == "cannot write x (disk full)")
    }
}
