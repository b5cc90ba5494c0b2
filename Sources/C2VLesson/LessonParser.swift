import C2VUtil
import Foundation

/// Turns lesson and course files into `Lesson` values, collecting every error with its position.
public enum LessonParser {
    public static let topKeys = ["c2v", "title", "audience", "video", "theme", "agents", "narration", "sections"]
    public static let courseKeys = ["c2v", "video", "theme", "agents", "narration"]
    public static let narrationKeys = ["engine", "voice", "rate", "language", "gap", "model", "base_url"]
    public static let lineKeys = ["show", "say"]
    public static let videoKeys = ["size", "fps", "quality"]
    public static let themeKeys = ["background", "text", "accents", "font", "math_font"]
    public static let agentKeys = ["provider", "model", "base_url", "models", "temperature", "seed", "max_tokens", "timeout", "critic",
                                   "response_format"]
    public static let agentRoles = [AgentRole.planner, .coder, .critic].map(\.rawValue)
    public static let sectionKeys = ["id", "title", "brief", "lecture_lines", "animations", "duration_hint", "scene"]

    /// Loads a lesson file, applying `course.yaml` from the same folder when there is one.
    public static func load(path: String) throws -> Lesson {
        let text = try readText(path)
        let directory = (path as NSString).deletingLastPathComponent
        let coursePath = (directory.isEmpty ? "." : directory) + "/course.yaml"
        var defaults = CourseDefaults()
        if FileIO.exists(coursePath) {
            defaults = try parseCourse(try readText(coursePath), file: coursePath)
        }
        return try parse(text, file: path, course: defaults)
    }

