import Foundation
import Testing
import C2VTestSupport
import C2VBuild
import C2VLesson
import C2VRender
import C2VScene
import C2VUtil
@testable import C2VPipeline

/// Every section of every lesson in `lessons/` (and the benchmark scene) is planned, coded and
/// checked exactly as a build does it, and must pass the Critic without errors. Two moments of
/// each are drawn at 320x180 and compared with PNGs in `Golden/` with a per-pixel tolerance.
/// `C2V_RECORD_GOLDEN=1 swift test --filter GoldenFrameTests` re-records them.
@Suite(.serialized) struct GoldenFrameTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let recording = ProcessInfo.processInfo.environment["C2V_RECORD_GOLDEN"] == "1"

    static var lessonFiles: [String] {
        let folder = root.appendingPathComponent("lessons").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let lessons = names.filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".scene.yaml") && $0 != "course.yaml" }.sorted()
        return lessons.map { "\(folder)/\($0)" } + [root.appendingPathComponent("bench/epicycles.yaml").path]
    }

    /// The scene of every section, through plan, code and critique (a Critic error throws).
    static func scenes(_ file: String) async throws -> (Lesson, [(String, Scene)]) {
        let cache = try FileIO.makeTemporaryDirectory(prefix: "c2v-golden-cache")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let request = BuildRequest(paths: [file], cacheDirectory: cache, outputDirectory: cache + "/out",
                                   options: BuildOptions(jobs: 2))
        let plan = try #require(try Pipeline.plans(for: request).first)
        var scenes: [(String, Scene)] = []
        for section in plan.lesson.sections {
            scenes.append((section.id, try await Pipeline.scene(of: section.id, in: plan, request: request)))
        }
        return (plan.lesson, scenes)
    }

    @Test(arguments: lessonFiles)
    func lessonFramesMatchTheirGoldens(file: String) async throws {
        let (lesson, scenes) = try await Self.scenes(file)
        var recorded: [String] = []
        for (id, scene) in scenes {
            let renderer = try FrameRenderer(scene: scene, theme: lesson.theme, width: 320, height: 180)
            for (k, time) in [scene.duration * 0.5, max(0, scene.duration - 0.05)].enumerated() {
                let name = "\(lesson.name)-\(id)-\(k).png"
                let path = "\(Self.goldenFolder)/\(name)"
                let frame = try PixelImage(renderer, at: time)
                if Self.recording || !FileManager.default.fileExists(atPath: path) {
                    try FileManager.default.createDirectory(atPath: Self.goldenFolder, withIntermediateDirectories: true)
                    try frame.writePNG(path)
                    recorded.append(name)
                    continue
                }
                let golden = try PixelImage.readPNG(path)
                let difference = try #require(frame.difference(from: golden), "\(name) has another size than its golden")
                #expect(difference.mean < 2.0 && difference.changed < 0.01,
                        "\(name) at t=\(time): mean difference \(difference.mean), \(difference.changed * 100)% of pixels changed")
            }
        }
        if !Self.recording && !recorded.isEmpty {
            Issue.record("recorded missing goldens \(recorded.joined(separator: ", ")); check them and run again")
        }
    }

    @Test func partialSumIsDrawnInAccentOneWhereTheAxesPutIt() async throws {
        let (lesson, scenes) = try await Self.scenes(Self.root.appendingPathComponent("lessons/fourier.yaml").path)
        let scene = try #require(scenes.first { $0.0 == "square-wave" }?.1)
        let frame = try PixelImage(try FrameRenderer(scene: scene, theme: lesson.theme, width: 640, height: 360), at: scene.duration - 0.05)
        // Axes on A1:F5 inset by 24 units: x 784..1836 for [-pi, pi], y 862.7..194 for [-1.5, 1.5].
        // The 13-term partial sum is about 1 at x = pi/2: scene (1573, 305), pixel (524, 102) at 640x360.
        let red = lesson.theme.accents[1]
        var found = false
        for y in 96...108 {
            for x in 520...528 {
                let (r, g, b) = frame.rgb(x, y)
                if abs(r - Int(red.red)) < 40 && abs(g - Int(red.green)) < 40 && abs(b - Int(red.blue)) < 40 { found = true }
            }
        }
        #expect(found)
        // The bottom-right corner, outside every object, is plain background.
        let (r, g, b) = frame.rgb(630, 350)
        #expect(r == Int(lesson.theme.background.red) && g == Int(lesson.theme.background.green) && b == Int(lesson.theme.background.blue))
    }
}
