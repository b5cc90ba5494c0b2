internal import CC2VFFmpeg
import C2VUtil

/// How hard the encoder works: a trade between render time and picture quality.
///
/// Each level fixes both the x264 preset and the constant rate factor, so one word
/// in a lesson file decides every quality-related byte of the output.
public enum EncoderQuality: String, Sendable, Codable, CaseIterable {
    /// Fast previews: `ultrafast`, crf 28.
    case draft
    /// The default: `veryfast`, crf 23.
    case standard
    /// x264's own defaults, `medium`, crf 23 (what most tools, Manim among them, use).
    case balanced
    /// Final renders: `medium`, crf 20.
    case high
}

/// Everything that decides the bytes of an encoded segment.
///
/// Segments made with equal settings can be joined by stream copy, and the
/// `fingerprint` lets callers put the settings into cache keys.
public struct EncoderSettings: Sendable, Hashable, Codable {
    public var width: Int
    public var height: Int
    public var fps: Int
    public var quality: EncoderQuality

    public init(width: Int, height: Int, fps: Int, quality: EncoderQuality) {
        self.width = width
        self.height = height
        self.fps = fps
        self.quality = quality
    }

    /// The x264 preset for `quality`; it trades encode speed for compression.
    public var preset: String {
        switch quality {
        case .draft: "ultrafast"
        case .standard: "veryfast"
        case .balanced: "medium"
        case .high: "medium"
        }
    }

    /// The x264 constant rate factor for `quality`; lower means better pictures and bigger files.
    public var crf: Int {
        switch quality {
        case .draft: 28
        case .standard: 23
        case .balanced: 23
        case .high: 20
        }
    }

    /// Frames between forced keyframes: two seconds, so every segment starts on a keyframe
    /// and seeking stays cheap. Scene cuts may add more keyframes; B-frames stay at x264's default.
    var keyframeInterval: Int { fps * 2 }

    /// A string that names every encoder option that affects the output bytes.
    ///
    /// Callers put it into cache keys, so a change of size, rate, quality, colour handling
    /// or library version makes old segments miss instead of being joined with new ones.
    public var fingerprint: String {
        // The headers' versions: known without loading FFmpeg, so planning a build stays cheap.
        "libx264 \(libraryIdent("Lavc", cc2v_header_avcodec_version())) \(libraryIdent("SwS", cc2v_header_swscale_version())) "
            + "\(width)x\(height)@\(fps) yuv420p bt709/tv sws=bilinear "
            + "preset=\(preset) crf=\(crf) keyint=\(keyframeInterval) bframes=default threads=cores"
    }

    /// Rejects settings that libx264 with yuv420p cannot encode, with a message a person can act on.
    func validate() throws {
        guard width > 0, height > 0 else {
            throw C2VError(.invalidInput, "video size must be positive, got \(width)x\(height)")
        }
        guard width % 2 == 0, height % 2 == 0 else {
            throw C2VError(.invalidInput,
                           "video width and height must be even for H.264 yuv420p, got \(width)x\(height)")
        }
        guard fps > 0, fps <= 240 else {
            throw C2VError(.invalidInput, "frame rate must be between 1 and 240, got \(fps)")
        }
    }
}

/// Formats a packed libav version number the way libav's `*_IDENT` macros do (`Lavc59.37.100`).
private func libraryIdent(_ prefix: String, _ version: UInt32) -> String {
    "\(prefix)\(version >> 16).\((version >> 8) & 0xff).\(version & 0xff)"
}