    static func readText(_ path: String) throws -> String {
        let data: Data
        do {
            data = try InputFile.read(path, limit: YAMLReader.maximumBytes)
        } catch .missing {
            throw C2VError(.invalidInput, "no such lesson file: \(path)")
        } catch .tooLarge(let size, _) {
            throw C2VError(.invalidInput, "file is \(size) bytes; lesson files are limited to \(YAMLReader.maximumBytes / 1024) KiB",
                           at: SourceLocation(file: path, line: 1, column: 1))
        } catch {
            throw C2VError(.invalidInput, "lesson file \(path) \(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw C2VError(.invalidInput, "file is not UTF-8 text", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return text
    }

    /// Shared defaults from `course.yaml`; each field a lesson sets wins.
    public struct CourseDefaults: Sendable {
        public init() {}
        var video = PartialVideo()
        var theme = PartialTheme()
        var agents = PartialAgents()
        var narration: NarrationSettings?
    }

    struct PartialVideo: Sendable { var size: (Int, Int)?; var fps: Int?; var quality: VideoQuality? }
    struct PartialTheme: Sendable {
        var background: RGBColor?; var text: RGBColor?; var accents: [RGBColor]?; var font: String?; var mathFont: String?
    }
    typealias PartialAgents = PartialAgentSettings

    public static func parseCourse(_ text: String, file: String) throws -> CourseDefaults {
        let root = try YAMLReader.read(text, file: file)
        var errors = ErrorCollector()
        var defaults = CourseDefaults()
        if let fields = errors.mapping(root, what: "course file", allowed: courseKeys) {
            checkFormatVersion(fields, root: root, required: false, &errors)
            if let v = fields["video"] { defaults.video = parseVideo(v, &errors) }
            if let t = fields["theme"] { defaults.theme = parseTheme(t, &errors) }
            if let a = fields["agents"] { defaults.agents = parseAgents(a, &errors) }
            if let n = fields["narration"] { defaults.narration = parseNarration(n, base: .default, &errors) }
        }
        try errors.throwIfAny()
        return defaults
    }

    public static func parse(_ text: String, file: String, course: CourseDefaults = CourseDefaults()) throws -> Lesson {
        let root = try YAMLReader.read(text, file: file)
        var errors = ErrorCollector()
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var lesson = Lesson(name: name, file: file, title: "", audience: nil, video: .default, theme: .default,
                            agents: .default, sections: [])
        guard let fields = errors.mapping(root, what: "lesson file", allowed: topKeys) else {
            try errors.throwIfAny()
            return lesson
        }
        checkFormatVersion(fields, root: root, required: true, &errors)
        lesson.title = errors.string(fields["title"], what: "title", required: true, in: root) ?? ""
        lesson.audience = errors.string(fields["audience"], what: "audience")

        var video = course.video
        if let v = fields["video"] {
            let own = parseVideo(v, &errors)
            video.size = own.size ?? video.size
            video.fps = own.fps ?? video.fps
            video.quality = own.quality ?? video.quality
        }
        lesson.video = VideoSettings(width: video.size?.0 ?? VideoSettings.default.width,
                                     height: video.size?.1 ?? VideoSettings.default.height,
                                     fps: video.fps ?? VideoSettings.default.fps,
                                     quality: video.quality ?? VideoSettings.default.quality)
        var theme = course.theme
        if let t = fields["theme"] {
            let own = parseTheme(t, &errors)
            theme.background = own.background ?? theme.background
            theme.text = own.text ?? theme.text
            theme.accents = own.accents ?? theme.accents
            theme.font = own.font ?? theme.font
            theme.mathFont = own.mathFont ?? theme.mathFont
        }
        lesson.theme = Theme(background: theme.background ?? Theme.default.background,
                             text: theme.text ?? Theme.default.text,
                             accents: theme.accents ?? Theme.default.accents,
                             font: theme.font ?? Theme.default.font, mathFont: theme.mathFont ?? Theme.defaultMathFont)
        var agents = course.agents
        if let a = fields["agents"] {
            let own = parseAgents(a, &errors)
            agents = agents.merged(with: own)
        }
        lesson.agents = AgentSettings.default.overridden(by: agents)
        lesson.narration = course.narration ?? .default
        if let n = fields["narration"] { lesson.narration = parseNarration(n, base: lesson.narration, &errors) }

        if let sectionsValue = fields["sections"] {
            lesson.sections = parseSections(sectionsValue, &errors)
            // The planned length (each `duration_hint`, or the lines at a teaching pace) is capped
            // before any work starts.
            let seconds = lesson.sections.reduce(0.0) { total, section in
                total + (section.durationHint ?? section.lectureLines.map { $0.reduce(0) { $0 + LessonPace.seconds(for: $1) } } ?? 0)
            }
            if seconds > LessonLimits.lessonSeconds {
                errors.add("this lesson would last about \(Checked.display(seconds.rounded())) s; at most \(Checked.display(LessonLimits.lessonSeconds)) s: split it into several lessons",
                           at: sectionsValue.location)
            }
        } else {
            errors.add("missing `sections`; expected a list of sections", at: root.location)
        }
        try errors.throwIfAny()
        return lesson
    }

    static func checkFormatVersion(_ fields: Fields, root: YAMLValue, required: Bool, _ errors: inout ErrorCollector) {
        guard let value = fields["c2v"] else {
            if required { errors.add("missing `c2v: 1` (the lesson format version)", at: root.location) }
            return
        }
        if let version = errors.int(value, what: "c2v"), version != 1 {
            errors.add("unsupported lesson format version \(version); expected `c2v: 1`", at: value.location)
        }
    }

    static func parseVideo(_ value: YAMLValue, _ errors: inout ErrorCollector) -> PartialVideo {
        var video = PartialVideo()
        guard let fields = errors.mapping(value, what: "video", allowed: videoKeys) else { return video }
        if let size = fields["size"], let text = errors.string(size, what: "video.size") {
            video.size = parseSize(text, at: size.location, &errors)
        }
        if let fps = fields["fps"], let n = errors.int(fps, what: "video.fps") {
            if VideoSettings.fpsRange.contains(n) { video.fps = n } else {
                errors.add("fps \(n) is out of range; expected \(VideoSettings.fpsRange.lowerBound) to \(VideoSettings.fpsRange.upperBound)", at: fps.location)
            }
        }
        if let q = fields["quality"], let text = errors.string(q, what: "video.quality") {
            if let quality = VideoQuality(rawValue: text) { video.quality = quality } else {
                errors.add("unknown quality `\(text)`; expected draft, standard or high" + didYouMean(text, VideoQuality.allCases.map(\.rawValue)), at: q.location)
            }
        }
        return video
    }

    static func parseSize(_ text: String, at location: SourceLocation, _ errors: inout ErrorCollector) -> (Int, Int)? {
        if let preset = VideoSettings.presets[text.lowercased()] { return preset }
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
            errors.add("invalid size `\(text)`; expected WIDTHxHEIGHT like 1280x720 or a preset (\(VideoSettings.presets.keys.sorted().joined(separator: ", ")))", at: location)
            return nil
        }
        guard (16...7680).contains(w), (16...4320).contains(h) else {
            errors.add("size \(w)x\(h) is out of range; expected 16x16 to 7680x4320", at: location)
            return nil
        }
        guard w % 2 == 0, h % 2 == 0 else {
            errors.add("size \(w)x\(h) has an odd side; H.264 with yuv420p needs even width and height (try \(w + w % 2)x\(h + h % 2))", at: location)
            return nil
        }
        return (w, h)
    }

    static func parseTheme(_ value: YAMLValue, _ errors: inout ErrorCollector) -> PartialTheme {
        var theme = PartialTheme()
        guard let fields = errors.mapping(value, what: "theme", allowed: themeKeys) else { return theme }
        theme.background = errors.color(fields["background"], what: "theme.background")
        theme.text = errors.color(fields["text"], what: "theme.text")
        if let accents = fields["accents"], let items = errors.sequence(accents, what: "theme.accents") {
            let colors = items.enumerated().compactMap { errors.color($0.element, what: "theme.accents[\($0.offset)]") }
            if items.isEmpty { errors.add("theme.accents is empty; give at least one colour", at: accents.location) }
            if colors.count == items.count, !colors.isEmpty { theme.accents = colors }
        }
        theme.font = errors.string(fields["font"], what: "theme.font")
        theme.mathFont = errors.string(fields["math_font"], what: "theme.math_font")
        return theme
    }

    static func parseAgents(_ value: YAMLValue, _ errors: inout ErrorCollector) -> PartialAgents {
        var agents = PartialAgents()
        guard let fields = errors.mapping(value, what: "agents", allowed: agentKeys) else { return agents }
        if let p = fields["provider"], let text = errors.string(p, what: "agents.provider") {
            if let provider = AgentProvider(rawValue: text) { agents.provider = provider } else {
                errors.add("unknown provider `\(text)`; expected offline or openai" + didYouMean(text, AgentProvider.allCases.map(\.rawValue)), at: p.location)
            }
        }
        agents.model = errors.string(fields["model"], what: "agents.model")
        if let v = fields["base_url"], let url = errors.string(v, what: "agents.base_url") {
            if let parts = URLComponents(string: url), ["http", "https"].contains(parts.scheme ?? ""), parts.host != nil {
                if parts.user != nil || parts.password != nil {
                    errors.add("agents.base_url must not hold credentials; give the API key in C2V_API_KEY", at: v.location)
                } else {
                    agents.baseURL = url
                }
            } else {
                errors.add("agents.base_url must be an http(s) URL like https://api.openai.com/v1", at: v.location)
            }
        }
        if let v = fields["models"], let roles = errors.mapping(v, what: "agents.models", allowed: agentRoles) {
            for (role, entry) in roles.entries.sorted(by: { $0.key < $1.key }) {
                if let m = errors.string(entry.value, what: "agents.models.\(role)"), let r = AgentRole(rawValue: role) { agents.models[r] = m }
            }
        }
        if let v = fields["temperature"], let t = errors.double(v, what: "agents.temperature") {
            if (0...2).contains(t) { agents.temperature = t } else { errors.add("agents.temperature must be between 0 and 2", at: v.location) }
        }
        if let v = fields["seed"], let n = errors.int(v, what: "agents.seed") { agents.seed = n }
        if let v = fields["max_tokens"], let n = errors.int(v, what: "agents.max_tokens") {
            if n >= 64 && n <= 1_000_000 { agents.maxTokens = n } else { errors.add("agents.max_tokens must be from 64 to 1000000", at: v.location) }
        }
        if let v = fields["critic"], let c = errors.string(v, what: "agents.critic") {
            if let mode = CriticMode(rawValue: c) { agents.critic = mode } else {
                let modes = CriticMode.allCases.map(\.rawValue)
                errors.add("unknown critic `\(c)`; expected static or vision" + didYouMean(c, modes), at: v.location)
            }
        }
        if let v = fields["response_format"], let f = errors.string(v, what: "agents.response_format") {
            switch f {
            case "json": agents.jsonMode = true
            case "off": agents.jsonMode = false
            default: errors.add("agents.response_format must be `json` (ask for JSON replies) or `off` (for servers that refuse the parameter)", at: v.location)
            }
        }
        if let v = fields["timeout"], let t = errors.double(v, what: "agents.timeout") {
            if t > 0 && t <= 3600 { agents.timeout = t } else { errors.add("agents.timeout must be seconds in (0, 3600]", at: v.location) }
        }
        return agents
    }

    /// `on`, `off`, or a mapping over `base`.
    static func parseNarration(_ value: YAMLValue, base: NarrationSettings, _ errors: inout ErrorCollector) -> NarrationSettings {
        var settings = base
        if case .scalar(let text, let at) = value {
            switch text.lowercased() {
            case "on", "true", "yes": settings.enabled = true
            case "off", "false", "no": settings.enabled = false
            default:
                errors.add("unknown narration `\(text)`; expected on, off, or a mapping of \(narrationKeys.joined(separator: ", "))"
                           + didYouMean(text, ["on", "off"]), at: at)
            }
            return settings
        }
        guard let fields = errors.mapping(value, what: "narration", allowed: narrationKeys) else { return settings }
        settings.enabled = true
        if let v = fields["engine"], let name = errors.string(v, what: "narration.engine") {
            if let engine = SpeechEngineKind(rawValue: name) { settings.engine = engine } else {
                let names = SpeechEngineKind.allCases.map(\.rawValue)
                errors.add("unknown speech engine `\(name)`; expected \(names.joined(separator: ", "))" + didYouMean(name, names), at: v.location)
            }
        }
        if let v = fields["language"], let language = errors.string(v, what: "narration.language") {
            if language.isEmpty || !language.allSatisfy({ $0.isLetter || $0 == "-" }) {
                errors.add("narration.language `\(language)` is not a language tag like en, de or pt-br", at: v.location)
            } else {
                settings.language = language.lowercased()
                if fields["voice"] == nil { settings.voice = language.lowercased() }
            }
        }
        if let v = fields["voice"], let voice = errors.string(v, what: "narration.voice") {
            if voice.isEmpty || voice.contains(where: { $0.isWhitespace || $0 == "/" }) {
                errors.add("narration.voice `\(voice)` is not a voice name like en-us (espeak-ng --voices lists them)", at: v.location)
            } else { settings.voice = voice }
        }
        if let v = fields["rate"], let rate = errors.int(v, what: "narration.rate") {
            if NarrationSettings.rates.contains(rate) { settings.rate = rate } else {
                errors.add("narration.rate \(rate) is out of range; expected words per minute in 80...450", at: v.location)
            }
        }
        if settings.engine == .openai {
            if fields["voice"] == nil { settings.voice = "alloy" }
            settings.model = "tts-1"
            settings.baseURL = "https://api.openai.com/v1"
        }
        if let v = fields["model"], let model = errors.string(v, what: "narration.model") {
            if settings.engine != .openai { errors.add("narration.model applies to engine: openai", at: v.location) }
            else if model.isEmpty { errors.add("narration.model is empty; expected a speech model like tts-1", at: v.location) }
            else { settings.model = model }
        }
        if let v = fields["base_url"], let url = errors.string(v, what: "narration.base_url") {
            if settings.engine != .openai { errors.add("narration.base_url applies to engine: openai", at: v.location) }
            else if !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URL(string: url)?.host == nil {
                errors.add("narration.base_url must be an http(s) URL like https://api.openai.com/v1", at: v.location)
            } else if URL(string: url)?.user != nil {
                errors.add("narration.base_url must not hold credentials; give the API key in C2V_API_KEY", at: v.location)
            } else { settings.baseURL = url }
        }
        if let v = fields["gap"], let gap = errors.double(v, what: "narration.gap") {
            if (0...5).contains(gap) { settings.gap = gap } else {
                errors.add("narration.gap \(gap) is out of range; expected seconds in 0...5", at: v.location)
            }
        }
        return settings
    }

    /// Lecture lines: each a string (shown and spoken), or `{show: bullet, say: sentence}`.
    static func parseLectureLines(_ value: YAMLValue, what: String, _ errors: inout ErrorCollector) -> [(shown: String, spoken: String?)]? {
        guard let items = errors.sequence(value, what: what) else { return nil }
        guard items.count <= LessonLimits.lectureLines else {
            errors.add("\(what) has \(items.count) lines; at most \(LessonLimits.lectureLines) per section: split the section", at: value.location)
            return nil
        }
        var lines: [(String, String?)] = []
        for (i, item) in items.enumerated() {
            if case .mapping = item {
                guard let fields = errors.mapping(item, what: "\(what)[\(i)]", allowed: lineKeys) else { continue }
                let say = errors.string(fields["say"], what: "\(what)[\(i)].say")
                let show = errors.string(fields["show"], what: "\(what)[\(i)].show", required: say == nil, in: item)
                guard let text = show ?? say.map(withoutMarks) else { continue }
                if let say, say.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.add("\(what)[\(i)].say is empty; give the sentence to speak, or leave `say` out", at: fields["say"]!.location)
                }
                if (say ?? text).count > LessonLimits.lineCharacters {
                    errors.add("\(what)[\(i)] is \((say ?? text).count) characters; at most \(LessonLimits.lineCharacters): split it into two lines", at: item.location)
                    continue
                }
                lines.append((text, say))
            } else if let text = errors.string(item, what: "\(what)[\(i)]") {
                if text.count > LessonLimits.lineCharacters {
                    errors.add("\(what)[\(i)] is \(text.count) characters; at most \(LessonLimits.lineCharacters): split it into two lines", at: item.location)
                    continue
                }
                // A bookmark in a plain line is spoken, never shown.
                lines.append(text.contains("[[") ? (withoutMarks(text), text) : (text, nil))
            }
        }
        return lines.count == items.count ? lines : nil
    }

