/// A piece of c2v's code whose behaviour shapes some step's output: the scene evaluator, the
/// geometry, the Critic's rules, the typesetter, the renderer, the encoder settings.
///
/// Each component declares its own version next to its code. A step lists the components it
/// runs, and every one of their versions is folded into the step's key, so changing what a
/// component produces and bumping its version reruns exactly the steps that use it.
/// `Tests/C2VPipelineTests/ComponentFingerprints.json` records what each version produced; a
/// test fails, naming the version to bump, when a component's output changes without a bump.
public struct ComponentVersion: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Dotted name, stable across releases (`scene.geometry`).
    public let name: String
    public let version: Int

    public init(_ name: String, _ version: Int) {
        self.name = name
        self.version = version
    }

    public var description: String { "\(name)/\(version)" }
}
