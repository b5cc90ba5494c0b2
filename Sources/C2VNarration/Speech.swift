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
    /// Where each mark stands in `plain`, in characters (for engines that report no marks).
    public var markOffsets: [String: Int]
    /// The text as SSML for engines that take it (marks as `<mark name="..."/>`).
    public var ssml: String

    public init(_ text: String) {
        var plain = "", ssml = "<speak>", marks: [String] = [], offsets: [String: Int] = [:]
        var rest = Substring(text)
        while let open = rest.range(of: "[["), let close = rest[open.upperBound...].range(of: "]]") {
            let before = rest[..<open.lowerBound]
            plain += before
            ssml += Self.escape(String(before))
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty {
                marks.append(name)
                offsets[name] = plain.split(whereSeparator: \.isWhitespace).joined(separator: " ").count
                ssml += "<mark name=\"\(Self.escape(name))\"/>"
            }
            rest = rest[close.upperBound...]
        }
        plain += rest
        ssml += Self.escape(String(rest)) + "</speak>"
        self.plain = plain.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        self.marks = marks
        self.markOffsets = offsets
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
    public static func trimmed(_ samples: [Float]) -> [Float] {
        var end = samples.count
        while end > 0 && abs(samples[end - 1]) < 1e-4 { end -= 1 }
        return Array(samples[..<end])
    }
}

extension Speech {
    /// Reads a RIFF/WAVE file of 16-bit PCM (mono, or the first channel of several), as speech
    /// endpoints return it. Marks are not in a WAV; `estimatingMarks` places them.
    public init(wav data: Data) throws {
        func u32(_ at: Int) -> UInt32 { data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) } }
        func u16(_ at: Int) -> UInt16 { data.withUnsafeBytes { UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt16.self)) } }
        let bytes = [UInt8](data.prefix(12))
        guard data.count >= 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x41, 0x56, 0x45] else {
            throw C2VError(.buildFailed, "the speech reply is not a WAV file (\(data.count) bytes starting \(String(decoding: data.prefix(40), as: UTF8.self).debugDescription))")
        }
        var offset = 12, channels = 0, rate = 0, bits = 0, format = 0
        var pcm: Range<Int>?
        while offset + 8 <= data.count {
            let id = String(decoding: data[offset..<(offset + 4)], as: UTF8.self)
            // Streaming servers may write 0 or 0xFFFFFFFF as the data size: it then runs to the end.
            var size = Int(u32(offset + 4))
            if id == "data" && (size == 0 || offset + 8 + size > data.count) { size = data.count - offset - 8 }
            guard offset + 8 + size <= data.count else { break }
            if id == "fmt ", size >= 16 {
                format = Int(u16(offset + 8)); channels = Int(u16(offset + 10)); rate = Int(u32(offset + 12)); bits = Int(u16(offset + 22))
            } else if id == "data" {
                pcm = (offset + 8)..<(offset + 8 + size)
            }
            offset += 8 + size + (size & 1)
        }
        guard format == 1, bits == 16, channels >= 1, rate > 0, let pcm else {
            throw C2VError(.buildFailed, "the speech reply is a WAV the narrator cannot read (format \(format), \(bits) bits, \(channels) channels); expected 16-bit PCM")
        }
        let frame = 2 * channels
        var samples: [Float] = []
        samples.reserveCapacity(pcm.count / frame)
        var at = pcm.lowerBound
        while at + 2 <= pcm.upperBound {
            samples.append(Float(Int16(bitPattern: u16(at))) / 32768)
            at += frame
        }
        self.init(sampleRate: rate, samples: samples)
    }

    /// Marks for engines that report none: each at the share of the speech its text position has
    /// reached (characters before it over all characters), a documented estimate.
    public func estimatingMarks(in text: SpokenText) -> Speech {
        var copy = self
        let total = max(1, text.plain.count)
        for (name, offset) in text.markOffsets { copy.marks[name] = duration * Double(offset) / Double(total) }
        return copy
    }
}
