import C2VBuild
import C2VEncode
import C2VScene
import C2VUtil
import Foundation

/// `assemble`: joins the sections' segments by stream copy into one MP4 with chapters, and
/// writes the subtitles, the poster and a summary the report reads.
public enum AssembleStep: BuildStep {
    public struct Inputs: Codable, Sendable, Equatable {
        struct Section: Codable, Sendable, Equatable {
            var id: String
            var title: String
        }
        var sections: [Section]
        var fps: Int
    }

    public static let kind = "assemble"
    public static let pool = Pool.cpu
    public static let isolation = Isolation.worker
    public static let components = [SegmentJoiner.component, WebVTT.component]

    /// What each section contributes: its segment and its cues.
    static func dependencies(_ sections: [String]) -> [StepID] {
        sections.map { StepID(kind: RenderStep.kind, target: $0) }
    }

    public static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        var joinInputs: [JoinInput] = []
        var cues: [SectionCues] = []
        for (i, section) in inputs.sections.enumerated() {
            let render = StepID(kind: RenderStep.kind, target: section.id)
            // A private, verified copy: the demuxer seeks, so it reads a file no one else can change.
            let segment = "\(context.scratch)/segment-\(i).mp4"
            try context.copy(.segment, of: render, to: segment)
            joinInputs.append(JoinInput(path: segment, chapterTitle: section.title))
            cues.append(try context.decode(SectionCues.self, .cues, of: render))
        }
        guard let first = inputs.sections.first else { throw C2VError(.invalidInput, "a lesson needs at least one section") }
        let video = "\(context.scratch)/video.mp4"
        let segments = joinInputs
        let joined = try await runBlocking { try SegmentJoiner.join(segments, to: video) }
        let vtt = WebVTT.document(sections: cues, starts: joined.segmentStartSeconds, fps: inputs.fps)
        let poster = try context.data(.poster, of: StepID(kind: RenderStep.kind, target: first.id))
        let summary = AssemblySummary(
            frameCount: joined.frameCount, durationSeconds: joined.durationSeconds,
            chapters: zip(inputs.sections, joined.segmentStartSeconds).map {
                AssemblySummary.Chapter(section: $0.0.id, title: $0.0.title, start: $0.1)
            })
        return StepProduct(outputs: [
            .video: .file(video), .subtitles: .data(Data(vtt.utf8)), .poster: .data(poster),
            .summary: .data(try ArtifactJSON.encode(summary)),
        ])
    }
}

/// What `assemble` learned about the joined video; the report reads it even when assemble was cached.
public struct AssemblySummary: Codable, Sendable {
    public struct Chapter: Codable, Sendable {
        public var section: String
        public var title: String
        public var start: Double
    }
    public var frameCount: Int
    public var durationSeconds: Double
    public var chapters: [Chapter]
}

/// Every step kind of a lesson graph: what a worker process can run.
public enum LessonSteps {
    public static var registry: StepRegistry {
        var registry = StepRegistry()
        registry.register(PlanStep.self)
        registry.register(CodeStep.self)
        registry.register(CritiqueStep.self)
        registry.register(RenderStep.self)
        registry.register(SpeakStep.self)
        registry.register(AssembleStep.self)
        return registry
    }

    /// Each kind's components, for `c2v` docs and the version guard.
    public static let components: [String: [ComponentVersion]] = [
        PlanStep.kind: PlanStep.components, CodeStep.kind: CodeStep.components,
        CritiqueStep.kind: CritiqueStep.components, RenderStep.kind: RenderStep.components, SpeakStep.kind: SpeakStep.components,
        AssembleStep.kind: AssembleStep.components,
    ]
}
