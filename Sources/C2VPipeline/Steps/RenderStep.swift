import C2VBuild
import C2VEncode
import C2VLesson
import C2VMath
import C2VNarration
import C2VRender
import C2VScene
import C2VUtil
import Foundation

/// `render(section)`: draws the checked scene and encodes it in one stream (frames never touch
/// the disk) into an H.264 segment, plus a poster frame.
public enum RenderStep: BuildStep {
    public struct Inputs: Codable, Sendable, Equatable {
        var theme: Theme
        var encoder: EncoderSettings
        /// The encoder's libraries and fixed options (`EncoderSettings.fingerprint`).
        var encoderBuild: String
        /// Narrated sections: seconds of quiet after each line's speech; nil: silent.
        var narrationGap: Double?
        /// The author's wish, which yields to speech (with a warning).
        var durationHint: Double?
    }

    public static let kind = "render"
    public static let pool = Pool.cpu
    public static let isolation = Isolation.worker
    public static let components = [
        SceneComponents.format, SceneComponents.evaluator, SceneComponents.geometry, FrameRenderer.component,
        MathTypesetter.component, SegmentEncoder.component, SceneComponents.timeline,
    ]

    public static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        let checked = try context.decode(Scene.self, .scene, of: StepID(kind: CritiqueStep.kind, target: context.id.target))
        let segment = "\(context.scratch)/segment.mp4"
        let poster = "\(context.scratch)/poster.png"
        let encoder = inputs.encoder
        var scene = checked
        var warnings: [String] = []
        var audio: SegmentAudio?
        var spoken: [SpeakStep.Line] = []
        if let gap = inputs.narrationGap {
            let speak = StepID(kind: SpeakStep.kind, target: context.id.target)
            let narration = try context.decode(SpeakStep.Narration.self, SpeakStep.narration, of: speak)
            spoken = narration.lines
            let timed = checked.narrated(spoken.map { LineSpeech(duration: $0.duration, marks: $0.marks) }, gap: gap)
            scene = timed.scene
            // Speech may stretch a section past what its lines planned; the same cap holds,
            // before a sample or frame is made.
            guard scene.duration <= LessonLimits.sectionSeconds else {
                throw C2VError(.invalidInput, "section `\(context.id.target ?? "")` would last \(Checked.display(scene.duration.rounded())) s with its speech; at most \(Checked.display(LessonLimits.sectionSeconds)) s: split it or shorten its lines")
            }
            warnings += timed.warnings
            if spoken.count > checked.lines.count {
                warnings.append("\(spoken.count) spoken lines but \(checked.lines.count) lecture lines; the extra speech is not used")
            }
            if let hint = inputs.durationHint, scene.duration > hint + 0.5 {
                warnings.append(String(format: "duration_hint %.1f s yields to speech: the section lasts %.1f s", hint, scene.duration))
            }
            let rate = SegmentAudio.sampleRate
            let total = scene.frameCount(fps: encoder.fps) * rate / encoder.fps
            var track = [Float](repeating: 0, count: total)
            for (i, line) in spoken.enumerated() where i < scene.lines.count {
                let pcm = Speech.samples(fromPCM: try context.data(SpeakStep.Narration.audio(i), of: speak))
                let samples = try AudioResampler.resample(pcm, from: line.sampleRate, to: rate)
                let offset = Checked.int((scene.lines[i].start * Double(rate)).rounded(), clampedTo: 0...total)
                for (k, sample) in samples.enumerated() where offset + k < total { track[offset + k] += sample }
            }
            // Lines were evened out one by one; the section as a whole meets the target too.
            audio = SegmentAudio(samples: Loudness.normalized(track, sampleRate: rate))
        }
        let cues = SectionCues(scene: scene, spoken: inputs.narrationGap == nil ? nil : spoken)
        let timedScene = scene, segmentAudio = audio
        try await runBlocking {
            let scene = timedScene
            let renderer = try FrameRenderer(scene: scene, theme: inputs.theme, width: encoder.width, height: encoder.height)
            let frames = scene.frameCount(fps: encoder.fps)
            try SegmentEncoder.encode(to: segment, settings: encoder, frameCount: frames, audio: segmentAudio, draw: { index, pixels, stride in
                try renderer.draw(at: Double(index) / Double(encoder.fps), into: pixels, stride: stride)
            }, progress: { done in context.progress(done, of: frames) })
            try renderer.writePNG(at: SectionTiming.posterTime(scene), to: poster)
        }
        return StepProduct(outputs: [.segment: .file(segment), .poster: .file(poster), .cues: .data(try ArtifactJSON.encode(cues))],
                           warnings: warnings)
    }
}

/// When each lecture line is explained in a section's video, and what its subtitle says: the
/// spoken words while they are spoken, or the shown line while it is shown.
struct SectionCues: Codable, Sendable {
    struct Cue: Codable, Sendable {
        var text: String
        var start: Double
        var end: Double
    }
    var cues: [Cue]
    var duration: Double
    /// Bookmarks of the spoken text, in the section's video time.
    var marks: [String: Double] = [:]

    init(cues: [Cue], duration: Double) {
        self.cues = cues
        self.duration = duration
    }

    init(scene: Scene, spoken: [SpeakStep.Line]?) {
        var cues: [Cue] = []
        for (i, line) in (spoken ?? []).enumerated() where i < scene.lines.count {
            for (name, at) in line.marks { marks[name] = scene.lines[i].start + at }
        }
        for (i, line) in scene.lines.enumerated() {
            if let spoken, i < spoken.count, spoken[i].duration > 0 {
                cues.append(Cue(text: spoken[i].text, start: line.start, end: min(line.end, line.start + spoken[i].duration)))
            } else if spoken == nil {
                cues.append(Cue(text: line.text, start: line.start, end: line.end))
            }
        }
        self.cues = cues
        duration = scene.duration
    }
}

enum SectionTiming {
    /// A moment when the first line's visuals have finished entering.
    static func posterTime(_ scene: Scene) -> Double {
        guard let first = scene.lines.first else { return scene.duration / 2 }
        return max(0, min(first.end - 0.5, first.start + SceneObject.entranceSeconds + 0.8, scene.duration))
    }
}
