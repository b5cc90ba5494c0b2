import C2VBuild
import C2VLesson
import C2VMath
import C2VRender
import C2VScene
import C2VUtil

/// `critique(section)`: the static layout check (the built-in Critic), measured as the lesson
/// will be drawn. Its `scene` output is the checked scene every later step reads.
public enum CritiqueStep: BuildStep {
    public struct Inputs: Codable, Sendable, Equatable {
        var theme: Theme
        var width: Int
        var height: Int
        /// An author's scene, parsed when the lesson loaded (images travel inside it, so their
        /// bytes are keyed). Nil: the scene comes from `code`, by digest. The lines and title
        /// are also in the scene; as fields of their own they let `--explain` name what changed.
        var scene: Scene?
        var lectureLines: [String]?
        var sectionTitle: String?
        var durationHint: Double?
    }

    public static let kind = "critique"
    public static let pool = Pool.cpu
    public static let isolation = Isolation.worker
    public static let components = [
        SceneComponents.format, SceneComponents.evaluator, SceneComponents.geometry, SceneComponents.layoutCheck,
        PangoTextMeasurer.component, MathTypesetter.component,
    ]

    public static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        let scene = try inputs.scene ?? context.decode(Scene.self, .scene, of: StepID(kind: CodeStep.kind, target: context.id.target))
        let sceneData = try ArtifactJSON.encode(scene)
        let findings = try await runBlocking {
            let measurer = try PangoTextMeasurer(fontFamily: inputs.theme.font, mathFont: inputs.theme.mathFont,
                                                 width: inputs.width, height: inputs.height)
            return LayoutCheck.run(scene, theme: inputs.theme, measurer: measurer, outputHeight: inputs.height)
        }
        let errors = findings.filter { $0.severity == .error }
        if !errors.isEmpty {
            throw C2VError(.buildFailed, "layout check found \(errors.count) error\(errors.count == 1 ? "" : "s") in section `\(context.id.target ?? "")`:\n"
                           + errors.map { "  \($0)" }.joined(separator: "\n"))
        }
        return StepProduct(outputs: [.scene: .data(sceneData), .findings: .data(try ArtifactJSON.encode(findings))],
                           warnings: findings.map(\.description))
    }
}
