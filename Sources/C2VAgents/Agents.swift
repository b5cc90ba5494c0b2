import C2VScene

/// The Planner's output for one section: what is said, and what is shown while it is said.
public struct Storyboard: Codable, Sendable, Equatable {
    public var lectureLines: [String]
    public var animations: [String]
    /// Per line, the full sentence the narrator says (the bullet shown is shorter); nil: say the bullets.
    public var spoken: [String]?

    public init(lectureLines: [String], animations: [String], spoken: [String]? = nil) {
        self.lectureLines = lectureLines
        self.animations = animations
        self.spoken = spoken
    }
}

/// Everything the Planner may read; each field is part of the plan step's key.
public struct PlanRequest: Sendable, Equatable {
    public var lessonTitle: String
    public var audience: String?
    public var sectionTitle: String
    public var brief: String

    public init(lessonTitle: String, audience: String?, sectionTitle: String, brief: String) {
        self.lessonTitle = lessonTitle
        self.audience = audience
        self.sectionTitle = sectionTitle
        self.brief = brief
    }
}

/// Everything the Coder may read; each field is part of the code step's key.
public struct CodeRequest: Sendable, Equatable {
    public var sectionTitle: String
    public var storyboard: Storyboard
    public var durationHint: Double?

    public init(sectionTitle: String, storyboard: Storyboard, durationHint: Double?) {
        self.sectionTitle = sectionTitle
        self.storyboard = storyboard
        self.durationHint = durationHint
    }
}

/// Expands a brief into lecture lines and animation descriptions.
public protocol Planner: Sendable {
    /// Identifies the provider, model and prompt version; part of the plan step's key.
    var identity: String { get }
    /// Plans a section; every model call it makes adds to `usage`.
    func plan(_ request: PlanRequest, usage: UsageSink?) async throws -> Storyboard
}

extension Planner {
    public func plan(_ request: PlanRequest) async throws -> Storyboard { try await plan(request, usage: nil) }
}

/// Turns a storyboard into a scene program.
public protocol Coder: Sendable {
    /// Identifies the provider, model and prompt version; part of the code step's key.
    var identity: String { get }
    /// Codes a section's scene; every model call it makes (repairs included) adds to `usage`.
    func code(_ request: CodeRequest, usage: UsageSink?) async throws -> Scene
}

extension Coder {
    public func code(_ request: CodeRequest) async throws -> Scene { try await code(request, usage: nil) }
}
