import C2VBuild
import C2VEncode
import C2VLesson
import C2VMath
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
    }

    public static let kind = "render"
    public static let pool = Pool.cpu
    public static let isolation = Isolation.worker
    public static let components = [
        SceneComponents.format, SceneComponents.evaluator, SceneComponents.geometry, FrameRenderer.component,
        MathTypesetter.component, SegmentEncoder.component,
    ]

    public static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        let scene = try context.decode(Scene.self, .scene, of: StepID(kind: CritiqueStep.kind, target: context.id.target))
        let segment = "\(context.scratch)/segment.mp4"
        let poster = "\(context.scratch)/poster.png"
        let encoder = inputs.encoder
        try await runBlocking {
            let renderer = try FrameRenderer(scene: scene, theme: inputs.theme, width: encoder.width, height: encoder.height)
            let frames = scene.frameCount(fps: encoder.fps)
            try SegmentEncoder.encode(to: segment, settings: encoder, frameCount: frames, draw: { index, pixels, stride in
                try renderer.draw(at: Double(index) / Double(encoder.fps), into: pixels, stride: stride)
            }, progress: { done in context.progress(done, of: frames) })
            try renderer.writePNG(at: SectionTiming.posterTime(scene), to: poster)
        }
        return StepProduct(outputs: [.segment: .file(segment), .poster: .file(poster)])
    }
}

enum SectionTiming {
    /// A moment when the first line's visuals have finished entering.
    static func posterTime(_ scene: Scene) -> Double {
        guard let first = scene.lines.first else { return scene.duration / 2 }
        return max(0, min(first.end - 0.5, first.start + SceneObject.entranceSeconds + 0.8, scene.duration))
    }
}
