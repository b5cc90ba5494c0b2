import Foundation
import Testing
import C2VBuild
import C2VLesson
import C2VUtil
import C2VTestSupport
@testable import C2VPipeline

@Suite struct HostilePipelineTests {
    func errors(_ path: String) -> [C2VError] {
        do {
            _ = try plan(path)
            Issue.record("expected \(path) to be refused")
            return []
        } catch let e as C2VError { return [e] } catch let e as C2VErrors { return e.errors } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    func lessonNaming(scene file: String) -> String {
        "c2v: 1\ntitle: T\nsections:\n  - id: a\n    title: A\n    lecture_lines: [One]\n    scene: \(file)\n"
    }

    @Test("A scene file that is a symlink out of the lesson folder is refused at the `scene` field, not followed")
    func sceneSymlinkEscapes() throws {
        let path = try writeLesson(lessonNaming(scene: "x.scene.yaml"))
        let folder = (path as NSString).deletingLastPathComponent
        let outside = try TestFiles.temporaryDirectory("c2v-outside")
        try Data("objects:\n  - {id: c, kind: circle, at: B2}\n".utf8).write(to: URL(fileURLWithPath: "\(outside)/s.scene.yaml"))
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/x.scene.yaml", withDestinationPath: "\(outside)/s.scene.yaml")
        let found = errors(path)
        #expect(found.map(\.message) == ["scene file `x.scene.yaml` leads outside the lesson folder (through a symlink or `..`)"])
        #expect(found.first?.location?.line == 7 && found.first?.location?.column == 12)

        try FileManager.default.removeItem(atPath: "\(folder)/x.scene.yaml")
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/x.scene.yaml", withDestinationPath: "/etc/passwd")
        #expect(errors(path).map(\.message) == ["scene file `x.scene.yaml` leads outside the lesson folder (through a symlink or `..`)"])

        // A symlink that stays inside is fine.
        try Data("objects:\n  - {id: c, kind: circle, at: B2}\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/real.scene.yaml"))
        try FileManager.default.removeItem(atPath: "\(folder)/x.scene.yaml")
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/x.scene.yaml", withDestinationPath: "real.scene.yaml")
        #expect(try plan(path).graph.steps.count > 0)
    }

    @Test("A scene file that is a FIFO is refused without blocking")
    func sceneFIFO() throws {
        let path = try writeLesson(lessonNaming(scene: "p.scene.yaml"))
        let folder = (path as NSString).deletingLastPathComponent
        #expect(mkfifo("\(folder)/p.scene.yaml", 0o644) == 0)
        #expect(errors(path).map(\.message) == ["scene file `p.scene.yaml` is a named pipe, not a regular file"])
    }

    @Test("A lesson planned past two hours is refused before any work, naming the file")
    func lessonLengthCap() throws {
        let sections = (0..<13).map { "  - {id: s\($0), title: S, brief: Hi., duration_hint: 600}" }.joined(separator: "\n")
        let path = try writeLesson("c2v: 1\ntitle: T\nsections:\n\(sections)\n")
        let found = errors(path)
        #expect(found.first?.message == "this lesson would last about 7800 s; at most 7200 s: split it into several lessons",
                "\(found.map(\.message))")
        #expect(found.first?.location?.line == 4, "at `sections`")
    }

    @Test("A section that its lines and steps would stretch past 10 minutes is refused where it is written")
    func sectionLengthCap() throws {
        let lines = (0..<30).map { _ in "\"" + String(repeating: "word ", count: 70) + "\"" }.joined(separator: ", ")
        let path = try writeLesson("c2v: 1\ntitle: T\nsections:\n  - id: a\n    title: A\n    lecture_lines: [\(lines)]\n    scene:\n      objects:\n        - {id: c, kind: circle, at: B2}\n")
        let found = errors(path)
        #expect(found.first?.message.contains("at most 600 s: split it or shorten its lines") == true, "\(found.map(\.message))")
        #expect(found.first?.location?.line == 8)
    }

    @Test("--refresh and --sample must name a section that exists")
    func unknownSectionFlags() throws {
        let path = try writeLesson()
        var request = BuildRequest(paths: [path], cacheDirectory: try TestFiles.temporaryDirectory(), outputDirectory: "build",
                                   options: BuildOptions(jobs: 1, agentJobs: 1, dryRun: true))
        request.agents.refresh = ["s2", "nosuch"]
        #expect(throws: C2VError.self) { try Pipeline.plans(for: request) }
        do { _ = try Pipeline.plans(for: request) } catch let error as C2VError {
            #expect(error.message.hasPrefix("--refresh nosuch: no section `nosuch` in these lessons"), "\(error.message)")
        }
        request.agents.refresh = ["all"]
        #expect(throws: Never.self) { try Pipeline.plans(for: request) }
        request.agents.refresh = []
        request.agents.samples = ["s22": 1]
        #expect(throws: C2VError.self) { try Pipeline.plans(for: request) }
    }

    /// Random cue texts with blank lines, arrows, markup and control characters: every cue keeps
    /// one line of text, nothing is dropped, and the document parses back cue by cue.
    @Test("The WebVTT writer keeps one cue per line whatever the text")
    func webVTTFuzz() throws {
        var generator = SeededGenerator(seed: 0xC2F)
        let pieces = ["first half", "\n\n", "\n", "-->", "<b>", "&", " ", "\t", "\r\n", "é", "日本", "\u{7}", "  ", "x"]
        for round in 0..<300 {
            let count = Int.random(in: 1...6, using: &generator)
            var cues: [SectionCues.Cue] = []
            var start = 0.0
            for _ in 0..<count {
                let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
                let length = Double.random(in: 0.5...3, using: &generator)
                cues.append(.init(text: text, start: start, end: start + length))
                start += length
            }
            let section = SectionCues(cues: cues, duration: start)
            let document = WebVTT.document(sections: [section], starts: [0], fps: 10)
            let blocks = document.components(separatedBy: "\n\n").dropFirst()
            let expected = cues.filter { !WebVTT.cueText($0.text).isEmpty }
            #expect(blocks.count == expected.count, "round \(round): \(cues.map(\.text))\n\(document)")
            for (block, cue) in zip(blocks, expected) {
                let lines = block.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
                #expect(lines.count == 3, "round \(round): a cue of \(lines.count) lines: \(block.debugDescription)")
                #expect(lines.count < 2 || lines[1].contains(" --> "))
                #expect(lines.count < 3 || !lines[2].contains("-->") && !lines[2].contains("<"))
                #expect(lines.last.map(String.init) == WebVTT.cueText(cue.text))
            }
        }
    }
}
