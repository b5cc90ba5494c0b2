import C2VUtil

/// A lesson file, validated: everything later layers need, with defaults applied.
public struct Lesson: Sendable, Equatable {
    /// The file's stem (`fourier` for `lessons/fourier.yaml`); names the build folder.
    public var name: String
    /// The path as the user gave it, for messages only; never part of a key.
    public var file: String
    public var title: String
    public var audience: String?
    public var video: VideoSettings
    public var theme: Theme
    public var agents: AgentSettings
    public var sections: [Section]
    /// How lecture lines are spoken (`narration:`); on by default.
    public var narration: NarrationSettings = .default
}

/// The speech engines c2v can narrate with.
public enum SpeechEngineKind: String, Sendable, Codable, CaseIterable {
    /// espeak-ng from Debian main: offline, about 100 languages, word and mark times.
    case espeakNG = "espeak-ng"
    /// Any OpenAI-compatible `POST /v1/audio/speech` endpoint (a neural voice); marks estimated.
    case openai
}

/// `narration:` of a lesson or course: `on`, `off`, or `{engine, voice, rate, language, gap}`.
public struct NarrationSettings: Sendable, Equatable, Codable {
    public var enabled: Bool
    public var engine: SpeechEngineKind
    /// The engine's voice (espeak-ng: `en-us`, `de`, `fr`, ...; `espeak-ng --voices`).
    public var voice: String
    /// Words per minute.
    public var rate: Int
    /// BCP 47 language of the spoken text (`en`, `de`); picks the voice when none is given.
    public var language: String
    /// Seconds of quiet after a line's speech before the next line starts.
    public var gap: Double
    /// `engine: openai`: the speech model (`tts-1`) and the endpoint (without credentials).
    public var model: String?
    public var baseURL: String?

    public static let `default` = NarrationSettings(enabled: true, engine: .espeakNG, voice: "en-us", rate: 160, language: "en", gap: 0.4)
    public static let rates = 80...450

    public init(enabled: Bool, engine: SpeechEngineKind, voice: String, rate: Int, language: String, gap: Double) {
        self.enabled = enabled
        self.engine = engine
        self.voice = voice
        self.rate = rate
        self.language = language
        self.gap = gap
    }
}

public enum VideoQuality: String, Sendable, Codable, CaseIterable {
    case draft, standard, balanced, high
}

/// Who an agent call is for: each role may have its own model (`agents.models`).
public enum AgentRole: String, Sendable, Codable, CaseIterable {
    case planner
    case coder
    case critic
    /// A speech endpoint's calls (`narration.engine: openai`); its model is `narration.model`.
    case narrator
}

/// How the Coder's scenes are reviewed: the static layout check alone, or also a vision model.
public enum CriticMode: String, Sendable, Codable, CaseIterable {
    case `static`
    case vision
}

public struct VideoSettings: Sendable, Equatable, Codable {
    public var width: Int
    public var height: Int
    public var fps: Int
    public var quality: VideoQuality

    public static let `default` = VideoSettings(width: 1280, height: 720, fps: 30, quality: .standard)

    public init(width: Int, height: Int, fps: Int, quality: VideoQuality) {
        self.width = width
        self.height = height
        self.fps = fps
        self.quality = quality
    }

    public static let presets: [String: (Int, Int)] = [
        "360p": (640, 360), "480p": (854, 480), "720p": (1280, 720), "1080p": (1920, 1080), "2160p": (3840, 2160),
    ]
    /// 15–60 for delivery; down to 10 so tests and drafts stay tiny.
    public static let fpsRange = 10...60
}

public struct Theme: Sendable, Equatable, Codable {
    public var background: RGBColor
    public var text: RGBColor
    public var accents: [RGBColor]
    public var font: String
    /// The family formulas are typeset in: DejaVu Serif (always installed), or e.g. `STIX Two
    /// Math` or `Latin Modern Math` where `fonts-stix` or `fonts-lmodern` is installed.
    public var mathFont: String

    public static let defaultMathFont = "DejaVu Serif"

    public static let `default` = Theme(
        background: RGBColor(hex: "#0E1116")!, text: RGBColor(hex: "#ECEFF4")!,
        accents: ["#58C4DD", "#FC6255", "#83C167", "#FFD166"].compactMap(RGBColor.init(hex:)),
        font: "DejaVu Sans")

    public init(background: RGBColor, text: RGBColor, accents: [RGBColor], font: String, mathFont: String = Theme.defaultMathFont) {
        self.background = background
        self.text = text
        self.accents = accents
        self.font = font
        self.mathFont = mathFont
    }
}

public enum AgentProvider: String, Sendable, Codable, CaseIterable {
    case offline
    case openai
}