    /// The text with its `[[bookmarks]]` taken out, as it is shown.
    static func withoutMarks(_ text: String) -> String {
        text.replacingOccurrences(of: #"\s*\[\[[^\]]*\]\]"#, with: "", options: .regularExpression)
    }

    static func parseSections(_ value: YAMLValue, _ errors: inout ErrorCollector) -> [Section] {
        guard let items = errors.sequence(value, what: "sections") else { return [] }
        if items.isEmpty { errors.add("`sections` is empty; a lesson needs at least one section", at: value.location) }
        if items.count > LessonLimits.sections {
            errors.add("`sections` has \(items.count) sections; at most \(LessonLimits.sections) per lesson: split the lesson", at: value.location)
            return []
        }
        var sections: [Section] = []
        var seen: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            guard let fields = errors.mapping(item, what: "section", allowed: sectionKeys) else { continue }
            let what = "sections[\(index)]"
            guard let idValue = fields["id"] else {
                errors.add("\(what) has no `id`; expected a name like `intro` ([a-z0-9-]+)", at: item.location)
                continue
            }
            guard let id = errors.string(idValue, what: "\(what).id") else { continue }
            if id.isEmpty || !id.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) {
                errors.add("invalid section id `\(id)`; expected lowercase letters, digits and dashes ([a-z0-9-]+)", at: idValue.location)
            }
            if let first = seen[id] {
                errors.add("duplicate section id `\(id)`; first used at line \(first.line)", at: idValue.location)
            }
            seen[id] = seen[id] ?? idValue.location
            var section = Section(id: id, title: "", location: item.location)
            section.title = errors.string(fields["title"], what: "\(what).title", required: true, in: item) ?? id
            section.brief = errors.string(fields["brief"], what: "\(what).brief")
            if let value = fields["lecture_lines"], let lines = parseLectureLines(value, what: "\(what).lecture_lines", &errors) {
                section.lectureLines = lines.map(\.shown)
                if lines.contains(where: { $0.spoken != nil }) { section.spokenLines = lines.map(\.spoken) }
            }
            section.animations = errors.stringList(fields["animations"], what: "\(what).animations")
            if let hint = fields["duration_hint"], let seconds = errors.double(hint, what: "\(what).duration_hint") {
                if seconds > 0 && seconds <= 600 { section.durationHint = seconds } else {
                    errors.add("duration_hint \(seconds) is out of range; expected seconds in (0, 600]", at: hint.location)
                }
            }
            section.scene = fields["scene"]
            if let lines = section.lectureLines, let lineValue = fields["lecture_lines"] {
                if lines.isEmpty { errors.add("\(what).lecture_lines is empty", at: lineValue.location) }
                if let animations = section.animations, animations.count != lines.count, let a = fields["animations"] {
                    errors.add("\(what) has \(lines.count) lecture lines but \(animations.count) animations; expected one animation per line", at: a.location)
                }
            } else if section.animations != nil, let a = fields["animations"] {
                errors.add("\(what).animations needs `lecture_lines` beside it", at: a.location)
            }
            if fields["brief"] == nil && fields["lecture_lines"] == nil && fields["scene"] == nil {
                errors.add("section `\(id)` has nothing to build; expected `brief`, `lecture_lines` or `scene`", at: item.location)
            }
            sections.append(section)
        }
        return sections
    }
}
