import ArgumentParser
import C2VBuild
import C2VPipeline
import C2VRender
import C2VUtil
import Foundation

/// The renderer of one section's checked scene, for the single-section commands.
func sectionRenderer(lesson path: String, section: String, common: CommonOptions,
                     agents: AgentOptions = AgentOptions()) async throws -> (FrameRenderer, fps: Int) {
    let (plan, request) = try singleLessonPlan(path, common: common, agents: agents)
    let scene = try await Pipeline.scene(of: section, in: plan, request: request)
    let video = plan.lesson.video
    return (try FrameRenderer(scene: scene, theme: plan.lesson.theme, width: video.width, height: video.height), video.fps)
}

/// Loads one lesson file for the single-lesson commands.
func singleLessonPlan(_ path: String, common: CommonOptions, agents: AgentOptions = AgentOptions()) throws -> (LessonPlan, BuildRequest) {
    let request = BuildRequest(paths: [path], cacheDirectory: common.resolvedCacheDirectory,
                               outputDirectory: common.outputDirectory,
                               options: BuildOptions(jobs: ProcessInfo.processInfo.activeProcessorCount), agents: agents)
    let plans = try Pipeline.plans(for: request)
    guard plans.count == 1, let plan = plans.first else {
        throw C2VError(.usage, "\(path) must be one lesson file, not a course folder")
    }
    return (plan, request)
}

struct Still: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one frame of a section to PNG.",
        discussion: """
            Plans, codes and checks only that section (through the cache), then draws the frame at
            the lesson's video size.   c2v still lessons/fourier.yaml --section epicycles --time 3.5 -o frame.png
            """)

    @Argument(help: "A lesson file.") var lesson: String
    @Option(help: "Section id.") var section: String
    @Option(help: "Seconds from the start of the section.") var time: Double = 0
    @Option(name: .shortAndLong, help: "PNG file to write.") var output: String
    @OptionGroup var common: CommonOptions
    @OptionGroup var agentFlags: AgentFlags

    func run() async throws {
        let (renderer, _) = try await sectionRenderer(lesson: lesson, section: section, common: common, agents: agentFlags.options)
        let at = max(0, min(time, renderer.scene.duration))
        try renderer.writePNG(at: at, to: output)
        print("wrote \(output) (\(renderer.width)x\(renderer.height), t=\(at) s of \(renderer.scene.duration) s)")
    }
}

/// Writes a section's frames as raw BGRA, for measuring the encoder alone (scripts/bench).
struct Frames: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a section's frames as raw BGRA video, or time drawing them (benchmark aid).", shouldDisplay: false)

    @Argument(help: "A lesson file.") var lesson: String
    @Option(help: "Section id.") var section: String
    @Option(name: .shortAndLong, help: "File to write the raw frames to; without it, frames are only drawn and timed.")
    var output: String?
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let (renderer, fps) = try await sectionRenderer(lesson: lesson, section: section, common: common)
        let frames = renderer.scene.frameCount(fps: fps)
        let stride = renderer.width * 4
        guard let output else {
            var buffer = [UInt8](repeating: 0, count: stride * renderer.height)
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                for i in 0..<frames {
                    try buffer.withUnsafeMutableBytes { raw in
                        try renderer.draw(at: Double(i) / Double(fps), into: raw.baseAddress!, stride: stride)
                    }
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(String(format: "drew %d frames of %dx%d in %.3f s: %.3f ms/frame", frames, renderer.width, renderer.height,
                         seconds, seconds * 1000 / Double(frames)))
            return
        }
        // Start from an empty file: a longer one left from an earlier run must not keep its tail.
        guard FileManager.default.createFile(atPath: output, contents: nil),
              let handle = FileHandle(forWritingAtPath: output)
        else { throw C2VError(.io, "cannot write \(output)") }
        defer { try? handle.close() }
        var buffer = [UInt8](repeating: 0, count: stride * renderer.height)
        for i in 0..<frames {
            try buffer.withUnsafeMutableBytes { raw in
                try renderer.draw(at: Double(i) / Double(fps), into: raw.baseAddress!, stride: stride)
            }
            try handle.write(contentsOf: buffer)
        }
        FileHandle.standardError.write(Data("wrote \(frames) frames of \(renderer.width)x\(renderer.height) BGRA at \(fps) fps to \(output)\n".utf8))
    }
}