public struct AgentSettings: Sendable, Equatable, Codable {
    public var provider: AgentProvider
    public var model: String?
    /// An OpenAI-compatible endpoint, like `http://localhost:11434/v1`.
    public var baseURL: String?
    /// Per-role models: `planner`, `coder`, `critic`.
    public var models: [AgentRole: String] = [:]
    public var temperature: Double?
    public var seed: Int?
    public var maxTokens: Int?
    /// Seconds for one request.
    public var timeout: Double?
    /// `static` (the layout check only) or `vision` (a vision model also reviews keyframes).
    public var critic: CriticMode?
    /// `response_format: off`: never send the parameter (for servers that refuse it).
    public var jsonMode: Bool?

    public init(provider: AgentProvider, model: String?, baseURL: String? = nil, models: [AgentRole: String] = [:],
                temperature: Double? = nil, seed: Int? = nil, maxTokens: Int? = nil, timeout: Double? = nil,
                critic: CriticMode? = nil) {
        self.critic = critic
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
        self.models = models
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
        self.timeout = timeout
    }

    public static let `default` = AgentSettings(provider: .offline, model: nil)

    /// Field by field, `other`'s values where it has them.
    public func overridden(by other: PartialAgentSettings) -> AgentSettings {
        var mine = PartialAgentSettings(provider: provider, model: model, baseURL: baseURL)
        mine.models = models
        mine.temperature = temperature
        mine.seed = seed
        mine.maxTokens = maxTokens
        mine.timeout = timeout
        mine.critic = critic
        mine.jsonMode = jsonMode
        let m = mine.merged(with: other)
        var result = AgentSettings(provider: m.provider ?? provider, model: m.model, baseURL: m.baseURL, models: m.models,
                                   temperature: m.temperature, seed: m.seed, maxTokens: m.maxTokens, timeout: m.timeout,
                                   critic: m.critic)
        result.jsonMode = m.jsonMode
        return result
    }
}

/// Agent settings given in one place (a lesson, course.yaml, the environment, flags).
public struct PartialAgentSettings: Sendable, Equatable {
    public var provider: AgentProvider?
    public var model: String?
    public var baseURL: String?
    public var models: [AgentRole: String] = [:]
    public var temperature: Double?
    public var seed: Int?
    public var maxTokens: Int?
    public var timeout: Double?
    public var critic: CriticMode?
    public var jsonMode: Bool?

    public init(provider: AgentProvider? = nil, model: String? = nil, baseURL: String? = nil) {
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
    }

    /// These settings with `other`'s wherever it has one.
    public func merged(with other: PartialAgentSettings) -> PartialAgentSettings {
        var s = self
        s.provider = other.provider ?? s.provider
        s.model = other.model ?? s.model
        s.baseURL = other.baseURL ?? s.baseURL
        s.models.merge(other.models) { _, new in new }
        s.temperature = other.temperature ?? s.temperature
        s.seed = other.seed ?? s.seed
        s.maxTokens = other.maxTokens ?? s.maxTokens
        s.timeout = other.timeout ?? s.timeout
        s.critic = other.critic ?? s.critic
        s.jsonMode = other.jsonMode ?? s.jsonMode
        return s
    }
}

public struct Section: Sendable, Equatable {
    public var id: String
    public var title: String
    public var brief: String?
    /// What each lecture line shows; also what is said, unless `spokenLines` has a sentence for it.
    public var lectureLines: [String]?
    /// Per line, the sentence spoken instead of the shown text (`{show: ..., say: ...}`); nil: say the bullet.
    public var spokenLines: [String?]?
    public var animations: [String]?
    /// Seconds the author would like the section to last.
    public var durationHint: Double?
    /// A hand-written scene program, passed to the scene language as data.
    public var scene: YAMLValue?
    public var location: SourceLocation
}

/// How much one lesson may ask for, checked before any work starts (docs/lesson-format.md).
public enum LessonLimits {
    public static let sections = 100
    /// Lecture lines of one section.
    public static let lectureLines = 40
    /// Characters of one lecture line (shown or spoken).
    public static let lineCharacters = 400
    /// Seconds one section may last, however its lines and steps are timed.
    public static let sectionSeconds = 600.0
    /// Seconds a whole lesson may last, by its sections' planned timing.
    public static let lessonSeconds = 7200.0
}

/// The calm teaching pace c2v times lecture lines by, before any speech is measured.
public enum LessonPace {
    /// Seconds for a line: 1.2 s plus 0.35 s a word, at least 2.5 s.
    public static func seconds(for line: String) -> Double {
        let words = line.split(whereSeparator: \.isWhitespace).count
        return max(2.5, 1.2 + 0.35 * Double(words))
    }
}
