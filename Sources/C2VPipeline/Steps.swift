import C2VBuild

/// The step kinds of a lesson graph. Bump a version when that step's code changes what it
/// produces from the same inputs; exactly the steps of that kind rebuild.
enum PlanStep: StepKind { static let name = "plan"; static let version = 1 }
enum CodeStep: StepKind { static let name = "code"; static let version = 1 }
enum CritiqueStep: StepKind { static let name = "critique"; static let version = 1 }
enum RenderStep: StepKind { static let name = "render"; static let version = 1 }
enum AssembleStep: StepKind { static let name = "assemble"; static let version = 1 }
