internal import CC2VSpeech
import C2VUtil
import Foundation

/// One spoken line: mono samples, the times of its named marks and of its words.
public struct Speech: Sendable, Equatable {
    public var sampleRate: Int
    public var samples: [Float]
    /// Mark name -> seconds from the start of the line's audio.
    public var marks: [String: Double]
    /// Start of each word, seconds.
    public var words: [Double]

    public init(sampleRate: Int, samples: [Float], marks: [String: Double] = [:], words: [Double] = []) {
        self.sampleRate = sampleRate
        self.samples = samples
        self.marks = marks
        self.words = words
    }

    public var duration: Double { sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0 }

    /// Little-endian 32-bit float samples: how a line's audio is stored as a blob.
    public var pcm: Data {
        var data = Data(capacity: samples.count * 4)
        for sample in samples { withUnsafeBytes(of: sample.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    public static func samples(fromPCM data: Data) -> [Float] {
        var samples: [Float] = []
        samples.reserveCapacity(data.count / 4)
        data.withUnsafeBytes { raw in
            for i in 0..<(raw.count / 4) { samples.append(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
        }
        return samples
    }
}

/// Spoken text with bookmarks: `[[name]]` marks the moment before the next word, for scene
/// steps to wait for (`mark: name`).
public struct SpokenText: Sendable, Equatable {
    /// What is said, without marks (subtitles show this).
    public var plain: String
    public var marks: [String]
    /// The text as SSML for engines that take it (marks as `<mark name="..."/>`).
    public var ssml: String

    public init(_ text: String) {
        var plain = "", ssml = "<speak>", marks: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "[["), let close = rest[open.upperBound...].range(of: "]]") {
            let before = rest[..<open.lowerBound]
            plain += before
            ssml += Self.escape(String(before))
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty {
                marks.append(name)
                ssml += "<mark name=\"\(Self.escape(name))\"/>"
            }
            rest = rest[close.upperBound...]
        }
        plain += rest
        ssml += Self.escape(String(rest)) + "</speak>"
        self.plain = plain.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        self.marks = marks
        self.ssml = ssml
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Something that turns text into speech.
public protocol SpeechEngine: Sendable {
    func speak(_ text: SpokenText) throws -> Speech
}

/// The offline voice: espeak-ng from Debian main (GPL-3+), opened with `dlopen` on first use.
public struct ESpeakEngine: SpeechEngine {
    public var voice: String
    public var rate: Int

    public init(voice: String, rate: Int) {
        self.voice = voice
        self.rate = rate
    }

    /// The installed library's version, read from its file name without loading it (so keys can
    /// name it while planning a build that may speak nothing); nil when it is not installed.
    public static let installedVersion: String? = {
        let folders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]
        for folder in folders {
            let link = "\(folder)/libespeak-ng.so.1"
            guard FileManager.default.fileExists(atPath: link) else { continue }
            let real = URL(fileURLWithPath: link).resolvingSymlinksInPath().lastPathComponent
            if let range = real.range(of: ".so.") { return String(real[range.upperBound...]) }
            return "1"
        }
        return nil
    }()

    public func speak(_ text: SpokenText) throws -> Speech {
        var out = cc2v_speech()
        var error = [CChar](repeating: 0, count: 512)
        guard cc2v_speak(text.ssml, voice, Int32(rate), &out, &error, error.count) == 0 else {
            throw C2VError(.native, String(cString: error))
        }
        defer { cc2v_speech_free(&out) }
        var samples = [Float](repeating: 0, count: out.count)
        for i in 0..<out.count { samples[i] = Float(out.samples[i]) / 32768 }
        var marks: [String: Double] = [:]
        for i in 0..<out.mark_count {
            let mark = out.marks[i]
            let name = withUnsafeBytes(of: mark.name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            marks[name] = Double(mark.milliseconds) / 1000
        }
        let words = (0..<out.word_count).map { Double(out.word_starts[$0]) / 1000 }
        return Speech(sampleRate: Int(out.sample_rate), samples: Speech.trimmed(samples), marks: marks, words: words)
    }
}

extension Speech {
    /// Drops trailing silence (espeak-ng ends each utterance with a pause); the line's gap is c2v's.
    static func trimmed(_ samples: [Float]) -> [Float] {
        var end = samples.count
        while end > 0 && abs(samples[end - 1]) < 1e-4 { end -= 1 }
        return Array(samples[..<end])
    }
}
